import type { Table } from '@modelgate/core'
import { createRandom, tableFromColumns, takeRows } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { buildBaseline, checkDrift, createDriftState, driftStateFromJSON } from '../src/index.js'

/** x and y correlated (ρ = 0.8); with `shuffle`, y is permuted against x (every marginal unchanged). */
function correlated(rows: number, seed: number, shuffle = false): Table {
  const rng = createRandom(seed, 'mv')
  const x = new Float64Array(rows)
  const y = new Float64Array(rows)
  const w = new Float64Array(rows)
  const v = new Float64Array(rows)
  for (let i = 0; i < rows; i++) {
    x[i] = 100 + 15 * rng.normal()
    y[i] = (0.8 * ((x[i] as number) - 100)) / 15 + 0.6 * rng.normal()
    w[i] = Math.exp(rng.normal())
    v[i] = rng.uniform()
  }
  if (shuffle) {
    for (let i = rows - 1; i > 0; i--) {
      const j = rng.int(i + 1)
      const t = y[i] as number
      y[i] = y[j] as number
      y[j] = t
    }
  }
  return tableFromColumns([
    { kind: 'numeric', name: 'x', values: x, valid: null },
    { kind: 'numeric', name: 'y', values: y, valid: null },
    { kind: 'numeric', name: 'w', values: w, valid: null },
    { kind: 'numeric', name: 'v', values: v, valid: null },
  ])
}

describe('multivariate drift (PCA reconstruction error, NannyML)', () => {
  const baseline = buildBaseline(correlated(20_000, 1))

  it('stores the PCA model, not rows', () => {
    expect(baseline.multivariate?.columns).toEqual(['x', 'y', 'w', 'v'])
    expect(baseline.multivariate?.components.length).toBeGreaterThanOrEqual(1)
  })

  it('passes a sample from the same joint distribution', () => {
    const report = checkDrift(baseline, correlated(10_000, 2))
    expect(report.checks.find((c) => c.id === 'drift.multivariate')?.verdict).toBe('pass')
    expect(report.verdict).toBe('pass')
  })

  it('catches a column shuffled against the others, which every marginal test misses, and names it', () => {
    const report = checkDrift(baseline, correlated(10_000, 3, true))
    const columnVerdicts = report.checks.filter((c) => c.id.startsWith('drift.column.')).map((c) => c.verdict)
    expect(columnVerdicts).toEqual(['pass', 'pass', 'pass', 'pass'])
    const check = report.checks.find((c) => c.id === 'drift.multivariate')
    expect(check?.verdict).toBe('fail')
    expect((check?.details as { named: string[] } | undefined)?.named.slice(0, 2).sort()).toEqual(['x', 'y'])
    expect(check?.message).toMatch(/the joint distribution changed, most in (x, y|y, x)$/)
  })

  it('does not alarm on random halves of one table (the reference error is measured out of sample)', () => {
    const rng0 = createRandom(9, 'wide')
    const latent = Float64Array.from({ length: 6000 }, () => rng0.normal())
    // four correlated columns and ten heavy-tailed ones (Pareto, lognormal): PCA fitted on a sample bends to its
    // outliers, so an error measured on the same rows is biased low
    const table = tableFromColumns(
      Array.from({ length: 14 }, (_, j) => ({
        kind: 'numeric' as const,
        name: `c${j}`,
        values: Float64Array.from(latent, (l) =>
          j < 4 ? 0.8 * l + 0.6 * rng0.normal() : j < 9 ? (1 - rng0.uniform()) ** (-1 / 3) : Math.exp(rng0.normal()),
        ),
        valid: null,
      })),
    )
    for (let split = 0; split < 12; split++) {
      const rng = createRandom(split, 'split')
      const order = Array.from({ length: 6000 }, (_, i) => i)
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(i + 1)
        ;[order[i], order[j]] = [order[j] as number, order[i] as number]
      }
      const report = checkDrift(takeRows(table, order.slice(0, 3000)), takeRows(table, order.slice(3000)))
      expect(report.checks.find((c) => c.id === 'drift.multivariate')?.verdict, `split ${split}`).toBe('pass')
    }
  })

  it('merges and round-trips its sums with the window state', () => {
    const current = correlated(4000, 3, true)
    const whole = createDriftState(baseline).addTable(current)
    const rows = Array.from({ length: 4000 }, (_, i) =>
      Object.fromEntries(current.columns.map((c) => [c.name, c.kind === 'numeric' ? c.values[i] : null])),
    )
    const a = createDriftState(baseline).addRows(rows.slice(0, 1500))
    const b = driftStateFromJSON(baseline, createDriftState(baseline).addRows(rows.slice(1500)).toJSON())
    a.merge(b)
    expect(a.multivariate?.count).toBe(4000)
    expect(a.multivariate?.sum).toBeCloseTo(whole.multivariate?.sum as number, 6)
  })
})

describe('the domain classifier (a raw reference)', () => {
  it('tells shuffled rows from reference rows, and cannot tell rows of the same process apart', () => {
    const reference = correlated(20_000, 1)
    const same = checkDrift(reference, correlated(10_000, 2), { domainClassifier: true })
    expect(same.checks.find((c) => c.id === 'drift.domain_classifier')?.verdict).toBe('pass')
    const shuffled = checkDrift(reference, correlated(10_000, 3, true), { domainClassifier: true })
    const check = shuffled.checks.find((c) => c.id === 'drift.domain_classifier')
    expect(check?.verdict).toBe('fail')
    expect(check?.message).toMatch(
      /^domain classifier \(logistic regression on 4 numeric columns and their products, 5-fold\): AUC 0\.\d+ .* — reference and current rows can be told apart$/,
    )
    // not run against a baseline (no raw rows), nor by default
    expect(
      checkDrift(buildBaseline(reference), correlated(1000, 4), { domainClassifier: true }).checks.some(
        (c) => c.id === 'drift.domain_classifier',
      ),
    ).toBe(false)
    expect(checkDrift(reference, correlated(1000, 4)).checks.some((c) => c.id === 'drift.domain_classifier')).toBe(
      false,
    )
  })
})

describe('learned thresholds (NannyML: mean + 3σ over reference chunks)', () => {
  it('learns a threshold per column for each declared window size and uses it with thresholds: learned', () => {
    const reference = correlated(20_000, 5)
    const baseline = buildBaseline(reference, { windowRows: [500, 2000] })
    expect(baseline.learned?.map((l) => [l.windowRows, l.chunks])).toEqual([
      [500, 40],
      [2000, 10],
    ])
    const x = baseline.learned?.[0]?.columns.find((c) => c.name === 'x')
    expect(x?.method).toBe('wasserstein')
    expect(x?.threshold).toBeCloseTo((x?.mean as number) + 3 * (x?.std as number), 12)
    // the gate's rule: a prediction interval on the log scale, Bonferroni over the 4 columns, t with 39 df
    const report = checkDrift(baseline, correlated(500, 6), { thresholds: 'learned' })
    const check = report.checks.find((c) => c.id === 'drift.column.x')
    const threshold = check?.metrics?.threshold as number
    const k = (Math.log(threshold) - (x?.logMean as number)) / (x?.logStd as number)
    // scipy.stats.t.ppf(1 − Φ(−3)/4, 39) = 3.69427; times √(1 + 1/40)
    expect(k).toBeCloseTo(3.69427 * Math.sqrt(1 + 1 / 40), 4)
    expect((check?.details as { source: string } | undefined)?.source).toBe(
      'learned for 500-row windows (40 reference chunks)',
    )
    expect(report.verdict).toBe('pass')
    // a real shift still fails at the learned threshold
    const shifted = correlated(500, 7)
    const xs = shifted.columns[0]
    if (xs?.kind !== 'numeric') throw new Error('x')
    for (let i = 0; i < xs.values.length; i++) xs.values[i] = (xs.values[i] as number) + 15
    expect(
      checkDrift(baseline, shifted, { thresholds: 'learned' }).checks.find((c) => c.id === 'drift.column.x')?.verdict,
    ).toBe('fail')
  })

  it('refuses learned thresholds the baseline does not hold, and windows that leave fewer than 2 chunks', () => {
    const baseline = buildBaseline(correlated(3000, 5))
    expect(() => checkDrift(baseline, correlated(500, 6), { thresholds: 'learned' })).toThrow(/no learned thresholds/)
    expect(() => buildBaseline(correlated(3000, 5), { windowRows: [2000] })).toThrow(/leaves 1 chunk/)
  })
})
