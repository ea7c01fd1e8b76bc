import type { Table } from '@modelgate/core'
import {
  describeModel,
  evaluatePrivacyRisks,
  evaluateSynthetic,
  fitGaussianCopula,
  loadSynthModel,
  sampleSynthModel,
  splitHoldout,
  trainSynthesizer,
} from '@modelgate/synth'
import { describe, expect, it } from 'vitest'
import { column, textValues } from './helpers.js'

function smallTable(n: number): Table {
  const values = Float64Array.from({ length: n }, (_, i) => (i * 37) % 101)
  return {
    numRows: n,
    columns: [
      { kind: 'numeric', name: 'x', values, valid: null },
      { kind: 'numeric', name: 'constant', values: new Float64Array(n).fill(7), valid: null },
      { kind: 'numeric', name: 'empty', values: new Float64Array(n), valid: new Uint8Array(n) },
      { kind: 'categorical', name: 'one_category', codes: new Int32Array(n), dictionary: ['only'] },
      { kind: 'text', name: 'all_null_text', values: new Array<string | null>(n).fill(null) },
    ],
  }
}

describe('bad and degenerate input', () => {
  it('handles constant and all-null columns: constants stay constant, all-null stays null', async () => {
    const model = await trainSynthesizer(smallTable(500), { seed: 1 })
    const out = model.sample(1000, { seed: 1 })
    expect(new Set(textValues(column(out, 'constant')))).toEqual(new Set(['7']))
    expect(textValues(column(out, 'empty'))).toEqual([])
    expect(new Set(textValues(column(out, 'one_category')))).toEqual(new Set(['only']))
    expect(textValues(column(out, 'all_null_text'))).toEqual([])
  })

  it('refuses a column of a million unique strings declared categorical, with a hint to declare it text or id', async () => {
    const n = 1_000_000
    const ids = Array.from({ length: n }, (_, i) => `user-${i.toString(36)}`)
    const table: Table = { numRows: n, columns: [{ kind: 'text', name: 'user_key', values: ids }] }
    const schema = {
      version: 1 as const,
      columns: [{ name: 'user_key', kind: 'categorical' as const, nullable: false }],
    }
    const error = await trainSynthesizer(table, { source: 'users.csv', detectPii: false, schema }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({
      code: 'MG_SYNTH_CATEGORY_EXPLOSION',
      message: expect.stringContaining('Column "user_key" in users.csv has 1,000,000 distinct values'),
      hint: expect.stringContaining('kind "id" or "text"'),
    })
  })

  it('regenerates an untagged column of 200,000 unique strings in its shape, quickly', async () => {
    const n = 200_000
    const ids = Array.from({ length: n }, (_, i) => `user-${i.toString(36)}`)
    const table: Table = { numRows: n, columns: [{ kind: 'text', name: 'user_key', values: ids }] }
    const started = performance.now()
    const model = await trainSynthesizer(table, { detectPii: false })
    const seconds = (performance.now() - started) / 1000
    expect(model.toJSON().columns[0]).toMatchObject({ kind: 'text' })
    const real = new Set(ids)
    const out = textValues(column(model.sample(5000, { seed: 2 }), 'user_key'))
    expect(out.filter((v) => real.has(v))).toEqual([])
    // Not a timing gate (the machine is shared), a guard against a quadratic fit.
    expect(seconds).toBeLessThan(30)
  })

  it('refuses a schema column missing from the data, naming it', async () => {
    const error = await trainSynthesizer(smallTable(50), {
      schema: { version: 1, columns: [{ name: 'amount', kind: 'numeric', nullable: true }] },
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({
      code: 'MG_SYNTH_SCHEMA_COLUMN_MISSING',
      message: expect.stringContaining('"amount"'),
    })
  })

  it('refuses an empty table and an invalid epsilon', async () => {
    await expect(trainSynthesizer({ numRows: 0, columns: [] })).rejects.toMatchObject({ code: 'MG_SYNTH_EMPTY_TABLE' })
    await expect(trainSynthesizer(smallTable(50), { epsilon: -1 })).rejects.toMatchObject({
      code: 'MG_SYNTH_BAD_OPTION',
    })
  })

  it('round-trips a model through JSON and samples the same rows', async () => {
    const model = await trainSynthesizer(smallTable(500), { seed: 2 })
    const loaded = await loadSynthModel(JSON.stringify(model.toJSON()))
    expect(textValues(column(loaded.sample(300, { seed: 4 }), 'x'))).toEqual(
      textValues(column(model.sample(300, { seed: 4 }), 'x')),
    )
  })

  it('rejects corrupt, foreign and newer model files without running anything in them', async () => {
    const model = await trainSynthesizer(smallTable(200), { seed: 2 })
    const file = model.toJSON()
    await expect(loadSynthModel('{"format":"modelgate-synth",')).rejects.toMatchObject({
      code: 'MG_SYNTH_MODEL_CORRUPT',
    })
    await expect(loadSynthModel({ ...file, version: 2 })).rejects.toMatchObject({ code: 'MG_SYNTH_MODEL_VERSION' })
    await expect(loadSynthModel({ ...file, format: 'sdv-pickle' })).rejects.toMatchObject({
      code: 'MG_SYNTH_MODEL_CORRUPT',
    })
    await expect(
      loadSynthModel({ ...file, columns: [{ name: 'x', kind: 'function', body: 'globalThis.pwned = 1' }] }),
    ).rejects.toMatchObject({ code: 'MG_SYNTH_MODEL_CORRUPT' })
    expect((globalThis as { pwned?: number }).pwned).toBeUndefined()
    const copula = file.copula as NonNullable<typeof file.copula>
    await expect(loadSynthModel({ ...file, copula: { ...copula, correlation: [[1]] } })).rejects.toMatchObject({
      code: 'MG_SYNTH_MODEL_CORRUPT',
      message: expect.stringContaining('correlation matrix'),
    })
    await expect(loadSynthModel('/nonexistent/model.json')).rejects.toMatchObject({ code: 'MG_SYNTH_MODEL_UNREADABLE' })
  })

  it('fails the PII check for a leaked email but only warns when a common name recurs by chance', () => {
    const names = ['Ava Quill', 'Noah Marsh', 'Mia Lark', 'Omar Voss']
    const emails = ['ava.q@corp.test', 'noah.m@corp.test', 'mia.l@corp.test', 'omar.v@corp.test']
    const table = (n: (string | null)[], e: (string | null)[]): Table => ({
      numRows: n.length,
      columns: [
        { kind: 'text', name: 'full_name', values: n },
        { kind: 'text', name: 'email', values: e },
      ],
    })
    const real = table(names, emails)
    const nameOnly = evaluateSynthetic({
      real,
      synthetic: table(
        ['Ava Quill', 'Zed Zee', 'Kim Lo', 'Ola Fa'],
        ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com'],
      ),
      pii: ['full_name', 'email'],
    })
    const check = (r: typeof nameOnly): { verdict: string; details?: unknown } | undefined =>
      r.report.checks.find((c) => c.id === 'synth.privacy.pii_leak')
    expect(check(nameOnly)?.verdict).toBe('warn')
    expect(check(nameOnly)?.details).toEqual({ leaksByColumn: { full_name: 1, email: 0 } })
    const emailLeak = evaluateSynthetic({
      real,
      synthetic: table(
        ['Zed Zee', 'Kim Lo', 'Ola Fa', 'Ty Ro'],
        ['a@example.com', 'noah.m@corp.test', 'c@example.com', 'd@example.com'],
      ),
      pii: ['full_name', 'email'],
    })
    expect(check(emailLeak)?.verdict).toBe('fail')
    expect(JSON.stringify(emailLeak.report).includes('noah.m@corp.test')).toBe(false)
  })
})

describe('arguments from JavaScript callers', () => {
  // As a JavaScript caller (or an `any`) would pass them: the types cannot stop these.
  const untyped = (value: unknown): never => value as never

  it('explains a table passed to fitGaussianCopula instead of a TypeError from inside', () => {
    let error: unknown
    try {
      fitGaussianCopula(untyped(smallTable(10)), untyped({ seed: 7 }), untyped(undefined))
    } catch (e) {
      error = e
    }
    expect(error).toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message: 'fitGaussianCopula(dims, numRows, options): dims: expected an array, got an object.',
      hint: expect.stringContaining('call trainSynthesizer(table, { seed })'),
    })
  })

  it('names each wrong option of trainSynthesizer and a model call, before any work', async () => {
    await expect(
      trainSynthesizer(smallTable(10), untyped({ seed: 7, k: '5', rareCategories: 'keep' })),
    ).rejects.toThrow(
      "trainSynthesizer(table, options): options.k: expected a number, got a string; options.rareCategories: invalid enum value. Expected 'drop' | 'other', received 'keep'.",
    )
    await expect(trainSynthesizer(untyped([{ x: 1 }]))).rejects.toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message: expect.stringContaining('table: expected a Table, got an array (rows? tableFromRows(rows)'),
    })
    const model = await trainSynthesizer(smallTable(200), { seed: 1 })
    expect(() => model.sample(10, untyped({ where: 'x=1' }))).toThrow(
      'model.sample(n, options): options.where: expected an object, got a string.',
    )
    expect(() => evaluateSynthetic(untyped({ real: smallTable(10), synthetic: model.sample(10), target: 1 }))).toThrow(
      'evaluateSynthetic(options): options.target: expected a string, got a number.',
    )
  })

  it('checks the privacy attacks, their settings and the holdout split the same way', async () => {
    const table = smallTable(40)
    expect(() => evaluateSynthetic(untyped({ real: table, synthetic: table, privacy: { attacks: '500' } }))).toThrow(
      'evaluateSynthetic(options): options.privacy.attacks: expected a number, got a string.',
    )
    expect(() => evaluatePrivacyRisks(untyped({ train: table, control: [], synthetic: table }))).toThrow(
      'evaluatePrivacyRisks(options): options.control: expected a Table, got an array',
    )
    expect(() =>
      evaluatePrivacyRisks(untyped({ train: table, control: table, synthetic: table, linkability: ['a', 'b'] })),
    ).toThrow('evaluatePrivacyRisks(options): options.linkability[0]: expected an array, got a string;')
    expect(() => splitHoldout(table, untyped({ fraction: '0.2' }))).toThrow(
      'splitHoldout(table, options): options.fraction: expected a number, got a string.',
    )
    await expect(trainSynthesizer(table, untyped({ strict: 'yes' }))).rejects.toThrow(
      'trainSynthesizer(table, options): options.strict: expected a boolean, got a string.',
    )
  })

  it('checks sampleSynthModel and describeModel before reading a file or a section', async () => {
    await expect(sampleSynthModel(untyped({ path: 'model.json' }), 10)).rejects.toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message: 'sampleSynthModel(path, rows, options): path: expected a string, got an object.',
      hint: 'pass the path of a model file from synth train',
    })
    await expect(sampleSynthModel('no-such-model.json', untyped('10'))).rejects.toThrow(
      'sampleSynthModel(path, rows, options): rows: expected a number, got a string.',
    )
    await expect(sampleSynthModel('no-such-model.json', 10, untyped({ where: 'x=1' }))).rejects.toThrow(
      'sampleSynthModel(path, rows, options): options.where: expected an object, got a string.',
    )
    const model = await trainSynthesizer(smallTable(50), { seed: 1 })
    expect(describeModel(model.toJSON()).columns).toHaveLength(5)
    expect(() => describeModel(untyped(model))).toThrow(
      'describeModel(file): file: expected a parsed model file, got a model (pass model.toJSON()).',
    )
    expect(() => describeModel(untyped('model.json'))).toThrow(
      'describeModel(file): file: expected a parsed model file, got a string (a path? read and parse it first).',
    )
    expect(() => describeModel(untyped({ format: 'sdv', columns: [] }))).toThrow(
      'describeModel(file): file: expected a parsed model file (format "modelgate-synth"), got format "sdv".',
    )
  })
})
