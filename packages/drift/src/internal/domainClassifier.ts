import type { CheckResult, Table } from '@modelgate/core'
import { createRandom, formatNumber } from '@modelgate/core'
import { fitLogisticRegression, predictLogisticRegression, rocAuc } from '@modelgate/stats'
import type { Baseline } from '../baseline.js'

export interface DomainClassifierOptions {
  /** Rows drawn from each side (seeded). Default 2,000. */
  readonly rows?: number
  /** Cross-validation folds. Default 5. */
  readonly folds?: number
  readonly seed?: number
  /** z of the cross-validated AUC above 0.5 that fails. Default 3. */
  readonly sigmas?: number
}

/** Numeric columns used (their pairwise products make the features, so the count is kept small). */
const MAX_COLUMNS = 10

/**
 * The domain classifier (as in NannyML and Evidently's dataset drift by a model): can a classifier tell reference rows
 * from current rows? Features are the standardized numeric columns and their pairwise products (so a changed
 * correlation is learnable by a linear model); a logistic regression (stats) is cross-validated and the AUC of its
 * held-out predictions compared with 0.5 by the Hanley–McNeil null standard error √((n₁ + n₂ + 1)/(12 n₁ n₂)).
 * Needs raw rows on both sides, so it runs only when the reference is a raw table.
 */
export function domainClassifierCheck(
  baseline: Baseline,
  reference: Table,
  current: Table,
  options: DomainClassifierOptions = {},
): CheckResult | undefined {
  const numeric = baseline.columns
    .filter((c) => c.kind === 'numeric' && c.name !== baseline.prediction?.column)
    .slice(0, MAX_COLUMNS)
  if (numeric.length < 2) return undefined
  const rng = createRandom(options.seed ?? 1, 'domain-classifier')
  const take = Math.min(options.rows ?? 2000, reference.numRows, current.numRows)
  const pick = (table: Table): number[] => {
    const index = Array.from({ length: table.numRows }, (_, i) => i)
    for (let i = 0; i < take; i++) {
      const j = i + rng.int(table.numRows - i)
      ;[index[i], index[j]] = [index[j] as number, index[i] as number]
    }
    return index.slice(0, take)
  }
  const p = numeric.length
  const d = p + (p * (p - 1)) / 2
  const rows = 2 * take
  const x = new Float64Array(rows * d)
  const y = new Float64Array(rows)
  const fill = (table: Table, picked: readonly number[], offset: number, label: number): void => {
    const arrays = numeric.map((c) => {
      const column = table.columns.find((t) => t.name === c.name)
      return column !== undefined && (column.kind === 'numeric' || column.kind === 'integer') ? column : undefined
    })
    const z = new Float64Array(p)
    picked.forEach((row, r) => {
      for (let j = 0; j < p; j++) {
        const column = arrays[j]
        const c = numeric[j]
        if (column === undefined || c === undefined || c.kind !== 'numeric') {
          z[j] = 0
          continue
        }
        const v = column.values[row] as number
        const ok = (column.valid === null || column.valid[row] === 1) && Number.isFinite(v)
        const sd = Math.sqrt(c.m2 / Math.max(1, c.count)) || 1
        z[j] = ok ? Math.max(-10, Math.min(10, (v - c.mean) / sd)) : 0
      }
      const base = (offset + r) * d
      let k = 0
      for (let j = 0; j < p; j++) x[base + k++] = z[j] as number
      for (let a = 0; a < p; a++) for (let b = a + 1; b < p; b++) x[base + k++] = (z[a] as number) * (z[b] as number)
      y[offset + r] = label
    })
  }
  fill(reference, pick(reference), 0, 0)
  fill(current, pick(current), take, 1)
  // folds by a seeded permutation of all rows
  const folds = options.folds ?? 5
  const order = Array.from({ length: rows }, (_, i) => i)
  for (let i = rows - 1; i > 0; i--) {
    const j = rng.int(i + 1)
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  const held = new Float64Array(rows)
  for (let f = 0; f < folds; f++) {
    const test = order.filter((_, i) => i % folds === f)
    const train = order.filter((_, i) => i % folds !== f)
    const xt = new Float64Array(train.length * d)
    const yt = new Float64Array(train.length)
    train.forEach((row, i) => {
      xt.set(x.subarray(row * d, (row + 1) * d), i * d)
      yt[i] = y[row] as number
    })
    const model = fitLogisticRegression(xt, yt, { columns: d, l2: 1e-2, maxIterations: 30, tolerance: 1e-8 })
    const xs = new Float64Array(test.length * d)
    test.forEach((row, i) => {
      xs.set(x.subarray(row * d, (row + 1) * d), i * d)
    })
    const predicted = predictLogisticRegression(model, xs)
    test.forEach((row, i) => {
      held[row] = predicted[i] as number
    })
  }
  const auc = rocAuc(held, y)
  const se = Math.sqrt((2 * take + 1) / (12 * take * take))
  const z = (auc - 0.5) / se
  const sigmas = options.sigmas ?? 3
  const drift = z > sigmas
  return {
    id: 'drift.domain_classifier',
    name: 'domain classifier',
    group: 'Multivariate drift',
    verdict: drift ? 'fail' : 'pass',
    message: `domain classifier (logistic regression on ${p} numeric columns and their products, ${folds}-fold): AUC ${formatNumber(auc, { significant: 3 })} (z = ${formatNumber(z, { significant: 3 })} ${drift ? '>' : '≤'} ${sigmas} above 0.5 on ${take.toLocaleString('en-US')} rows a side)${drift ? ' — reference and current rows can be told apart' : ''}`,
    metrics: { statistic: auc, z, threshold: sigmas, rowsPerSide: take },
    details: { method: 'domain-classifier', columns: numeric.map((c) => c.name), drifted: drift },
  }
}
