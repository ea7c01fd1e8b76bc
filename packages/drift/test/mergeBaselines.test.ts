import { takeRows } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { buildBaseline, checkDrift, mergeBaselines } from '../src/index.js'
import { sampleTable } from './support/tables.js'

const schema = {
  version: 1 as const,
  columns: [
    { name: 'device_fingerprint', kind: 'text' as const, nullable: true, pii: { type: 'device_id' as const } },
    { name: 'email', kind: 'text' as const, nullable: true, pii: { type: 'email' as const } },
  ],
}

describe('mergeBaselines', () => {
  const table = sampleTable({ rows: 40_000, seed: 21 })
  const shard = (i: number, n: number) => {
    const rows: number[] = []
    for (let r = i; r < table.numRows; r += n) rows.push(r)
    return takeRows(table, rows)
  }
  const single = buildBaseline(table, { schema })
  const merged = mergeBaselines([0, 1, 2, 3].map((i) => buildBaseline(shard(i, 4), { schema })))

  it('adds counts, nulls, moments and categories exactly', () => {
    expect(merged.source).toMatchObject({ rows: 40_000, partitions: 4 })
    for (const [i, c] of merged.columns.entries()) {
      const s = single.columns[i]
      expect(c.count).toBe(s?.count)
      expect(c.nulls).toBe(s?.nulls)
      if (c.kind === 'numeric' && s?.kind === 'numeric') {
        expect(c.mean).toBeCloseTo(s.mean, 10)
        expect(c.m2 / s.m2).toBeCloseTo(1, 10)
        expect(c.exactBins).toBe(false)
      }
      if (c.kind === 'categorical' && s?.kind === 'categorical') expect(c.categories).toEqual(s.categories)
    }
  })

  it('puts bin edges within the sketch rank error of the single pass', () => {
    for (const [i, c] of merged.columns.entries()) {
      const s = single.columns[i]
      // continuous columns (a tied column's edges sit on repeated values)
      if (c.kind !== 'numeric' || s?.kind !== 'numeric' || c.name === 'items') continue
      // each merged edge's rank in the single-pass bins is within the stated rank error (0.25% at 99%)
      const cdf = (x: number) => {
        let below = 0
        for (let j = 0; j < s.edges.length && (s.edges[j] as number) <= x; j++) below += s.binCounts[j] as number
        return below / s.count
      }
      c.edges.forEach((e, j) => {
        const wanted = (j + 1) / 100
        expect(Math.abs(cdf(e) - wanted), `${c.name} edge ${j}`).toBeLessThan(0.0025 + 0.01)
      })
    }
  })

  it('judges drift as the single-pass baseline does', () => {
    for (const shift of [0, 0.5]) {
      const current = sampleTable({ rows: 20_000, seed: 22, shift })
      const a = checkDrift(single, current)
      const b = checkDrift(merged, current)
      const univariate = (r: typeof a) =>
        r.checks.filter((c) => c.id !== 'drift.multivariate').map((c) => [c.id, c.verdict])
      expect(univariate(b)).toEqual(univariate(a))
      const stat = (r: typeof a) => r.checks.find((c) => c.id === 'drift.column.amount')?.metrics?.statistic as number
      expect(Math.abs(stat(a) - stat(b))).toBeLessThan(0.01)
    }
  })

  it('refuses partitions built with other settings', () => {
    const other = buildBaseline(shard(0, 4), { schema, bins: 50 })
    expect(() => mergeBaselines([single, other])).toThrow(/other settings/)
  })
})
