import type { QuantileSketch } from '@modelgate/stats'
import { quantileSketchFromJSON } from '@modelgate/stats'
import type { NumericColumnBaseline } from '../baseline.js'
import { coarseBinStarts, sumBins } from './bins.js'
import { exactValues } from './sketch.js'

/** What a window's comparison needs of a numeric baseline column that only depends on the baseline. */
interface NumericReference {
  /** The reference sketch (its sorted view is built once, at the first CDF read). */
  readonly sketch: QuantileSketch | null
  /** The reference values when the sketch never compacted (then KS is exact), else undefined. */
  readonly exact: readonly number[] | undefined
  readonly coarseStarts: readonly number[]
  readonly coarseCounts: Float64Array
}

// Keyed by the baseline column object: a baseline is immutable once read, and its cache goes with it.
const cache = new WeakMap<NumericColumnBaseline, NumericReference>()

/** The baseline-only part of a numeric column's comparison, computed once per baseline rather than per window. */
export function numericReference(column: NumericColumnBaseline, coarseBins: number): NumericReference {
  let ref = cache.get(column)
  if (ref === undefined) {
    const coarseStarts = coarseBinStarts(column.binCounts, coarseBins)
    ref = {
      sketch: column.sketch === null ? null : quantileSketchFromJSON(column.sketch),
      exact: column.sketch === null ? undefined : exactValues(column.sketch),
      coarseStarts,
      coarseCounts: sumBins(column.binCounts, coarseStarts),
    }
    cache.set(column, ref)
  }
  return ref
}
