import { StatsError } from './errors.js'
import { asFiniteFloat64, assertSameLength } from './internal/validate.js'

/**
 * Pearson's product-moment correlation r of paired samples (as scipy.stats.pearsonr's statistic).
 * When sums of squares overflow (x · 1e160) or underflow (x · 1e-170), each sample is scaled by a power of two near its
 * largest magnitude (exact) and the sums taken again; the corrected two-pass sums of Chan, Golub & LeVeque (1983) keep the
 * digits of data far from zero (1e9 + x/1000). Returns NaN when either sample is constant.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  assertSameLength(x, y, 'pearson: x and y')
  const a = asFiniteFloat64(x, 'pearson: sample "x"', 2)
  const b = asFiniteFloat64(y, 'pearson: sample "y"', 2)
  return pearsonOf(a, b)
}

export function pearsonOf(a: Float64Array, b: Float64Array): number {
  const n = a.length
  if (n !== b.length) {
    throw new StatsError('MG_STATS_LENGTH_MISMATCH', `pearson: x has ${n} values, y has ${b.length}.`)
  }
  const r = correlation(a, b)
  if (!Number.isNaN(r)) return r
  // overflow (sums of squares past 1e308) or underflow (squares below 1e-308) — or a constant sample: scale each
  // sample by a power of two that brings its largest magnitude into [½, 1] (exact) and look again
  const fa = powerOfTwoScale(a)
  const fb = powerOfTwoScale(b)
  if (fa === 0 || fb === 0) return Number.NaN
  return correlation(
    a.map((x) => x * fa),
    b.map((y) => y * fb),
  )
}

/** Two-pass r with corrected sums; NaN when a sum overflowed, a variance underflowed, or a sample is constant. */
function correlation(a: Float64Array, b: Float64Array): number {
  const n = a.length
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i] as number
    mb += b[i] as number
  }
  ma /= n
  mb /= n
  let ca = 0
  let cb = 0
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma
    const db = (b[i] as number) - mb
    ca += da
    cb += db
    sab += da * db
    saa += da * da
    sbb += db * db
  }
  saa -= (ca * ca) / n
  sbb -= (cb * cb) / n
  sab -= (ca * cb) / n
  if (!(saa > TINY && sbb > TINY && saa < Number.POSITIVE_INFINITY && sbb < Number.POSITIVE_INFINITY)) return Number.NaN
  const r = sab / (Math.sqrt(saa) * Math.sqrt(sbb))
  return r > 1 ? 1 : Math.max(r, -1)
}

/** Below this a sum of squares may have lost digits to underflow (2^-900). */
const TINY = 2 ** -900

/** 2^−e with 2^e ≥ max |v|, so v · scale lies in [−1, 1] and is exact; 0 when every value is 0. */
function powerOfTwoScale(v: Float64Array): number {
  let max = 0
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i] as number))
  if (max === 0) return 0
  const e = Math.ceil(Math.log2(max))
  return e > 1000 ? 2 ** -1000 * 2 ** (1000 - e) : 2 ** -e
}
