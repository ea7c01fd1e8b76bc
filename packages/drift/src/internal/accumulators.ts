import { createQuantileSketch, quantileSketchFromJSON } from '@modelgate/stats'
import type { ColumnBaseline, NumericColumnBaseline, PiiColumnBaseline } from '../baseline.js'
import type { CategoricalAccumulator, ColumnAccumulator, NumericAccumulator } from '../DriftState.js'
import type { DriftStateJSON } from '../driftStateJson.js'
import { DriftError } from '../errors.js'
import type { BinLookup } from './bins.js'
import { lookupBin } from './bins.js'
import { ABSENT, BAD, NULL } from './columnBatch.js'
import { isValidPiiFormat } from './piiFormat.js'

// One column's share of a window state: made empty, filled a column of a batch at a time, merged, written and read
// back. The state (createDriftState) holds one per baseline column.

export function emptyAccumulator(column: ColumnBaseline, sketchK: number | null): ColumnAccumulator {
  const common = { present: 0, nulls: 0, typeErrors: 0 }
  switch (column.kind) {
    case 'numeric':
      return {
        ...common,
        kind: 'numeric',
        count: 0,
        mean: 0,
        m2: 0,
        bins: new Float64Array(column.edges.length + 1),
        binSums: new Float64Array(column.edges.length + 1),
        below: 0,
        above: 0,
        excessBelow: 0,
        excessAbove: 0,
        sketch: sketchK === null ? null : createQuantileSketch({ k: sketchK, seed: 1 }),
      }
    case 'categorical':
      return { ...common, kind: 'categorical', counts: new Float64Array(column.categories.length + 1) }
    case 'pii':
      return { ...common, kind: 'pii', count: 0, valid: 0 }
    default:
      return { ...common, kind: column.kind }
  }
}

/**
 * Adds a column of numbers: per cell class (absent, null, wrong type, number) the counts, then the finite values'
 * moments (about the reference mean, merged by Chan's update), bins, clamped bin sums, out-of-range counts, and one
 * bulk insert into the quantile sketch. The binning is buildBaseline's rule for the reference, inlined in both hot loops.
 */
export function addNumberColumn(
  acc: NumericAccumulator,
  column: NumericColumnBaseline,
  lookup: BinLookup,
  values: Float64Array,
  cls: Uint8Array,
  n: number,
): void {
  const lo = column.trimmedMin
  const hi = column.trimmedMax
  const bins = acc.bins
  const sums = acc.binSums
  const shift = column.mean
  const finite = acc.sketch === null ? null : scratchOf(n)
  let m = 0
  let s1 = 0
  let s2 = 0
  let present = 0
  let nulls = 0
  let bad = 0
  for (let i = 0; i < n; i++) {
    const c = cls[i] as number
    if (c === ABSENT) continue
    present++
    if (c === NULL) {
      nulls++
      continue
    }
    const v = values[i] as number
    if (c === BAD || !Number.isFinite(v)) {
      bad++
      continue
    }
    const d = v - shift
    s1 += d
    s2 += d * d
    const a = lookupBin(lookup, v)
    bins[a] = (bins[a] as number) + 1
    if (v < lo) {
      acc.below++
      acc.excessBelow += lo - v
      sums[a] = (sums[a] as number) + lo
    } else if (v > hi) {
      acc.above++
      acc.excessAbove += v - hi
      sums[a] = (sums[a] as number) + hi
    } else sums[a] = (sums[a] as number) + v
    if (finite !== null) finite[m] = v
    m++
  }
  acc.present += present
  acc.nulls += nulls
  acc.typeErrors += bad
  const mean = m === 0 ? 0 : shift + s1 / m
  const m2 = m === 0 ? 0 : Math.max(0, s2 - (s1 * s1) / m)
  mergeMoments(acc, m, mean, m2)
  if (finite !== null && m > 0) acc.sketch?.addAll(finite.subarray(0, m))
}

/**
 * One scratch array for the finite values of a column on their way into its sketch (the sketch copies them): a typed
 * array per column and batch would be a fresh off-heap buffer each time, which the allocator does not always give
 * back (the monitor's RSS rose by a third over a soak).
 */
let scratch = new Float64Array(4096)
function scratchOf(n: number): Float64Array {
  if (scratch.length < n) scratch = new Float64Array(n)
  return scratch
}

/** Adds a column of category codes (the baseline's index, or one past the last for a category outside them). */
export function addCodeColumn(acc: CategoricalAccumulator, codes: Int32Array, cls: Uint8Array, n: number): void {
  const counts = acc.counts
  for (let i = 0; i < n; i++) {
    const c = cls[i] as number
    if (c === ABSENT) continue
    acc.present++
    if (c === NULL) acc.nulls++
    else if (c === BAD) acc.typeErrors++
    else {
      const b = codes[i] as number
      counts[b] = (counts[b] as number) + 1
    }
  }
}

/** Adds a column of other values: PII columns count the values with a valid format; the rest only presence. */
export function addRawColumn(
  acc: ColumnAccumulator,
  column: ColumnBaseline,
  raw: readonly unknown[],
  cls: Uint8Array,
  n: number,
): void {
  for (let i = 0; i < n; i++) {
    const c = cls[i] as number
    if (c === ABSENT) continue
    acc.present++
    if (c === NULL) {
      acc.nulls++
      continue
    }
    if (acc.kind === 'pii') {
      acc.count++
      if (isValidPiiFormat((column as PiiColumnBaseline).piiType, raw[i])) acc.valid++
    }
  }
}

/** Adds `theirs` into `mine` (same column of the same baseline). */
export function mergeAccumulator(name: string, mine: ColumnAccumulator, theirs: ColumnAccumulator): void {
  mine.present += theirs.present
  mine.nulls += theirs.nulls
  mine.typeErrors += theirs.typeErrors
  if (mine.kind === 'numeric' && theirs.kind === 'numeric') {
    mergeMoments(mine, theirs.count, theirs.mean, theirs.m2)
    addInto(mine.bins, theirs.bins)
    addInto(mine.binSums, theirs.binSums)
    mine.below += theirs.below
    mine.above += theirs.above
    mine.excessBelow += theirs.excessBelow
    mine.excessAbove += theirs.excessAbove
    if (mine.sketch !== null && theirs.sketch !== null) mine.sketch.merge(theirs.sketch)
    else if (mine.sketch !== null || theirs.sketch !== null) {
      throw new DriftError(
        'MG_DRIFT_BASELINE_MISMATCH',
        `DriftState.merge: column "${name}" has a sketch in one state only (the states were made with different methods).`,
      )
    }
  } else if (mine.kind === 'categorical' && theirs.kind === 'categorical') addInto(mine.counts, theirs.counts)
  else if (mine.kind === 'pii' && theirs.kind === 'pii') {
    mine.count += theirs.count
    mine.valid += theirs.valid
  }
}

export function addInto(into: Float64Array, from: ArrayLike<number>): void {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] as number) + (from[i] as number)
}

export function accumulatorJSON(acc: ColumnAccumulator): DriftStateJSON['columns'][string] {
  if (acc.kind === 'numeric') {
    return {
      ...acc,
      bins: Array.from(acc.bins),
      binSums: Array.from(acc.binSums),
      sketch: acc.sketch === null ? null : acc.sketch.toJSON(),
    }
  }
  if (acc.kind === 'categorical') return { ...acc, counts: Array.from(acc.counts) }
  return { ...acc }
}

/** Sets an accumulator from its JSON (`toJSON` of a state for the same baseline). */
export function restoreAccumulator(
  name: string,
  acc: ColumnAccumulator | undefined,
  saved: DriftStateJSON['columns'][string],
): void {
  if (acc === undefined || acc.kind !== saved.kind) {
    throw new DriftError('MG_DRIFT_BASELINE_MISMATCH', `drift state: column "${name}" does not match the baseline.`)
  }
  acc.present = saved.present
  acc.nulls = saved.nulls
  acc.typeErrors = saved.typeErrors
  if (acc.kind === 'numeric' && saved.kind === 'numeric') {
    if (saved.bins.length !== acc.bins.length || saved.binSums.length !== acc.binSums.length) {
      throw new DriftError('MG_DRIFT_BASELINE_MISMATCH', `drift state: column "${name}" has another number of bins.`)
    }
    acc.bins.set(saved.bins)
    acc.binSums.set(saved.binSums)
    Object.assign(acc, {
      count: saved.count,
      mean: saved.mean,
      m2: saved.m2,
      below: saved.below,
      above: saved.above,
      excessBelow: saved.excessBelow,
      excessAbove: saved.excessAbove,
    })
    acc.sketch = saved.sketch === null ? null : quantileSketchFromJSON(saved.sketch)
  } else if (acc.kind === 'categorical' && saved.kind === 'categorical') {
    if (saved.counts.length !== acc.counts.length) {
      throw new DriftError(
        'MG_DRIFT_BASELINE_MISMATCH',
        `drift state: column "${name}" has another number of categories.`,
      )
    }
    acc.counts.set(saved.counts)
  } else if (acc.kind === 'pii' && saved.kind === 'pii') {
    acc.count = saved.count
    acc.valid = saved.valid
  }
}

/** Chan, Golub & LeVeque's pairwise update: adds (n, mean, m2) of a chunk into the accumulator. */
function mergeMoments(acc: { count: number; mean: number; m2: number }, n: number, mean: number, m2: number): void {
  if (n === 0) return
  const total = acc.count + n
  const delta = mean - acc.mean
  acc.m2 += m2 + (delta * delta * acc.count * n) / total
  acc.mean += (delta * n) / total
  acc.count = total
}
