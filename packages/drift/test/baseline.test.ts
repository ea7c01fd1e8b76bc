import type { TableSchema } from '@modelgate/core'
import { categoricalFromStrings, tableFromColumns } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { BASELINE_VERSION, baselineFromJSON, buildBaseline } from '../src/index.js'
import { sampleTable } from './support/tables.js'

const schema: TableSchema = {
  version: 1,
  columns: [
    { name: 'device_fingerprint', kind: 'text', nullable: true, pii: { type: 'device_id' } },
    { name: 'email', kind: 'text', nullable: true, pii: { type: 'email' } },
  ],
}

describe('buildBaseline', () => {
  const table = sampleTable({ rows: 5000, seed: 1 })
  const baseline = buildBaseline(table, { schema, name: 'train.parquet' })

  it('classifies columns as Evidently does: numeric, discrete numeric and booleans as categories, PII', () => {
    const kinds = Object.fromEntries(baseline.columns.map((c) => [c.name, c.kind]))
    expect(kinds).toEqual({
      amount: 'numeric',
      latency: 'numeric',
      items: 'numeric',
      country: 'categorical',
      is_mobile: 'categorical',
      device_fingerprint: 'pii',
      email: 'pii',
    })
    const amount = baseline.columns.find((c) => c.name === 'amount')
    if (amount?.kind !== 'numeric') throw new Error('amount')
    expect(amount.count).toBe(5000)
    expect(amount.binCounts.reduce((a, b) => a + b, 0)).toBe(5000)
    expect(amount.edges).toHaveLength(99)
    // the sketch is sized from the stated error bound: 0.25% at 99% → k = 1,047
    expect(amount.sketch?.k).toBe(1047)
    expect(amount.mean).toBeCloseTo(50, 1)
  })

  it('round-trips through JSON and validates what it reads', () => {
    const text = JSON.stringify(baseline)
    expect(baselineFromJSON(text, { source: 'baseline.json' })).toEqual(baseline)
  })

  it('refuses a truncated, tampered or newer baseline, naming the file', () => {
    const text = JSON.stringify(baseline)
    expect(() => baselineFromJSON(text.slice(0, text.length / 2), { source: 'b.json' })).toThrow(
      /b\.json: not valid JSON .* truncated/,
    )
    const tampered = text.replace('"count":5000', '"count":4999')
    expect(() => baselineFromJSON(tampered, { source: 'b.json' })).toThrow(/checksum does not match/)
    const newer = text.replace(`"version":${BASELINE_VERSION}`, `"version":${BASELINE_VERSION + 1}`)
    expect(() => baselineFromJSON(newer, { source: 'b.json' })).toThrow(/version 2 is newer than this build reads/)
    const broken = JSON.parse(text)
    broken.columns[0].edges = 'x'
    expect(() => baselineFromJSON(broken, { source: 'b.json' })).toThrow(/b\.json: columns\[0\]/)
    expect(() => baselineFromJSON({ format: 'other' })).toThrow(/not a drift baseline/)
  })

  it('holds no PII value, no rare category and no exact extreme (the bytes are scanned)', () => {
    const rare = ['Narnia', 'Atlantis', 'Lilliput']
    const base = sampleTable({ rows: 3000, seed: 9 })
    const country = base.columns.find((c) => c.name === 'country')
    if (country?.kind !== 'categorical') throw new Error('country')
    const values = country.codes.map((c) => c) as unknown as number[]
    const strings = Array.from(values, (c, i) =>
      i < rare.length ? (rare[i] as string) : (country.dictionary[c] as string),
    )
    const amount = base.columns.find((c) => c.name === 'amount')
    if (amount?.kind !== 'numeric') throw new Error('amount')
    const withOutlier = Float64Array.from(amount.values)
    withOutlier[17] = 987654.321
    const table = tableFromColumns(
      base.columns.map((c) =>
        c.name === 'country'
          ? categoricalFromStrings('country', strings)
          : c.name === 'amount'
            ? { ...amount, values: withOutlier }
            : c,
      ),
    )
    const text = JSON.stringify(buildBaseline(table, { schema }))
    for (const word of rare) expect(text).not.toContain(word)
    expect(text).not.toContain('987654')
    expect(text).not.toContain('@example.com')
    expect(text).not.toMatch(/user9x\d+/)
    const device = table.columns.find((c) => c.name === 'device_fingerprint')
    if (device?.kind !== 'text') throw new Error('device')
    for (const v of device.values.slice(0, 200)) expect(text).not.toContain(String(v))
    // the rare categories are counted, as one "(other)" count
    const stored = JSON.parse(text).columns.find((c: { name: string }) => c.name === 'country')
    expect(stored.other).toBe(3)
  })

  it('detects PII by value when no schema tags it', () => {
    const b = buildBaseline(sampleTable({ rows: 500, seed: 2 }))
    expect(b.columns.find((c) => c.name === 'email')?.kind).toBe('pii')
  })

  it('turns a text column with a million distinct strings into an identifier (not tested, not stored)', () => {
    const n = 1_000_000
    const ids = Array.from({ length: n }, (_, i) => `order-${i}`)
    const table = tableFromColumns([{ kind: 'text', name: 'order_ref', values: ids }])
    const b = buildBaseline(table, {
      schema: { version: 1, columns: [{ name: 'order_ref', kind: 'text', nullable: true, notPii: true }] },
    })
    expect(b.columns[0]).toMatchObject({ kind: 'identifier', count: n })
    expect(JSON.stringify(b)).not.toContain('order-')
  })

  it('refuses an empty reference and an unknown column', () => {
    const empty = tableFromColumns([{ kind: 'numeric', name: 'x', values: new Float64Array(0), valid: null }])
    expect(() => buildBaseline(empty, { name: 'train.csv' })).toThrow(/train\.csv: the reference has no rows/)
    expect(() => buildBaseline(sampleTable({ rows: 10, seed: 1 }), { prediction: 'score' })).toThrow(
      /no column "score"/,
    )
  })
})
