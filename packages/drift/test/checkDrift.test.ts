import type { Report, Table } from '@modelgate/core'
import { categoricalFromStrings, createRandom, selectColumns, tableFromColumns } from '@modelgate/core'
import { wasserstein } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { buildBaseline, checkDrift } from '../src/index.js'
import { sampleTable } from './support/tables.js'

const schema = {
  version: 1 as const,
  columns: [
    { name: 'device_fingerprint', kind: 'text' as const, nullable: true, pii: { type: 'device_id' as const } },
    { name: 'email', kind: 'text' as const, nullable: true, pii: { type: 'email' as const } },
  ],
}
const reference = sampleTable({ rows: 20_000, seed: 1 })
const baseline = buildBaseline(reference, { schema, name: 'train' })

const failing = (report: Report): string[] => report.checks.filter((c) => c.verdict === 'fail').map((c) => c.id)

describe('checkDrift on a large reference (Wasserstein / Jensen–Shannon, Evidently > 1,000 rows)', () => {
  it('passes an undrifted sample from the same process', () => {
    const report = checkDrift(baseline, sampleTable({ rows: 20_000, seed: 2 }))
    expect(failing(report)).toEqual([])
    expect(report.verdict).toBe('pass')
    const amount = report.checks.find((c) => c.id === 'drift.column.amount')
    expect(amount?.details).toMatchObject({ method: 'wasserstein', source: 'auto', approximate: true })
    const country = report.checks.find((c) => c.id === 'drift.column.country')
    expect(country?.details).toMatchObject({ method: 'jensenshannon' })
  })

  it('catches and names a +0.5σ mean shift in one column', () => {
    const report = checkDrift(baseline, sampleTable({ rows: 20_000, seed: 3, shift: 0.5 }))
    expect(failing(report)).toEqual(['drift.dataset', 'drift.column.amount'])
    const amount = report.checks.find((c) => c.id === 'drift.column.amount')
    expect(amount?.message).toMatch(/^amount: wasserstein \(approximate\) 0\.\d+ ≥ 0\.1 — drift$/)
    expect(report.checks.find((c) => c.id === 'drift.dataset')?.message).toBe(
      '1 of 5 columns drifted (20.0%; any drifted column fails): amount',
    )
  })

  it('catches the null injection: device_fingerprint goes from 0% to 40% null', () => {
    const report = checkDrift(baseline, sampleTable({ rows: 5000, seed: 4, nullShare: 0.4 }))
    expect(failing(report)).toEqual(['drift.quality.null_rate.device_fingerprint'])
    const check = report.checks.find((c) => c.id === 'drift.quality.null_rate.device_fingerprint')
    expect(check?.message).toMatch(
      /^device_fingerprint: null rate 40\.\d% \(reference 0\.0%\) — up 40\.\d% points, more than 5\.0%$/,
    )
    expect(report.verdict).toBe('fail')
  })

  it('binned Wasserstein stays within 0.005 of the exact statistic (scipy-checked stats.wasserstein on the raw samples) on varied shapes', () => {
    const rng = createRandom(5)
    const n = 50_000
    const shapes: Record<string, () => number> = {
      normal: () => rng.normal(),
      lognormal: () => Math.exp(rng.normal()),
      exponential: () => -Math.log(1 - rng.uniform()),
      pareto: () => (1 - rng.uniform()) ** (-1 / 3),
      uniform: () => rng.uniform(),
    }
    for (const [name, draw] of Object.entries(shapes)) {
      for (const shift of [0, 0.05, 0.3]) {
        const a = Float64Array.from({ length: n }, draw)
        const b = Float64Array.from({ length: n }, () => draw() * (1 + shift) + shift)
        const t = (values: Float64Array): Table => tableFromColumns([{ kind: 'numeric', name, values, valid: null }])
        const report = checkDrift(t(a), t(b))
        const got = report.checks.find((c) => c.id === `drift.column.${name}`)?.metrics?.statistic as number
        const exact = wasserstein(a, b).statistic
        expect(Math.abs(got - exact), `${name} shift ${shift}: ${got} vs ${exact}`).toBeLessThan(0.005)
      }
    }
  })

  it("fails on Evidently's dataset rule only when at least half of the columns drifted (failOn share)", () => {
    const current = sampleTable({ rows: 20_000, seed: 3, shift: 0.5 })
    const report = checkDrift(baseline, current, { failOn: { share: 0.5 } })
    expect(report.checks.find((c) => c.id === 'drift.column.amount')?.verdict).toBe('warn')
    expect(report.checks.find((c) => c.id === 'drift.dataset')?.verdict).toBe('warn')
    expect(report.verdict).toBe('warn')
  })

  it('runs any method by name with its threshold, Evidently names included', () => {
    const current = sampleTable({ rows: 20_000, seed: 2 })
    const report = checkDrift(baseline, current, {
      methods: ['amount=psi:0.2', 'categorical=chisquare:0.01', 'latency=kolmogorov-smirnov'],
    })
    const details = (id: string) => report.checks.find((c) => c.id === id)?.details as { method: string }
    expect(details('drift.column.amount').method).toBe('psi')
    expect(details('drift.column.country').method).toBe('chisquare')
    expect(details('drift.column.latency').method).toBe('ks')
    expect(report.checks.find((c) => c.id === 'drift.column.country')?.metrics?.threshold).toBe(0.01)
    expect(() => checkDrift(baseline, current, { methods: ['amount=energy'] })).toThrow(/unknown method "energy"/)
    expect(() => checkDrift(baseline, current, { methods: ['country=wasserstein'] })).toThrow(
      /wasserstein does not fit column "country"/,
    )
    expect(() => checkDrift(baseline, current, { methods: ['nope=psi'] })).toThrow(/no column "nope"/)
    expect(() => checkDrift(baseline, current, { methods: ['amount=ks:2'] })).toThrow(/p-value in \(0, 1\)/)
  })
})

describe('checkDrift on a small reference (KS / chi-square / z-test with Holm, Evidently ≤ 1,000 rows)', () => {
  const small = sampleTable({ rows: 800, seed: 11 })

  it('uses exact tests on a raw reference and corrects p-values across columns with Holm', () => {
    const report = checkDrift(small, sampleTable({ rows: 800, seed: 12 }), { baseline: { schema } })
    const methods = Object.fromEntries(
      report.checks
        .filter((c) => c.id.startsWith('drift.column.'))
        .map((c) => [c.name, (c.details as { method: string }).method]),
    )
    expect(methods).toEqual({ amount: 'ks', latency: 'ks', items: 'ks', country: 'chisquare', is_mobile: 'z' })
    for (const c of report.checks.filter((c) => c.id.startsWith('drift.column.'))) {
      expect(c.metrics?.adjustedPValue).toBeGreaterThanOrEqual(c.metrics?.pValue as number)
    }
    expect(report.verdict).toBe('pass')
    const shifted = checkDrift(small, sampleTable({ rows: 800, seed: 13, shift: 0.5 }), { baseline: { schema } })
    expect(failing(shifted)).toEqual(['drift.dataset', 'drift.column.amount'])
    expect(shifted.checks.find((c) => c.id === 'drift.column.amount')?.message).toMatch(
      /^amount: ks p = .+ \(holm-adjusted; raw .+\) < 0\.05, statistic .+ — drift$/,
    )
  })
})

describe('bad input: findings, never a crash; unusable input is an error', () => {
  it('reports a missing column and extra columns as findings', () => {
    const current = sampleTable({ rows: 3000, seed: 6 })
    const withoutAmount = tableFromColumns([
      ...current.columns.filter((c) => c.name !== 'amount'),
      { kind: 'numeric', name: 'brand_new', values: new Float64Array(3000), valid: null },
    ])
    const report = checkDrift(baseline, withoutAmount)
    expect(failing(report)).toEqual(['drift.quality.missing.amount'])
    expect(report.checks.find((c) => c.id === 'drift.column.amount')?.verdict).toBe('skip')
    const extra = report.checks.find((c) => c.id === 'drift.quality.extra_fields')
    expect(extra).toMatchObject({ verdict: 'warn', message: '1 field not in the baseline (not tested): brand_new' })
  })

  it('reports a type change (strings where the baseline has numbers) naming the column', () => {
    const current = sampleTable({ rows: 3000, seed: 6 })
    const words = Array.from({ length: 3000 }, (_, i) => (i % 2 === 0 ? 'twelve' : 'n/a'))
    const table = tableFromColumns(
      current.columns.map((c) => (c.name === 'amount' ? categoricalFromStrings('amount', words) : c)),
    )
    const report = checkDrift(baseline, table)
    const check = report.checks.find((c) => c.id === 'drift.quality.type.amount')
    expect(check?.verdict).toBe('fail')
    expect(check?.message).toBe(
      'amount: type change — 3,000 of 3,000 values are not numbers (the baseline has numbers)',
    )
    expect(check?.message).not.toContain('twelve')
  })

  it('an all-null column fails its null rate and leaves drift inconclusive', () => {
    const current = sampleTable({ rows: 3000, seed: 6 })
    const table = tableFromColumns(
      current.columns.map((c) =>
        c.name === 'latency'
          ? { kind: 'numeric' as const, name: 'latency', values: new Float64Array(3000), valid: new Uint8Array(3000) }
          : c,
      ),
    )
    const report = checkDrift(baseline, table)
    expect(report.checks.find((c) => c.id === 'drift.quality.null_rate.latency')?.verdict).toBe('fail')
    expect(report.checks.find((c) => c.id === 'drift.column.latency')).toMatchObject({
      verdict: 'inconclusive',
      message: 'latency: 0 non-null values in the current sample, fewer than the 30 needed to judge drift',
    })
  })

  it('refuses an empty sample', () => {
    const empty = selectColumns(sampleTable({ rows: 0, seed: 1 }), ['amount'])
    expect(() => checkDrift(baseline, empty, { currentName: 'today.parquet' })).toThrow(
      /today\.parquet: no rows; a drift check needs at least one row/,
    )
  })

  it('flags unseen categories and a column of a million distinct strings is never tested or echoed', () => {
    const current = sampleTable({ rows: 3000, seed: 6 })
    const novel = Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? 'Mars' : 'US'))
    const table = tableFromColumns(
      current.columns.map((c) => (c.name === 'country' ? categoricalFromStrings('country', novel) : c)),
    )
    const report = checkDrift(baseline, table)
    expect(report.checks.find((c) => c.id === 'drift.quality.unseen.country')?.verdict).toBe('fail')
    expect(JSON.stringify(report)).not.toContain('Mars')
  })
})
