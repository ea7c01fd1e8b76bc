import type { Random } from '@modelgate/core'
import { fastNormalCdf, normalPpfFast } from './special.js'

/** Draws from N(mean, sd²) truncated to [lo, hi] by inversion (mirrored into the lower tail for accuracy). */
export function truncatedNormal(mean: number, sd: number, lo: number, hi: number, random: Random): number {
  if (lo === hi) return lo
  let a = (lo - mean) / sd
  let b = (hi - mean) / sd
  const flip = a > 0
  if (flip) [a, b] = [-b, -a]
  const pa = fastNormalCdf(a)
  const pb = fastNormalCdf(b)
  let x: number
  if (pb - pa > 1e-300) {
    x = normalPpfFast(pa + random.uniform() * (pb - pa))
    if (!Number.isFinite(x)) x = Math.abs(a) < Math.abs(b) ? a : b
    x = Math.min(b, Math.max(a, x))
  } else x = Number.isFinite(b) ? b : a
  return mean + sd * (flip ? -x : x)
}
