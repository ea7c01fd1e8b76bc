// Issue #12's 30 customers × 10 rows, end to end through the built `modelgate` binary: names, emails, digit-only
// phones and SSNs, card numbers failing the Luhn check and free-text memos that repeat on each customer's rows.
// No flag is given (the careless user): detection must catch them, and where detection is silenced (a
// hand-written schema marking every column "notPii"), the entity-memorization rule must still keep every value
// out of model files, generated rows, schemas, profiles and Pact files. Checked on the bytes.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { csvRecords, occurrences } from './scan.js'

const repoRoot = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: __dirname, encoding: 'utf8' }).trim()
const bin = resolve(repoRoot, 'packages/cli/bin/modelgate.js')
const fixture = resolve(repoRoot, 'test/privacy/fixtures/thirty-customers.csv')
const PERSONAL = ['customer', 'contact', 'contact_num', 'taxpayer', 'cc', 'memo'] as const
const dir = mkdtempSync(join(tmpdir(), 'mg-e2e-thirty-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const runs: { args: string[]; status: number; stdout: string; stderr: string }[] = []
function modelgate(...args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' })
  const run = { args, status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr }
  runs.push(run)
  return run
}
const status = (...args: string[]): number => modelgate(...args).status
let evaluation: { status: number; stdout: string; stderr: string } | undefined

const records = csvRecords(readFileSync(fixture, 'utf8'))

/** Every personal value of the fixture: whole names, emails, phones, SSNs, cards, memos, and each surname. */
function secrets(): string[] {
  const values = new Set<string>()
  for (const r of records) {
    for (const c of PERSONAL) if (r[c] !== 'unknown') values.add(r[c] as string)
    values.add((r.customer as string).split(' ')[1] as string)
  }
  return [...values]
}

/** Every file under dir (recursively) with its text; binary weights are scanned as latin1 bytes. */
function files(root: string): [string, string][] {
  const out: [string, string][] = []
  for (const name of readdirSync(root)) {
    const path = join(root, name)
    if (statSync(path).isDirectory()) out.push(...files(path))
    else out.push([path.slice(dir.length + 1), readFileSync(path, name.endsWith('.bin') ? 'latin1' : 'utf8')])
  }
  return out
}

// A schema as a careless user writes it by hand: every column declared, none tagged, each one marked as
// reviewed and not PII — detection is silenced, only the entity-memorization rule is left.
const handSchema = {
  version: 1,
  columns: [
    { name: 'customer', kind: 'text', notPii: true },
    { name: 'contact', kind: 'text', notPii: true },
    { name: 'contact_num', kind: 'integer', notPii: true },
    { name: 'taxpayer', kind: 'integer', notPii: true },
    { name: 'cc', kind: 'integer', notPii: true },
    { name: 'memo', kind: 'text', notPii: true },
    { name: 'amount', kind: 'numeric' },
    { name: 'channel', kind: 'categorical' },
    { name: 'created_at', kind: 'datetime' },
  ],
}
const responseSchema = { version: 1, columns: [{ name: 'score', kind: 'numeric', min: 0, max: 1, nullable: false }] }

beforeAll(() => {
  writeFileSync(join(dir, 'hand.schema.json'), JSON.stringify(handSchema))
  writeFileSync(join(dir, 'response.schema.json'), JSON.stringify(responseSchema))
  mkdirSync(join(dir, 'out'))
  const out = (name: string): string => join('out', name)
  // No flags at all: detection alone.
  status('synth', 'train', '--data', fixture, '--out', out('model.json'))
  status('synth', 'generate', '--model', out('model.json'), '--rows', '1000', '--seed', '1', '--out', out('syn.csv'))
  status('synth', 'train', '--synthesizer', 'ctgan', '--epochs', '2', '--data', fixture, '--out', out('ctgan.json'))
  status('synth', 'generate', '--model', out('ctgan.json'), '--rows', '1000', '--out', out('ctgan.csv'))
  status('schema', 'infer', fixture, '--out', out('schema.json'))
  status('schema', 'infer', fixture, '--json')
  status('profile', fixture)
  status('profile', fixture, '--json')
  // Detection silenced: the entity-memorization rule alone.
  status('synth', 'train', '--data', fixture, '--schema', 'hand.schema.json', '--out', out('hand.json'))
  status('synth', 'generate', '--model', out('hand.json'), '--rows', '1000', '--seed', '2', '--out', out('hand.csv'))
  status(
    'synth',
    'train',
    '--synthesizer',
    'ctgan',
    '--epochs',
    '2',
    '--data',
    fixture,
    '--schema',
    'hand.schema.json',
    '--out',
    out('hand-ctgan.json'),
  )
  status('synth', 'generate', '--model', out('hand-ctgan.json'), '--rows', '1000', '--out', out('hand-ctgan.csv'))
  status('profile', fixture, '--schema', 'hand.schema.json', '--json')
  // Differential privacy with a large ε (its thresholds alone would let ten-row groups through): the rule, applied
  // to whole columns under DP, keeps every value out.
  status(
    'synth',
    'train',
    '--data',
    fixture,
    '--schema',
    'hand.schema.json',
    '--epsilon',
    '50',
    '--out',
    out('dp.json'),
  )
  status('synth', 'generate', '--model', out('dp.json'), '--rows', '1000', '--seed', '3', '--out', out('dp.csv'))
  // The evaluation report of the synthetic rows against the real ones (its verdict is another suite's concern).
  evaluation = modelgate(
    'synth',
    'evaluate',
    '--real',
    fixture,
    '--synthetic',
    out('syn.csv'),
    '--json',
    '--html',
    out('report.html'),
  )
  runs.pop()
  // Pact files from the inferred schema, with the synthetic rows and (carelessly) the real rows as examples — refused:
  // the inferred bounds are trimmed (no single record's extreme), so the real extremes break them (checked below).
  // And from the hand-written schema (detection silenced) with the real rows: the entity rule alone guards them.
  for (const [request, examples, pacts] of [
    [out('schema.json'), out('syn.csv'), out('pacts-syn')],
    [out('schema.json'), fixture, out('pacts-real')],
    ['hand.schema.json', fixture, out('pacts-hand')],
  ] as const) {
    status(
      'contracts',
      'generate',
      '--request',
      request,
      '--response',
      'response.schema.json',
      '--consumer',
      'web',
      '--provider',
      'scorer',
      '--examples',
      examples,
      '--out',
      pacts,
    )
  }
}, 240_000)

describe('the 30-customer table (issue #12)', () => {
  it('runs every command', () => {
    const refused = runs.filter((r) => r.args.includes('out/pacts-real'))
    expect(refused.map((r) => [r.status, r.stderr.match(/MG_CONTRACTS_EXAMPLE_MISMATCH/)?.[0]])).toEqual([
      [2, 'MG_CONTRACTS_EXAMPLE_MISMATCH'],
    ])
    const failed = runs
      .filter((r) => r.status !== 0 && !refused.includes(r))
      .map((r) => `${r.args.join(' ')} → ${r.status}: ${r.stderr}`)
    expect(failed).toEqual([])
    for (const f of [
      'model.json',
      'syn.csv',
      'ctgan.json',
      'ctgan.csv',
      'schema.json',
      'hand.json',
      'hand.csv',
      'dp.json',
    ])
      expect(existsSync(join(dir, 'out', f))).toBe(true)
    for (const pacts of ['pacts-syn', 'pacts-hand'])
      expect(readdirSync(join(dir, 'out', pacts))).toEqual(['web-scorer.json'])
  })

  it('flags every personal column without being told, and says why', () => {
    const train = runs.find((r) => r.args.join(' ').endsWith('--out out/model.json'))
    for (const column of PERSONAL) expect(train?.stdout).toMatch(new RegExp(`detected ${column} as \\w+`))
    const schema = JSON.parse(readFileSync(join(dir, 'out', 'schema.json'), 'utf8')) as {
      columns: { name: string; pii?: { type: string } }[]
    }
    expect(Object.fromEntries(schema.columns.map((c) => [c.name, c.pii?.type ?? '-']))).toEqual({
      customer: 'person_name',
      contact: 'email',
      contact_num: 'phone',
      taxpayer: 'national_id',
      cc: 'card_number',
      memo: 'free_text',
      amount: '-',
      channel: '-',
      created_at: '-',
    })
  })

  it('names the repeated-customer columns as quasi-identifiers when detection is silenced', () => {
    const train = runs.find((r) => r.args.join(' ').endsWith('--out out/hand.json'))
    for (const column of PERSONAL) expect(train?.stdout).toMatch(new RegExp(`quasi-identifier.*\\b${column}\\b`, 's'))
    expect(train?.stdout).not.toMatch(/quasi-identifier[^\n]*\b(amount|channel|created_at)\b/)
    const pacts = runs.find((r) => r.args.includes('out/pacts-hand'))
    for (const column of PERSONAL)
      expect(pacts?.stderr).toMatch(new RegExp(`warn Column "${column}" of the examples is a quasi-identifier`))
  })

  it('under --epsilon learns none of the quasi-identifier columns and stores no count of them', () => {
    const model = JSON.parse(readFileSync(join(dir, 'out', 'dp.json'), 'utf8')) as {
      columns: { name: string; kind: string; categories?: unknown[]; nullRate: number }[]
      quasiIdentifiers: { column: string; values?: number; rows?: number }[]
      privacy: { dp: { public: string[] } }
    }
    expect(model.quasiIdentifiers.map((q) => q.column).sort()).toEqual([...PERSONAL].sort())
    for (const q of model.quasiIdentifiers) expect(q).not.toHaveProperty('values')
    expect(model.privacy.dp.public.some((p) => p.startsWith('which columns are quasi-identifiers'))).toBe(true)
    for (const c of model.columns.filter((x) => (PERSONAL as readonly string[]).includes(x.name)))
      expect(c.nullRate, c.name).toBe(1)
    const rows = csvRecords(readFileSync(join(dir, 'out', 'dp.csv'), 'utf8'))
    expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['web', 'app', 'store']))
  })

  it('leaves no name, email, phone, SSN, card number or memo in any file or anything printed', () => {
    const needles = secrets()
    expect(needles.length).toBeGreaterThan(150)
    // The scanner must find a planted value, or a clean result would mean nothing.
    const planted = needles[3] as string
    expect([...occurrences(`{"x":"${planted}"}`, needles)]).toEqual([planted])
    expect(existsSync(join(dir, 'out', 'report.html'))).toBe(true)
    const texts: [string, string][] = [
      ['(printed)', runs.map((r) => `${r.stdout}\n${r.stderr}`).join('\n')],
      ['(evaluate --json)', `${evaluation?.stdout}\n${evaluation?.stderr}`],
      ...files(join(dir, 'out')),
    ]
    const lowered = needles.map((n) => n.toLowerCase())
    const found: string[] = []
    for (const [name, text] of texts)
      for (const needle of occurrences(text.toLowerCase(), lowered)) found.push(`${name}: ${needle.slice(0, 4)}…`)
    expect(found).toEqual([])
  })

  it('still generates the non-personal columns', () => {
    for (const file of ['syn.csv', 'hand.csv']) {
      const rows = csvRecords(readFileSync(join(dir, 'out', file), 'utf8'))
      expect(rows).toHaveLength(1000)
      expect(new Set(rows.map((r) => r.channel))).toEqual(new Set(['web', 'app', 'store']))
    }
  })

  it('exits 2 under --strict and writes nothing', () => {
    const strict = modelgate('synth', 'train', '--data', fixture, '--out', 'strict.json', '--strict')
    expect(strict.status).toBe(2)
    expect(strict.stderr).toMatch(/customer/)
    expect(
      status('synth', 'train', '--data', fixture, '--schema', 'hand.schema.json', '--out', 'strict.json', '--strict'),
    ).toBe(2)
    expect(existsSync(join(dir, 'strict.json'))).toBe(false)
    expect(status('profile', fixture, '--schema', 'hand.schema.json', '--strict')).toBe(2)
  })
})
