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
  return mean + sd * (flip ? -inverted(a, b, random) : inverted(a, b, random))
}

/** A standard normal truncated to [a, b], a ≤ 0 or both below 0 (the lower tail), by inversion. */
function inverted(a: number, b: number, random: Random): number {
  // Φ(±∞) without the exact Φ the table falls back to outside its range (the open end of a tie group or a null).
  const pa = a === Number.NEGATIVE_INFINITY ? 0 : fastNormalCdf(a)
  const pb = b === Number.POSITIVE_INFINITY ? 1 : fastNormalCdf(b)
  let x: number
  if (pb - pa > 1e-300) {
    x = normalPpfFast(pa + random.uniform() * (pb - pa))
    if (!Number.isFinite(x)) x = Math.abs(a) < Math.abs(b) ? a : b
    x = Math.min(b, Math.max(a, x))
  } else x = Number.isFinite(b) ? b : a
  return x
}

const TWO_TO_MINUS_32 = 2 ** -32

/**
 * The same law as `truncatedNormal`, drawn more cheaply where the interval allows — for the copula fit's data
 * augmentation, which redraws millions of tied latent values per fit (the sampling path keeps `truncatedNormal`, so
 * its draws do not change). With a, b the interval in standard units and c its point nearest 0:
 * - a narrow interval (width·(|c| + width/2) ≤ ½): uniform proposals on [a, b] accepted with probability
 *   exp(−(x² − c²)/2) ≥ e^−½ (rejection from a uniform, Robert 1995, "Simulation of truncated normal variables",
 *   Statistics and Computing 5; the squeeze 1 − t ≤ e^−t spares most exponentials);
 * - an interval within one unit of the mean: up to two plain normal draws (the ziggurat: one generator step each),
 *   kept when inside, else inversion. Exact: the first draw inside has the truncated law, and so has the inversion
 *   that follows two misses, whatever their probability.
 * - otherwise (a far tail) inversion, as `truncatedNormal`.
 */
export function redrawTruncatedNormal(mean: number, sd: number, lo: number, hi: number, random: Random): number {
  if (lo === hi) return lo
  const a = (lo - mean) / sd
  const b = (hi - mean) / sd
  const width = b - a
  const near = a > 0 ? a : b < 0 ? -b : 0
  if (width * (near + 0.5 * width) <= 0.5) {
    const c2 = near * near
    for (;;) {
      // 32-bit uniforms: the position on a narrow interval and the acceptance need no more.
      const x = a + width * ((random.nextUint32() + 0.5) * TWO_TO_MINUS_32)
      const t = 0.5 * (x * x - c2)
      const u = (random.nextUint32() + 0.5) * TWO_TO_MINUS_32
      if (u <= 1 - t || u <= Math.exp(-t)) return mean + sd * x
    }
  }
  if (near < 1) {
    let x = random.normal()
    if (x >= a && x <= b) return mean + sd * x
    x = random.normal()
    if (x >= a && x <= b) return mean + sd * x
  }
  return a > 0 ? mean - sd * inverted(-b, -a, random) : mean + sd * inverted(a, b, random)
}
