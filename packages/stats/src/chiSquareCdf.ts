import { gammaP, gammaQ } from './gammaP.js'

/** CDF of the chi-square distribution with `k` degrees of freedom: P(k/2, x/2). k = Infinity gives 0 for finite x. */
export function chiSquareCdf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return Number.NaN
  return gammaP(k / 2, x / 2)
}

/**
 * Survival function of the chi-square distribution (the p-value of a chi-square statistic), accurate in the upper
 * tail and, through Temme's expansion, at any df (checked against mpmath up to df = 10¹⁵).
 */
export function chiSquareSf(x: number, k: number): number {
  if (Number.isNaN(x) || !(k > 0)) return Number.NaN
  return gammaQ(k / 2, x / 2)
}
