import type { Random } from '@modelgate/core'
import { fastNormalCdf, normalPpfFast } from './special.js'

/** Draws from N(mean, sd²) truncated to [lo, hi] by inversion (mirrored into the lower tail for accuracy). */
export function truncatedNormal(mean: number, sd: number, lo: number, hi: number, random: Random): number {
  if (lo === hi) return lo
  let a = (lo - mean) / sd
  let b = (hi - mean) / sd
  const flip = a > 0
  if (flip) {
    const t = a
    a = -b
    b = -t
  }
  // Φ(±∞) without the exact Φ the table falls back to outside its range (the open end of a tie group or a null).
  const pa = a === Number.NEGATIVE_INFINITY ? 0 : fastNormalCdf(a)
  const pb = b === Number.POSITIVE_INFINITY ? 1 : fastNormalCdf(b)
  let x: number
  if (pb - pa > 1e-300) {
    x = normalPpfFast(pa + random.uniform() * (pb - pa))
    if (!Number.isFinite(x)) x = Math.abs(a) < Math.abs(b) ? a : b
    x = Math.min(b, Math.max(a, x))
  } else x = Number.isFinite(b) ? b : a
  return mean + sd * (flip ? -x : x)
}
