import { StatsError } from './errors.js'
import { asFiniteFloat64, assertSameLength } from './internal/validate.js'

/**
 * Pearson's product-moment correlation r of paired samples (two-pass, as scipy.stats.pearsonr's statistic).
 * Returns NaN when either sample is constant.
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
  let ma = 0
  let mb = 0
  for (let i = 0; i < n; i++) {
    ma += a[i] as number
    mb += b[i] as number
  }
  ma /= n
  mb /= n
  let sab = 0
  let saa = 0
  let sbb = 0
  for (let i = 0; i < n; i++) {
    const da = (a[i] as number) - ma
    const db = (b[i] as number) - mb
    sab += da * db
    saa += da * da
    sbb += db * db
  }
  if (saa === 0 || sbb === 0) return Number.NaN
  const r = sab / Math.sqrt(saa * sbb)
  return r > 1 ? 1 : Math.max(r, -1)
}
