import { ascendingPValueOrder, rejections } from './internal/adjustedPValues.js'
import { checkProbability } from './internal/validate.js'

export interface HolmBonferroniResult {
  /** Holm-adjusted p-values in input order: p̃_(i) = max_{j ≤ i} min(1, (m − j + 1)·p_(j)). */
  readonly adjusted: Float64Array
  /** adjusted[i] ≤ alpha: hypothesis i is rejected with the family-wise error rate kept at alpha. */
  readonly rejected: readonly boolean[]
  readonly rejectedCount: number
  readonly alpha: number
}

/**
 * Holm's (1979) step-down procedure: controls the family-wise error rate — the chance of any false alarm across the
 * columns of a drift check — at alpha under any dependence between the tests, and rejects at least what Bonferroni
 * does. For many columns where a few false alarms are acceptable, {@link benjaminiHochberg} (false discovery rate)
 * rejects more.
 */
export function holmBonferroni(pValues: ArrayLike<number>, alpha = 0.05): HolmBonferroniResult {
  checkProbability(alpha, 'alpha', 'holmBonferroni')
  const m = pValues.length
  const order = ascendingPValueOrder(pValues, 'holmBonferroni')
  const adjusted = new Float64Array(m)
  let running = 0
  for (let r = 0; r < m; r++) {
    const i = order[r] as number
    running = Math.max(running, Math.min(1, (m - r) * (pValues[i] as number)))
    adjusted[i] = running
  }
  return rejections(adjusted, alpha)
}
