import { betaInc } from './internal/special.js'

/**
 * CDF of Student's t distribution with `df` degrees of freedom (df may be fractional, as in Welch's test),
 * through the regularized incomplete beta function: P(T ≤ t) = 1 − ½·I_{df/(df+t²)}(df/2, ½) for t > 0.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (t === Number.POSITIVE_INFINITY) return 1
  if (t === Number.NEGATIVE_INFINITY) return 0
  const t2 = t * t
  const tail = 0.5 * betaInc(df / (df + t2), df / 2, 0.5, t2 / (df + t2))
  return t > 0 ? 1 - tail : tail
}

/** Survival function P(T > t) of Student's t, accurate in the upper tail. */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df)
}
