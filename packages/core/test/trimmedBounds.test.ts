// Issue #12: `schema infer` and `profile` showed and stored the exact extremes of numeric columns (one person's
// salary, the oldest birth date). They show the k-th smallest and largest values instead — the bounds the copula
// stores (trimmedBounds, one rule for both).
import type { Table } from '@modelgate/core'
import {
  createRandom,
  formatNumber,
  inferSchema,
  profileTable,
  renderProfile,
  tableFromRows,
  trimmedBounds,
  trimmedBoundsUnsorted,
} from '@modelgate/core'
import { describe, expect, it } from 'vitest'

const LOWEST = 1234.56
const HIGHEST = 987654.32
const OLDEST = '1931-02-03'
const NEWEST = '2029-11-12'

/** 60 salaries and sign-up dates; the lowest and highest of each belong to one person each. */
function people(): Table {
  const rows: Record<string, unknown>[] = []
  for (let i = 0; i < 58; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0')
    rows.push({ salary: 30_000 + i * 1_000 + 0.5, joined: `2020-0${1 + (i % 9)}-${day}`, level: i % 3 })
  }
  rows.push({ salary: LOWEST, joined: OLDEST, level: 0 }, { salary: HIGHEST, joined: NEWEST, level: 2 })
  return tableFromRows(rows)
}

/** Every spelling of an extreme a report could use. */
function spellings(): string[] {
  return [LOWEST, HIGHEST]
    .flatMap((x) => [String(x), x.toLocaleString('en-US'), formatNumber(x)])
    .concat([OLDEST, NEWEST])
}

describe('trimmedBounds', () => {
  it('is the k-th smallest and largest value, meeting at the median below 2k values', () => {
    const sorted = Float64Array.from({ length: 20 }, (_, i) => i)
    expect(trimmedBounds(sorted, 5)).toEqual({ min: 4, max: 15 })
    expect(trimmedBounds(Float64Array.from([1, 2, 3]), 5)).toEqual({ min: 2, max: 2 })
    expect(trimmedBounds([7], 5)).toEqual({ min: 7, max: 7 })
  })

  it('gives the same bounds on unsorted values without sorting them (ties, tiny and large inputs)', () => {
    const random = createRandom(7)
    for (const n of [1, 3, 9, 10, 11, 50, 1000]) {
      const values = Float64Array.from({ length: n }, () => Math.round(random.uniform() * 20))
      expect(trimmedBoundsUnsorted(values, 5)).toEqual(trimmedBounds(Float64Array.from(values).sort(), 5))
    }
  })
})

describe('no exact extreme reaches a schema or a profile', () => {
  it('inferSchema writes the 5th smallest and largest salary and date as bounds', () => {
    const { schema } = inferSchema(people())
    const salary = schema.columns.find((c) => c.name === 'salary')
    expect(salary).toMatchObject({ kind: 'numeric', min: 33_000.5, max: 84_000.5 })
    const joined = schema.columns.find((c) => c.name === 'joined')
    expect(joined).toMatchObject({ kind: 'datetime', min: '2020-01-18', max: '2020-09-17' })
    const bytes = JSON.stringify(schema)
    for (const s of spellings()) expect(bytes).not.toContain(s)
  })

  it('profileTable summarizes within the trimmed bounds: min, max, quantiles and histogram edges', () => {
    const profile = profileTable(people())
    const salary = profile.columns.find((c) => c.name === 'salary')?.numeric
    expect(salary).toMatchObject({ min: 33_000.5, max: 84_000.5 })
    for (const q of Object.values(salary?.quantiles ?? {})) {
      expect(q).toBeGreaterThanOrEqual(33_000.5)
      expect(q).toBeLessThanOrEqual(84_000.5)
    }
    expect(salary?.histogram.edges[0]).toBe(33_000.5)
    expect(salary?.histogram.edges.at(-1)).toBe(84_000.5)
    // Every value is still counted: the extremes fall into the end bins.
    expect(salary?.histogram.counts.reduce((a, b) => a + b, 0)).toBe(60)
    const bytes = `${JSON.stringify(profile)}\n${renderProfile(profile)}`
    for (const s of spellings()) expect(bytes).not.toContain(s)
  })
})
