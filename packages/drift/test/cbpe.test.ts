import type { Table } from '@modelgate/core'
import { createRandom, tableFromColumns } from '@modelgate/core'
import { rocAuc } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { buildBaseline, checkDrift, createDriftState, driftStateFromJSON } from '../src/index.js'

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z))

/**
 * A fraud-like binary classifier: labels from a fixed concept P(y = 1 | x); the model's score is a miscalibrated but
 * informative function of x. `shift` moves the feature distribution (covariate shift), not the concept.
 */
function scored(rows: number, seed: number, shift = 0): { table: Table; labels: Float64Array } {
  const rng = createRandom(seed, 'cbpe')
  const x1 = new Float64Array(rows)
  const x2 = new Float64Array(rows)
  const score = new Float64Array(rows)
  const labels = new Float64Array(rows)
  const ids: string[] = []
  for (let i = 0; i < rows; i++) {
    x1[i] = shift + (1 + shift / 2) * rng.normal()
    x2[i] = rng.normal()
    labels[i] = rng.uniform() < sigmoid(2 * (x1[i] as number) + (x2[i] as number) - 2) ? 1 : 0
    score[i] = sigmoid(1.2 * (x1[i] as number) + 0.9 * (x2[i] as number) - 0.5)
    ids.push(`r${seed}-${i}`)
  }
  return {
    table: tableFromColumns([
      { kind: 'numeric', name: 'x1', values: x1, valid: null },
      { kind: 'numeric', name: 'x2', values: x2, valid: null },
      { kind: 'numeric', name: 'score', values: score, valid: null },
      { kind: 'numeric', name: 'is_fraud', values: labels, valid: null },
      { kind: 'id', name: 'request_id', values: ids },
    ]),
    labels,
  }
}

describe('CBPE: label-free performance estimation (NannyML)', () => {
  const reference = scored(30_000, 1)
  const baseline = buildBaseline(reference.table, { prediction: 'score', target: 'is_fraud', columns: ['x1', 'x2'] })

  it('stores a compressed isotonic calibration and bands, never a score per row', () => {
    const perf = baseline.performance
    expect(perf?.column).toBe('score')
    expect(perf?.calibration.x.length).toBeLessThan(2000)
    expect(perf?.chunks).toBe(10)
    expect(baseline.columns.map((c) => c.name)).toEqual(['x1', 'x2', 'score'])
  })

  it('estimates ROC AUC within 0.03 of the realized one on a held-out period with covariate shift', () => {
    for (const [seed, shift] of [
      [2, 0],
      [3, 0.8],
      [4, -0.6],
    ] as const) {
      const current = scored(10_000, seed, shift)
      const report = checkDrift(baseline, current.table)
      const auc = report.checks.find((c) => c.id === 'drift.performance.rocAuc')
      const score = current.table.columns.find((c) => c.name === 'score')
      if (score?.kind !== 'numeric') throw new Error('score')
      const actual = rocAuc(score.values, current.labels)
      expect(Math.abs((auc?.metrics?.estimated as number) - actual), `shift ${shift}`).toBeLessThan(0.03)
    }
  })

  it('puts the realized figures beside the estimate when labels arrive (joined by request_id)', () => {
    const current = scored(5000, 5, 0.5)
    const labelTable = tableFromColumns([
      current.table.columns.find((c) => c.name === 'request_id') as Table['columns'][number],
      { kind: 'numeric', name: 'is_fraud', values: current.labels, valid: null },
    ])
    const withoutTarget = tableFromColumns(current.table.columns.filter((c) => c.name !== 'is_fraud'))
    const report = checkDrift(baseline, withoutTarget, { labels: { table: labelTable, join: 'request_id' } })
    const auc = report.checks.find((c) => c.id === 'drift.performance.rocAuc')
    const score = current.table.columns.find((c) => c.name === 'score')
    if (score?.kind !== 'numeric') throw new Error('score')
    expect(auc?.metrics?.realized).toBeCloseTo(rocAuc(score.values, current.labels), 12)
    expect(auc?.message).toMatch(
      /^estimated ROC AUC 0\.\d{3} \(reference band .*; realized 0\.\d{3} on 5,000 labelled rows$/,
    )
  })

  it('merges and round-trips its sums with the window state', () => {
    const current = scored(4000, 6).table
    const whole = createDriftState(baseline).addTable(current)
    const rows = Array.from({ length: 4000 }, (_, i) => ({
      x1: (current.columns[0] as { values: Float64Array }).values[i],
      x2: (current.columns[1] as { values: Float64Array }).values[i],
      score: (current.columns[2] as { values: Float64Array }).values[i],
    }))
    const a = createDriftState(baseline).addRows(rows.slice(0, 1000))
    a.merge(driftStateFromJSON(baseline, createDriftState(baseline).addRows(rows.slice(1000)).toJSON()))
    expect(a.performance?.tp).toBeCloseTo(whole.performance?.tp as number, 8)
    const est = (s: typeof a) => s.evaluate().checks.find((c) => c.id === 'drift.performance.f1')?.metrics?.estimated
    expect(est(a)).toBeCloseTo(est(whole) as number, 10)
  })

  it('fails when covariate shift moves the traffic to where the model cannot tell the classes apart', () => {
    // every row near the decision boundary: the calibrated probabilities are all middling
    const rng = createRandom(8)
    const rows = 10_000
    const x1 = Float64Array.from({ length: rows }, () => 1 + 0.2 * rng.normal())
    const x2 = Float64Array.from({ length: rows }, () => 0.2 * rng.normal())
    const score = x1.map((v, i) => sigmoid(1.2 * v + 0.9 * (x2[i] as number) - 0.5))
    const labels = x1.map((v, i) => (rng.uniform() < sigmoid(2 * v + (x2[i] as number) - 2) ? 1 : 0))
    const table = tableFromColumns([
      { kind: 'numeric', name: 'x1', values: x1, valid: null },
      { kind: 'numeric', name: 'x2', values: x2, valid: null },
      { kind: 'numeric', name: 'score', values: score, valid: null },
    ])
    const report = checkDrift(baseline, table)
    const auc = report.checks.find((c) => c.id === 'drift.performance.rocAuc')
    expect(auc?.verdict).toBe('fail')
    expect(auc?.message).toMatch(/ — below the band$/)
    expect(Math.abs((auc?.metrics?.estimated as number) - rocAuc(score, labels))).toBeLessThan(0.03)
  })
})
