import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Table } from '@modelgate/core'
import { defineSchema, tableFromRows, tableToRows } from '@modelgate/core'
import type { SynthModel } from '@modelgate/synth'
import { fitCtgan, fitSynthModelFile, trainSynthesizer } from '@modelgate/synth'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

// 30 entities × 10 rows whose values PII detection does not recognise (codes, plain numbers, short notes): only
// the entity-memorization rule stands between them and the model. amount and channel vary per row.
const rows: Record<string, unknown>[] = []
for (let r = 0; r < 10; r++) {
  for (let e = 0; e < 30; e++) {
    rows.push({
      member: `M-${String(e * 7919).padStart(6, '0')}`,
      account: 880_000_000_000 + e * 1_234_567,
      tag: `tier ${e} remark`,
      amount: ((e * 7 + r * 13) % 50) + 0.25 + r / 100,
      channel: ['web', 'app', 'store'][(e + r) % 3],
    })
  }
}
const table: Table = tableFromRows(rows)
const secrets = [...new Set(rows.flatMap((row) => [String(row.member), String(row.account), String(row.tag)]))]
const leaks = (text: string): string[] => secrets.filter((s) => text.includes(s))

describe('the entity-memorization rule in training', () => {
  it('folds values that mark a repeated entity and names their columns (copula)', () => {
    const file = fitSynthModelFile(table, { seed: 3 })
    expect(file.detectedPii).toBeUndefined()
    expect(file.quasiIdentifiers?.map((q) => [q.column, q.values, q.rows])).toEqual([
      ['member', 30, 300],
      ['account', 30, 300],
      ['tag', 30, 300],
    ])
    expect(leaks(JSON.stringify(file))).toEqual([])
    expect(file.columns.find((c) => c.name === 'account')?.nullRate).toBe(1)
    expect(file.columns.find((c) => c.name === 'channel')).toMatchObject({ kind: 'categorical', nullRate: 0 })
  })

  it('stores them without the rule (the test can fail)', () => {
    const schema = defineSchema({
      version: 1,
      columns: [{ name: 'member', kind: 'categorical', values: [...new Set(rows.map((r) => String(r.member)))] }],
    })
    // Declared allowed values are public: the rule leaves that column alone, and its values are stored.
    const file = fitSynthModelFile(table, { seed: 3, schema })
    expect(leaks(JSON.stringify(file)).length).toBeGreaterThanOrEqual(30)
  })

  it('refuses to train in strict mode, naming the columns', () => {
    expect(() => fitSynthModelFile(table, { strict: true })).toThrow(
      /Strict mode: quasi-identifier columns \(values marking repeated entities\): member, account, tag\. Nothing was trained\./,
    )
    expect(() => fitSynthModelFile(table, { strict: true })).toThrow(
      expect.objectContaining({ code: 'MG_SYNTH_PRIVACY_STRICT' }),
    )
  })

  let ctgan: SynthModel
  beforeAll(async () => {
    ctgan = await trainSynthesizer(table, {
      synthesizer: 'ctgan',
      seed: 5,
      ctgan: { epochs: 1, batchSize: 100, backend: 'cpu' },
    })
  }, 120_000)
  afterAll(() => ctgan?.dispose())

  it('holds for CTGAN too: nothing in its model file, nothing in what it generates', () => {
    const file = ctgan.toJSON()
    expect(file.quasiIdentifiers?.map((q) => q.column)).toEqual(['member', 'account', 'tag'])
    expect(leaks(JSON.stringify(file))).toEqual([])
    expect(leaks(JSON.stringify(tableToRows(ctgan.sample(500, { seed: 1 }))))).toEqual([])
  })

  it('resumes CTGAN on the table the first run read: numeric quasi-identifier values replaced again', async () => {
    // balance marks the even entities (folded and replaced in what the GAN reads) and varies per row elsewhere.
    const mixed = tableFromRows(
      rows.map((row, i) => {
        const e = i % 30
        return { ...row, balance: e % 2 === 0 ? 90_000 + e * 1_111 : 10 + ((i * 37) % 300) / 10 }
      }),
    )
    const dir = await mkdtemp(join(tmpdir(), 'mg-entity-resume-'))
    const options = { seed: 4, batchSize: 100, backend: 'onnxruntime' as const, threads: 1, calibrate: false as const }
    try {
      const checkpoint = join(dir, 'ckpt.json')
      const full = await fitCtgan(mixed, { ...options, epochs: 2, checkpoint: { path: checkpoint, every: 1 } })
      full.dispose()
      expect(full.toJSON().quasiIdentifiers?.map((q) => q.column)).toContain('balance')
      // The checkpoint of epoch 2 was written last; resume from the one of epoch 1 by training one epoch again.
      const first = await fitCtgan(mixed, { ...options, epochs: 1, checkpoint: { path: checkpoint, every: 1 } })
      first.dispose()
      const resumed = await fitCtgan(mixed, { ...options, epochs: 2, resumeFrom: checkpoint })
      resumed.dispose()
      expect(resumed.losses).toEqual(full.losses)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('PII detection when a schema is given', () => {
  const people = tableFromRows(
    Array.from({ length: 60 }, (_, i) => ({ contact: `person${i}@example.com`, amount: i * 1.5 })),
  )

  it('treats an untagged column that looks like PII as PII, and warns', () => {
    const schema = defineSchema({ version: 1, columns: [{ name: 'contact', kind: 'text' }] })
    const file = fitSynthModelFile(people, { schema })
    expect(file.columns.find((c) => c.name === 'contact')).toMatchObject({ kind: 'pii', pii: 'email' })
    expect(file.detectedPii?.map((d) => d.column)).toEqual(['contact'])
    expect(() => fitSynthModelFile(people, { schema, strict: true })).toThrow(/not tagged: contact \(email\)/)
  })

  it('respects a column the schema marks as reviewed and not PII', () => {
    const schema = defineSchema({ version: 1, columns: [{ name: 'contact', kind: 'text', notPii: true }] })
    // Every contact is distinct: kept as one rare bucket, so strict mode has no column generated all-null to refuse.
    const file = fitSynthModelFile(people, { schema, strict: true, rareCategories: 'other' })
    expect(file.detectedPii).toBeUndefined()
    expect(file.columns.find((c) => c.name === 'contact')?.kind).not.toBe('pii')
  })
})
