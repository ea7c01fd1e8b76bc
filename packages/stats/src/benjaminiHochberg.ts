import { ascendingPValueOrder, rejections } from './internal/adjustedPValues.js'
import { checkProbability } from './internal/validate.js'

export interface BenjaminiHochbergResult {
  /** BH-adjusted p-values (q-values) in input order, as scipy.stats.false_discovery_control(p, method='bh'). */
  readonly adjusted: Float64Array
  /** adjusted[i] ≤ alpha: hypothesis i is rejected at false discovery rate alpha. */
  readonly rejected: readonly boolean[]
  readonly rejectedCount: number
  readonly alpha: number
}

/**
 * Benjamini–Hochberg (1995) step-up procedure controlling the false discovery rate across many features:
 * q_(i) = min_{j ≥ i} (m / j) · p_(j), capped at 1.
 */
export function benjaminiHochberg(pValues: ArrayLike<number>, alpha = 0.05): BenjaminiHochbergResult {
  checkProbability(alpha, 'alpha', 'benjaminiHochberg')
  const m = pValues.length
  const order = ascendingPValueOrder(pValues, 'benjaminiHochberg')
  const adjusted = new Float64Array(m)
  let running = 1
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r] as number
    const p = pValues[i] as number
    running = Math.min(running, (p * m) / (r + 1))
    // (p·m)/m can round below p; the adjusted value is never smaller than the raw one
    adjusted[i] = Math.max(p, running)
  }
  return rejections(adjusted, alpha)
}
