import { quantilesUnsorted } from './internal/select.js'
import { quantileSorted as quantileOfAscending } from './internal/sorted.js'
import { asFiniteFloat64, checkOptionNames } from './internal/validate.js'

export interface QuantilesOptions {
  /**
   * Reorder `values` in place instead of working on a copy (saves a copy of large buffers the caller owns).
   * Only takes effect when `values` is already a Float64Array.
   */
  readonly inPlace?: boolean
}

/**
 * Quantiles at the given probabilities with numpy's default ('linear', Hyndman & Fan type 7) definition, without a
 * full sort: the needed order statistics are placed by multiple selection (Hoare's FIND). Rejects empty samples and
 * NaN/±Infinity.
 */
export function quantiles(
  values: ArrayLike<number>,
  probabilities: readonly number[],
  options: QuantilesOptions = {},
): Float64Array {
  checkOptionNames(options, ['inPlace'], 'quantiles')
  const checked = asFiniteFloat64(values, 'quantiles: sample')
  const work = options.inPlace === true && checked === values ? checked : Float64Array.from(checked)
  return quantilesUnsorted(work, probabilities)
}

/** The p-quantile (numpy 'linear') of values already sorted ascending; NaN when there are none. */
export function quantileSorted(sorted: Float64Array, p: number): number {
  return sorted.length === 0 ? Number.NaN : quantileOfAscending(sorted, p)
}
