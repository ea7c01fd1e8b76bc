import { StatsError } from '../errors.js'

/**
 * The indices of `pValues` in ascending order of p (ties in index order), after checking that every one is a number
 * in [0, 1] (MG_STATS_NOT_FINITE naming `what` and the index otherwise): the order both step procedures walk.
 */
export function ascendingPValueOrder(pValues: ArrayLike<number>, what: string): number[] {
  const m = pValues.length
  for (let i = 0; i < m; i++) {
    const p = pValues[i] as number
    if (!(p >= 0 && p <= 1)) {
      throw new StatsError(
        'MG_STATS_NOT_FINITE',
        `${what}: p-value at index ${i} is ${String(p)}; expected a number in [0, 1].`,
      )
    }
  }
  return Array.from({ length: m }, (_, i) => i).sort((x, y) => (pValues[x] as number) - (pValues[y] as number) || x - y)
}

/** Which adjusted p-values are rejected at alpha (adjusted ≤ alpha), and how many. */
export function rejections(
  adjusted: Float64Array,
  alpha: number,
): { adjusted: Float64Array; rejected: boolean[]; rejectedCount: number; alpha: number } {
  const rejected = Array.from(adjusted, (q) => q <= alpha)
  return { adjusted, rejected, rejectedCount: rejected.filter(Boolean).length, alpha }
}
