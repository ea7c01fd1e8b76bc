import { erfc } from './erfc.js'

/** Standard normal CDF Φ(x), relative accuracy ≈ 1e-15 in both tails (via Cody's erfc). */
export function normalCdf(x: number, mean = 0, sd = 1): number {
  return 0.5 * erfc(-(x - mean) / (sd * Math.SQRT2))
}

/** Standard normal survival function 1 − Φ(x), accurate for large x. */
export function normalSf(x: number, mean = 0, sd = 1): number {
  return 0.5 * erfc((x - mean) / (sd * Math.SQRT2))
}
