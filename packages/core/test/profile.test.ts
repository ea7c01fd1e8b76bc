import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Table, TableProfile } from '@modelgate/core'
import { defineSchema, OTHER_CATEGORY, profileTable, readTable, renderProfile, tableFromRows } from '@modelgate/core'
import { beforeAll, describe, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url))
const adultPath = resolve(repoRoot, 'test/data/adult.csv')

interface NumericRef {
  min: number
  max: number
  distinct: number
  mean: number
  std: number
  quantiles: Record<string, number>
  histogram: { edges: number[]; counts: number[] }
}
const reference = JSON.parse(readFileSync(new URL('./fixtures/profile-adult.json', import.meta.url), 'utf8')) as {
  numRows: number
  numeric: Record<string, NumericRef>
  categorical: Record<string, { nulls: number; counts: Record<string, number> }>
}

describe('profileTable on UCI Adult (reference values from numpy, fixtures/make-profile-fixture.py)', () => {
  let adult: Table
  let profile: TableProfile
  beforeAll(async () => {
    adult = await readTable(adultPath, { nullValues: ['', '?'] })
    profile = profileTable(adult)
  })
  const column = (name: string) => {
    const c = profile.columns.find((p) => p.name === name)
    if (c === undefined) throw new Error(`no profile for ${name}`)
    return c
  }

  it.each(Object.keys(reference.numeric))(
    'matches numpy for %s: min, max, distinct, mean, std, 7 quantiles, 20-bin histogram',
    (name) => {
      const ref = reference.numeric[name] as NumericRef
      const n = column(name).numeric
      expect(n).toBeDefined()
      if (n === undefined) return
      expect(n.min).toBe(ref.min)
      expect(n.max).toBe(ref.max)
      expect(n.distinct).toBe(ref.distinct)
      expect(column(name).distinct).toBe(ref.distinct)
      expect(n.mean).toBeCloseTo(ref.mean, 8)
      expect(n.std).toBeCloseTo(ref.std, 8)
      for (const [q, value] of Object.entries(ref.quantiles))
        expect(n.quantiles[q as keyof typeof n.quantiles]).toBeCloseTo(value, 8)
      expect(n.histogram.counts).toEqual(ref.histogram.counts)
      n.histogram.edges.forEach((edge, i) => {
        expect(edge).toBeCloseTo(ref.histogram.edges[i] as number, 6)
      })
    },
  )

  it('counts nulls and distinct categories, and lists the most frequent first with their shares', () => {
    const ref = reference.categorical.workclass as { nulls: number; counts: Record<string, number> }
    const workclass = column('workclass')
    expect(workclass.kind).toBe('categorical')
    expect(workclass.nulls).toBe(ref.nulls)
    expect(workclass.nullRate).toBeCloseTo(ref.nulls / reference.numRows, 12)
    expect(workclass.distinct).toBe(Object.keys(ref.counts).length)
    const top = workclass.categories?.top[0]
    expect(top?.value).toBe('Private')
    expect(top?.count).toBe(ref.counts.Private)
    expect(top?.share).toBeCloseTo((ref.counts.Private as number) / (reference.numRows - ref.nulls), 12)
  })

  it('folds categories seen fewer than k times into "(other)" and never names them', () => {
    const ref = reference.categorical['native-country'] as { nulls: number; counts: Record<string, number> }
    const rare = Object.entries(ref.counts).filter(([, c]) => c < 5)
    expect(rare.length).toBeGreaterThan(0) // Holand-Netherlands is seen once
    const country = column('native-country')
    expect(country.categories?.rareCategories).toBe(rare.length)
    const other = country.categories?.top.find((t) => t.value === OTHER_CATEGORY)
    const listed = country.categories?.top.filter((t) => t.value !== OTHER_CATEGORY) ?? []
    const nonNull = reference.numRows - ref.nulls
    expect(listed.length + (other?.count ?? 0)).toBeGreaterThan(0)
    expect(listed.reduce((s, t) => s + t.count, 0) + (other?.count ?? 0)).toBe(nonNull)
    const bytes = JSON.stringify(profile) + renderProfile(profile)
    for (const [value] of rare) expect(bytes).not.toContain(value)
  })

  it('profiles 32,561 rows in well under a second', () => {
    const t0 = performance.now()
    profileTable(adult)
    expect(performance.now() - t0).toBeLessThan(1500)
  })
})

describe('profileTable privacy', () => {
  const rows = Array.from({ length: 200 }, (_, i) => ({
    customer_email: i % 10 === 0 ? null : `person${i}@mail-${i % 7}.org`,
    plan: i % 50 === 0 ? 'enterprise-trial' : i % 2 === 0 ? 'basic' : 'pro',
    amount: (i % 13) * 1.5,
  }))
  const table = tableFromRows(rows)

  it('summarizes a PII column by counts only: null rate, count, distinct — no values', () => {
    const profile = profileTable(table)
    const email = profile.columns.find((c) => c.name === 'customer_email')
    expect(email).toEqual({
      name: 'customer_email',
      kind: 'text',
      count: 200,
      nulls: 20,
      nullRate: 0.1,
      distinct: 180,
      pii: { type: 'email', reason: 'name matches "email"; 100% of 180 sampled values look like email addresses' },
    })
    const bytes = JSON.stringify(profile) + renderProfile(profile)
    expect(bytes).not.toMatch(/person\d+@/)
    expect(bytes).not.toContain('mail-')
  })

  it('takes kinds and PII tags from a given schema instead of inferring them', () => {
    const schema = defineSchema({
      version: 1,
      columns: [
        { name: 'customer_email', kind: 'text' },
        { name: 'plan', kind: 'text', pii: { type: 'free_text' } },
        { name: 'amount', kind: 'numeric' },
      ],
    })
    const profile = profileTable(table, { schema })
    expect(profile.columns.find((c) => c.name === 'plan')?.pii).toEqual({ type: 'free_text' })
    expect(profile.columns.find((c) => c.name === 'amount')?.numeric).toBeDefined()
    expect(JSON.stringify(profile)).not.toContain('basic')
  })

  it('still detects PII in the columns a given schema leaves untagged, and names each in a warning', () => {
    const schema = defineSchema({
      version: 1,
      columns: [
        { name: 'customer_email', kind: 'text' },
        { name: 'amount', kind: 'numeric' },
      ],
    })
    const profile = profileTable(table, { schema })
    expect(profile.columns.find((c) => c.name === 'customer_email')?.pii?.type).toBe('email')
    expect(profile.warnings.map((w) => `${w.code} ${w.column}`)).toEqual(['MG_SCHEMA_PII_UNTAGGED customer_email'])
    expect(JSON.stringify(profile)).not.toMatch(/@example/)
    // Reviewed and marked as not PII: profiled as the schema says, no warning.
    const reviewed = defineSchema({ version: 1, columns: [{ name: 'customer_email', kind: 'text', notPii: true }] })
    const plain = profileTable(table, { schema: reviewed })
    expect(plain.columns.find((c) => c.name === 'customer_email')?.text).toBeDefined()
    expect(plain.warnings).toEqual([])
  })

  it('keeps a 4-row category out of the profile but counts it in (other)', () => {
    const profile = profileTable(table)
    const plan = profile.columns.find((c) => c.name === 'plan')
    expect(plan?.categories?.top).toEqual([
      { value: 'pro', count: 100, share: 0.5 },
      { value: 'basic', count: 96, share: 0.48 },
      { value: OTHER_CATEGORY, count: 4, share: 0.02 },
    ])
    expect(plan?.categories?.rareCategories).toBe(1)
    expect(JSON.stringify(profile)).not.toContain('enterprise-trial')
  })
})

describe('profileTable datetimes', () => {
  it('gives ISO bounds and median, and the numeric summary in epoch ms', () => {
    const table = tableFromRows(
      Array.from({ length: 49 }, (_, i) => ({ at: new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString() })),
    )
    const at = profileTable(table).columns[0]
    expect(at?.kind).toBe('datetime')
    expect(at?.datetime).toEqual({
      // Trimmed: the 5th earliest and latest times.
      min: '2026-01-05T00:00:00.000Z',
      max: '2026-02-14T00:00:00.000Z',
      p50: '2026-01-25T00:00:00.000Z',
    })
    expect(at?.distinct).toBe(49)
    expect(at?.numeric?.histogram.counts.reduce((a, b) => a + b, 0)).toBe(49)
  })
})

describe('renderProfile', () => {
  it('prints an aligned table: one line per column with kind, nulls, distinct, summary and a histogram', () => {
    const table = tableFromRows(
      Array.from({ length: 100 }, (_, i) => ({
        score: i / 100,
        segment: ['a', 'b', 'c', 'd'][i % 4] as string,
        flag: i % 3 === 0,
        seen_at: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
      })),
    )
    expect(renderProfile(profileTable(table), { title: 'scores.csv' })).toMatchInlineSnapshot(`
      "scores.csv — 100 rows × 4 columns

      column   kind         nulls  distinct  summary                                                    distribution
      score    numeric          0       100  0.04 … 0.95  mean 0.495 ± 0.29  p50 0.495                  █▅▄▅▄▅▄▅▄▅▅▄▅▄▅▄▅▄▅█
      segment  categorical      0         4  a 25%, b 25%, c 25%, d 25%                                 ████
      flag     boolean          0         2  true 34.0%
      seen_at  datetime         0       100  2026-01-01 04:00 … 2026-01-04 23:00  p50 2026-01-03 01:30  █▅▄▅▄▅▄▅▄▅▅▄▅▄▅▄▅▄▅█
      "
    `)
  })
})
