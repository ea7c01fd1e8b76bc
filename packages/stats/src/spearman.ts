import { averageRanks } from './internal/sorted.js'
import { asFiniteFloat64, assertSameLength } from './internal/validate.js'
import { pearsonOf } from './pearson.js'

/**
 * Spearman's rank correlation ρ: Pearson's r of the average ranks (ties share their mean rank),
 * as scipy.stats.spearmanr's statistic. Returns NaN when either sample is constant.
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength(x, y, 'spearman: x and y')
  const a = asFiniteFloat64(x, 'spearman: sample "x"', 2)
  const b = asFiniteFloat64(y, 'spearman: sample "y"', 2)
  return pearsonOf(averageRanks(a), averageRanks(b))
}
