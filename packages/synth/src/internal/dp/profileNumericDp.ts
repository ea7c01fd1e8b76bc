import type { ColumnSchema, DatetimeColumn, NumericColumn } from '@modelgate/core'
import { isDateOnlyFormat } from '@modelgate/core'
import type { ContinuousPart, NumericColumnModel } from '../../modelFile.js'
import type { ColumnProfile } from '../profileColumn.js'
import { boundOf } from '../profileColumn.js'
import type { DiscreteLaplace } from './discreteLaplace.js'
import type { DpColumnContext } from './dpColumnContext.js'

const DAY = 86_400_000
/** Datetime rounding units, coarsest first. */
const TIME_UNITS = [DAY, 3_600_000, 60_000, 1000, 1] as const
/** Power-of-two buckets for the range: exponents −20…63 on each side of zero, plus zero itself. */
const OCTAVE_MIN = -20
const OCTAVE_MAX = 63
const OCTAVES = OCTAVE_MAX - OCTAVE_MIN + 2
const RANGE_BUCKETS = 2 * OCTAVES + 1
/**
 * At most this many grid values (integers, cents, days) get one bin each, so each is an exact point mass: even when
 * few bins pass the threshold, the point masses that do (the 40 of hours-per-week) keep the shape.
 */
const MAX_GRID_BINS = 256
const COARSE_BINS = 64
const FINE_BINS = 128
const QUANTILE_KNOTS = 257
/** Probability that any empty power-of-two bucket passes the range threshold (a false one would double the range or more). */
const RANGE_FALSE_POSITIVE = 0.005
/** For a bucket next to a kept one (each such step at most doubles the range). */
const RANGE_EXTEND_FALSE_POSITIVE = 0.02
/** Expected number of empty bins of a histogram that pass its threshold (isolated ones; see the extension below). */
const HISTOGRAM_FALSE_BINS = 0.1
/**
 * A bin next to a kept one needs only a noisy count an empty bin reaches with this probability: data is mostly
 * contiguous, so tails grow outward from the bulk while isolated noise far away stays out.
 */
const HISTOGRAM_EXTEND_FALSE_POSITIVE = 0.2
/** Share of rows whose finer rounding a chosen unit may lose. */
const ROUNDING_SLACK = 0.02

/**
 * The DP marginal of a numeric, integer or datetime column (one column's budget `ctx.epsilon`):
 * 1. range — the schema's bounds when it declares both (public); otherwise noisy counts over power-of-two
 *    buckets (signed, from 2⁻²⁰ to 2⁶⁴, and zero), thresholded so that any empty bucket survives with probability
 *    ≤ 0.5%, then grown into neighbouring buckets that pass a lower threshold; the range spans the kept buckets.
 *    One outlying row almost never stretches it.
 * 2. rounding — decimals of an integer column (0) and the day unit of a date column are the layout (public);
 *    otherwise noisy counts of how many decimals (or which time unit) each row needs, and the finest level that
 *    more than 2% of the noisy total needs.
 * 3. values — a histogram with one bin for nulls: one bin per grid value (≤ 256 integers, cents, days) when the
 *    range is that small, which gives exact point masses;
 *    otherwise up to 64 equal bins to find where the data lies, then up to 128 equal bins there (about rows·ε/20) (plus exact zero as its own bin, for zero-inflated amounts), read as a quantile
 *    table. Bins are kept when their noisy count reaches a threshold that lets an empty bin through with probability ≤ 0.1 / bins,
 *    or a lower one next to a kept bin (tails grow outward from the bulk).
 * Every row lies in exactly one bin of each histogram, so each has sensitivity 1 under add/remove-one-row.
 */
export function profileNumericDp(
  column: NumericColumn | DatetimeColumn,
  isNull: Uint8Array,
  numRows: number,
  schema: ColumnSchema | undefined,
  ctx: DpColumnContext,
): ColumnProfile {
  const kind = column.kind
  const values = column.values
  let count = 0
  for (let i = 0; i < numRows; i++) if (isNull[i] === 0 && Number.isFinite(values[i])) count++
  const xs = new Float64Array(count)
  const keys = new Float64Array(numRows)
  let c = 0
  for (let i = 0; i < numRows; i++) {
    const v = values[i] as number
    if (isNull[i] === 0 && Number.isFinite(v)) {
      xs[c++] = v
      keys[i] = v
    } else keys[i] = Number.NaN
  }
  const nulls = numRows - count
  const schemaMin = boundOf(schema?.min)
  const schemaMax = boundOf(schema?.max)
  const needRange = schemaMin === null || schemaMax === null
  let grid: Grid | null = null
  let decimals: number | null = null
  let roundTo: number | null = null
  let publicRounding = false
  if (kind === 'integer') {
    decimals = 0
    grid = decimalGrid(0)
    publicRounding = true
  } else if (kind === 'datetime' && isDateOnlyFormat(column.format)) {
    roundTo = DAY
    grid = unitGrid(DAY)
    publicRounding = true
  }
  const eRange = needRange ? 0.2 * ctx.epsilon : 0
  const eRound = publicRounding ? 0 : 0.1 * ctx.epsilon
  const eValues = ctx.epsilon - eRange - eRound

  let lo = schemaMin ?? 0
  let hi = schemaMax ?? 0
  // Rows the last release saw in its kept bins (a noisy, low estimate), to size the next histogram; null: unknown.
  let rows: number | null = null
  if (needRange) {
    const range = dpRange(xs, ctx, eRange)
    lo = schemaMin ?? range.lo
    hi = schemaMax ?? range.hi
    rows = range.rows
  } else ctx.publicFacts.push(`${ctx.name}: bounds [${schema?.min}, ${schema?.max}] from the schema`)
  if (hi < lo) hi = lo
  if (!publicRounding) {
    if (kind === 'datetime') {
      roundTo = dpTimeUnit(xs, ctx, eRound)
      grid = unitGrid(roundTo)
    } else {
      decimals = dpDecimals(xs, ctx, eRound)
      grid = decimals === null ? null : decimalGrid(decimals)
    }
  }

  let eFinal = eValues
  if (!fitsGrid(grid, lo, hi) && hi > lo) {
    // Where in the range the data lies: a coarse pass, then the fine histogram over the surviving span.
    const coarse = widthBins(lo, hi, binBudget(rows, 0.3 * eValues, COARSE_BINS))
    const counts = countBins(xs, coarse)
    const released = ctx.ledger.noisyCounts(
      {
        column: ctx.name,
        quantity: `where values lie: ${coarse.bins} equal bins over the range`,
        epsilon: 0.3 * eValues,
        sensitivity: 1,
      },
      counts,
      HISTOGRAM_FALSE_BINS / coarse.bins,
    )
    const kept = keptBins(released, released.threshold as number, coarse.linear, HISTOGRAM_EXTEND_FALSE_POSITIVE)
    const span = coarse.span(kept)
    lo = span.lo
    hi = span.hi
    rows = kept.reduce((a, b) => a + b, 0)
    eFinal = 0.7 * eValues
  }
  const bins: Binning = !(hi > lo)
    ? gridBins(pointGrid(lo), lo, lo)
    : fitsGrid(grid, lo, hi)
      ? gridBins(grid as Grid, lo, hi)
      : widthBins(lo, hi, binBudget(rows, eFinal, FINE_BINS))
  const counts = countBins(xs, bins)
  // The null bin goes first; it is never thresholded (its presence is not in question).
  const withNull = new Float64Array(bins.bins + 1)
  withNull[0] = nulls
  withNull.set(counts, 1)
  const released = ctx.ledger.noisyCounts(
    { column: ctx.name, quantity: `nulls and values: ${bins.describe}`, epsilon: eFinal, sensitivity: 1 },
    withNull,
    HISTOGRAM_FALSE_BINS / bins.bins,
  )
  const noisy = released.counts.subarray(1)
  // A null count the noise alone could give is read as no nulls (no null dimension for the copula to spend on).
  const noisyNulls =
    (released.counts[0] as number) >= (released.threshold as number) ? (released.counts[0] as number) : 0
  let presentTotal = 0
  for (let b = 0; b < noisy.length; b++) presentTotal += noisy[b] as number
  presentTotal = Math.max(0, presentTotal)
  ctx.rowEstimates.push(noisyNulls + presentTotal)
  const kept = keptBins(
    { counts: noisy, noise: released.noise },
    Math.max(ctx.k, released.threshold as number),
    bins.linear,
    HISTOGRAM_EXTEND_FALSE_POSITIVE,
    ctx.k,
  )
  const fit = bins.model(kept)
  const nullRate = noisyNulls + presentTotal > 0 ? noisyNulls / (noisyNulls + presentTotal) : 1
  const hasValues = fit.spikes.length > 0 || fit.continuous !== null
  const model: NumericColumnModel = {
    name: column.name,
    kind,
    nullRate: hasValues ? nullRate : 1,
    min: hasValues ? fit.min : null,
    max: hasValues ? fit.max : null,
    decimals,
    roundTo,
    ...(column.kind === 'datetime' ? { format: column.format } : {}),
    spikes: fit.spikes,
    continuous: fit.continuous,
  }
  return { model, keys: hasValues && model.nullRate < 1 ? keys : null, isNull }
}

/** A grid of representable values: integer positions m ↔ values. */
interface Grid {
  toIndex(x: number): number
  toValue(m: number): number
  readonly describe: string
}

function decimalGrid(d: number): Grid {
  const f = 10 ** d
  return {
    toIndex: (x) => Math.round(x * f),
    toValue: (m) => m / f,
    describe: d === 0 ? 'integers' : `multiples of ${1 / f}`,
  }
}

function unitGrid(unit: number): Grid {
  return {
    toIndex: (x) => Math.round(x / unit),
    toValue: (m) => m * unit,
    describe: unit === DAY ? 'days' : unit === 1 ? 'milliseconds' : `multiples of ${unit} ms`,
  }
}

/** A one-value grid, for a range that is a single point (every row lands in its one bin). */
function pointGrid(value: number): Grid {
  return { toIndex: () => 0, toValue: () => value, describe: `the single value ${value}` }
}

function fitsGrid(grid: Grid | null, lo: number, hi: number): boolean {
  return grid !== null && grid.toIndex(hi) - grid.toIndex(lo) + 1 <= MAX_GRID_BINS
}

/**
 * How many bins a histogram can afford: about rows·ε/20, so that a typical bin holds some 20 noise scales and
 * passes its threshold (more bins would leave most of them below it); between 8 and `max`.
 */
function binBudget(rows: number | null, epsilon: number, max: number): number {
  if (rows === null) return max
  return Math.max(8, Math.min(max, Math.floor((rows * epsilon) / 20)))
}

interface MarginalFit {
  readonly spikes: { value: number; p: number }[]
  readonly continuous: ContinuousPart | null
  readonly min: number
  readonly max: number
}

/** A partition of the value axis into bins, and what its kept bins mean as a marginal. */
interface Binning {
  readonly bins: number
  /** The first `linear` bins run along the value axis (a zero bin, when there is one, comes after them). */
  readonly linear: number
  readonly describe: string
  binOf(x: number): number
  /** The smallest interval holding the kept bins (all of the range when none is kept). */
  span(kept: Float64Array): { lo: number; hi: number }
  model(kept: Float64Array): MarginalFit
}

function gridBins(grid: Grid, lo: number, hi: number): Binning {
  const first = grid.toIndex(lo)
  const bins = grid.toIndex(hi) - first + 1
  return {
    bins,
    linear: bins,
    describe: `one bin per value (${grid.describe} from ${grid.toValue(first)} to ${grid.toValue(first + bins - 1)})`,
    binOf: (x) => Math.min(bins - 1, Math.max(0, grid.toIndex(x) - first)),
    span: (kept) =>
      spanOf(
        kept,
        (b) => grid.toValue(first + b),
        (b) => grid.toValue(first + b),
      ),
    model: (kept) => {
      let total = 0
      for (let b = 0; b < bins; b++) total += kept[b] as number
      const spikes: { value: number; p: number }[] = []
      for (let b = 0; b < bins; b++)
        if ((kept[b] as number) > 0) spikes.push({ value: grid.toValue(first + b), p: (kept[b] as number) / total })
      return {
        spikes,
        continuous: null,
        min: spikes[0]?.value ?? lo,
        max: spikes[spikes.length - 1]?.value ?? hi,
      }
    },
  }
}

/** `count` equal bins over [lo, hi], and exact zero as one more bin when zero lies inside. */
function widthBins(lo: number, hi: number, count: number): Binning {
  const width = (hi - lo) / count
  const zero = lo <= 0 && hi >= 0 && hi > lo ? count : -1
  const bins = zero >= 0 ? count + 1 : count
  const lower = (b: number): number => (b === zero ? 0 : lo + b * width)
  const upper = (b: number): number => (b === zero ? 0 : b === count - 1 ? hi : lo + (b + 1) * width)
  return {
    bins,
    linear: count,
    describe: `${count} equal bins over [${lo}, ${hi}]${zero >= 0 ? ' and exact zero' : ''}`,
    binOf: (x) => {
      if (x === 0 && zero >= 0) return zero
      if (!(width > 0)) return 0
      return Math.min(count - 1, Math.max(0, Math.floor((x - lo) / width)))
    },
    span: (kept) => spanOf(kept, lower, upper),
    model: (kept) => {
      let total = 0
      let spread = 0
      for (let b = 0; b < bins; b++) {
        total += kept[b] as number
        if (b !== zero) spread += kept[b] as number
      }
      const spikes = zero >= 0 && (kept[zero] as number) > 0 ? [{ value: 0, p: (kept[zero] as number) / total }] : []
      let continuous: ContinuousPart | null = null
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      if (spikes.length > 0) {
        min = 0
        max = 0
      }
      if (spread > 0 && width > 0) {
        // The piecewise-uniform CDF of the kept bins, read at equally spaced probabilities.
        const quantiles: number[] = []
        let b = 0
        let cum = 0
        for (let i = 0; i < QUANTILE_KNOTS; i++) {
          const target = (i / (QUANTILE_KNOTS - 1)) * spread
          while (b < count - 1 && (cum + (kept[b] as number) < target - 1e-9 * spread || (kept[b] as number) === 0)) {
            cum += kept[b] as number
            b++
          }
          const mass = kept[b] as number
          const within = mass > 0 ? Math.min(1, Math.max(0, (target - cum) / mass)) : 0
          quantiles.push(lower(b) + within * (upper(b) - lower(b)))
        }
        for (let i = 1; i < quantiles.length; i++)
          quantiles[i] = Math.max(quantiles[i] as number, quantiles[i - 1] as number)
        continuous = { weight: spread / total, ks: 0, family: 'empirical', quantiles }
        min = Math.min(min, quantiles[0] as number)
        max = Math.max(max, quantiles[quantiles.length - 1] as number)
      }
      if (!Number.isFinite(min)) {
        min = lo
        max = hi
      }
      return { spikes, continuous, min, max }
    },
  }
}

function spanOf(
  kept: Float64Array,
  lower: (b: number) => number,
  upper: (b: number) => number,
): { lo: number; hi: number } {
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (let b = 0; b < kept.length; b++) {
    if ((kept[b] as number) <= 0) continue
    lo = Math.min(lo, lower(b))
    hi = Math.max(hi, upper(b))
  }
  return Number.isFinite(lo) ? { lo, hi } : { lo: lower(0), hi: upper(kept.length - 1) }
}

function countBins(xs: Float64Array, binning: Binning): Float64Array {
  const counts = new Float64Array(binning.bins)
  for (let i = 0; i < xs.length; i++) {
    const b = binning.binOf(xs[i] as number)
    counts[b] = (counts[b] as number) + 1
  }
  return counts
}

/**
 * Noisy counts that reach the threshold (when none does, the single largest positive count: the column keeps its
 * most likely bin rather than vanishing), then, growing outward along the first `linear` bins (the value axis), the
 * neighbours of kept bins whose counts reach the lower extension threshold; others zeroed. All post-processing.
 */
function keptBins(
  released: { readonly counts: Float64Array; readonly noise: DiscreteLaplace },
  threshold: number,
  linear: number,
  extendFalsePositive: number,
  floor = 1,
): Float64Array {
  const noisy = released.counts
  const extend = Math.max(floor, released.noise.quantileAbove(extendFalsePositive))
  const kept = new Float64Array(noisy.length)
  let best = -1
  let any = false
  for (let b = 0; b < noisy.length; b++) {
    const v = noisy[b] as number
    if (v >= threshold) {
      kept[b] = v
      any = true
    }
    if (best < 0 || v > (noisy[best] as number)) best = b
  }
  if (!any && best >= 0 && (noisy[best] as number) > 0) kept[best] = noisy[best] as number
  for (let b = 0; b + 1 < linear; b++)
    if ((kept[b] as number) > 0 && (kept[b + 1] as number) === 0 && (noisy[b + 1] as number) >= extend)
      kept[b + 1] = noisy[b + 1] as number
  for (let b = linear - 1; b > 0; b--)
    if ((kept[b] as number) > 0 && (kept[b - 1] as number) === 0 && (noisy[b - 1] as number) >= extend)
      kept[b - 1] = noisy[b - 1] as number
  return kept
}

/** Bucket of x on the signed power-of-two axis: 0 … OCTAVES−1 negative (far to near), OCTAVES zero, then positive. */
function octaveOf(x: number): number {
  if (x === 0) return OCTAVES
  const e = Math.abs(x) < 2 ** OCTAVE_MIN ? OCTAVE_MIN - 1 : Math.min(OCTAVE_MAX, Math.floor(Math.log2(Math.abs(x))))
  const offset = e - (OCTAVE_MIN - 1)
  return x > 0 ? OCTAVES + 1 + offset : OCTAVES - 1 - offset
}

function octaveEdges(b: number): { lo: number; hi: number } {
  if (b === OCTAVES) return { lo: 0, hi: 0 }
  const offset = b > OCTAVES ? b - OCTAVES - 1 : OCTAVES - 1 - b
  const e = offset + OCTAVE_MIN - 1
  const near = e < OCTAVE_MIN ? 0 : 2 ** e
  const far = 2 ** (e + 1)
  return b > OCTAVES ? { lo: near, hi: far } : { lo: -far, hi: -near }
}

function dpRange(xs: Float64Array, ctx: DpColumnContext, epsilon: number): { lo: number; hi: number; rows: number } {
  const counts = new Float64Array(RANGE_BUCKETS)
  for (let i = 0; i < xs.length; i++) {
    const b = octaveOf(xs[i] as number)
    counts[b] = (counts[b] as number) + 1
  }
  const released = ctx.ledger.noisyCounts(
    {
      column: ctx.name,
      quantity: 'range: counts per power-of-two bucket (±2⁻²⁰…2⁶⁴ and zero)',
      epsilon,
      sensitivity: 1,
    },
    counts,
    RANGE_FALSE_POSITIVE / RANGE_BUCKETS,
  )
  const kept = keptBins(released, released.threshold as number, RANGE_BUCKETS, RANGE_EXTEND_FALSE_POSITIVE)
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (let b = 0; b < RANGE_BUCKETS; b++) {
    if ((kept[b] as number) <= 0) continue
    const edges = octaveEdges(b)
    lo = Math.min(lo, edges.lo)
    hi = Math.max(hi, edges.hi)
  }
  const rows = kept.reduce((a, b) => a + b, 0)
  // Nothing at all (an empty column at this budget): the unit interval, a harmless public default.
  return Number.isFinite(lo) ? { lo, hi, rows } : { lo: 0, hi: 1, rows }
}

/** Decimals needed by a value: the smallest d ≤ 6 with x·10^d integral (as profileColumn's detectDecimals), or 7. */
function decimalsOf(x: number): number {
  for (let d = 0; d <= 6; d++) {
    const y = x * 10 ** d
    if (Math.abs(y - Math.round(y)) <= 1e-6 * Math.max(1, Math.abs(y))) return d
  }
  return 7
}

function dpDecimals(xs: Float64Array, ctx: DpColumnContext, epsilon: number): number | null {
  const counts = new Float64Array(8)
  for (let i = 0; i < xs.length; i++) {
    const d = decimalsOf(xs[i] as number)
    counts[d] = (counts[d] as number) + 1
  }
  const { counts: noisy } = ctx.ledger.noisyCounts(
    { column: ctx.name, quantity: 'rounding: rows needing 0…6 or more decimals', epsilon, sensitivity: 1 },
    counts,
  )
  const level = finestNeeded(noisy)
  return level >= 7 ? null : level
}

function dpTimeUnit(xs: Float64Array, ctx: DpColumnContext, epsilon: number): number {
  const counts = new Float64Array(TIME_UNITS.length)
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i] as number
    const level = TIME_UNITS.findIndex((u) => x % u === 0)
    const l = level < 0 ? TIME_UNITS.length - 1 : level
    counts[l] = (counts[l] as number) + 1
  }
  const { counts: noisy } = ctx.ledger.noisyCounts(
    {
      column: ctx.name,
      quantity: 'rounding: rows whose finest unit is the day, hour, minute, second or millisecond',
      epsilon,
      sensitivity: 1,
    },
    counts,
  )
  return TIME_UNITS[finestNeeded(noisy)] as number
}

/** The coarsest level such that the rows needing a finer one are at most 2% of the (clamped) noisy total. */
function finestNeeded(noisy: Float64Array): number {
  const clamped = Array.from(noisy, (x) => Math.max(0, x))
  const total = clamped.reduce((a, b) => a + b, 0)
  let finer = total
  for (let level = 0; level < clamped.length; level++) {
    finer -= clamped[level] as number
    if (finer <= ROUNDING_SLACK * total) return level
  }
  return clamped.length - 1
}
