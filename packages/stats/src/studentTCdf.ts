import { betaInc } from './betaInc.js'
import { normalCdf } from './normalCdf.js'

/** From here on Hill's transformation is exact to double precision (its error falls like df⁻⁶: 6e-13 at 10⁴). */
const HILL_MIN_DF = 2e4

/**
 * CDF of Student's t distribution with `df` degrees of freedom (df may be fractional, as in Welch's test).
 * Up to df = 2·10⁴ through the regularized incomplete beta function, P(T ≤ t) = 1 − ½·I_{df/(df+t²)}(df/2, ½) for
 * t > 0; beyond, Hill's asymptotic normalizing transformation (G. W. Hill, "Algorithm 395: Student's
 * t-distribution", Comm. ACM 13, 1970: with a = df − ½ and y = a·ln(1 + t²/df),
 * z = √y·(1 + (y + 3 + (−0.4y³ − 3.3y² − 24y − 85.5)/(0.8y² + 100 + 48a²))/(48a²)) and P(T ≤ t) = Φ(±z)),
 * checked against mpmath up to df = 10²⁰; df = Infinity is the normal distribution.
 */
export function studentTCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (t === Number.POSITIVE_INFINITY) return 1
  if (t === Number.NEGATIVE_INFINITY) return 0
  if (df === Number.POSITIVE_INFINITY) return normalCdf(t)
  if (df >= HILL_MIN_DF) return hill(t, df)
  const t2 = t * t
  const tail = 0.5 * betaInc(df / (df + t2), df / 2, 0.5, t2 / (df + t2))
  return t > 0 ? 1 - tail : tail
}

/** Survival function P(T > t) of Student's t, accurate in the upper tail. */
export function studentTSf(t: number, df: number): number {
  return studentTCdf(-t, df)
}

function hill(t: number, df: number): number {
  const a = df - 0.5
  const b = 48 * a * a
  const t2 = t * t
  const ln1p = Number.isFinite(t2) ? Math.log1p(t2 / df) : 2 * Math.log(Math.abs(t)) - Math.log(df)
  const y = a * ln1p
  const z = Math.sqrt(y) * (1 + (y + 3 + (((-0.4 * y - 3.3) * y - 24) * y - 85.5) / (0.8 * y * y + 100 + b)) / b)
  return normalCdf(t < 0 ? -z : z)
}
