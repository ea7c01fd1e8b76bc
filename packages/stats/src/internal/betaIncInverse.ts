import { betaInc } from '../betaInc.js'
import { betaFront } from './special.js'

/**
 * x with I_x(a, b) = p: Newton steps on the regularized incomplete beta, kept inside a bisection bracket (so it cannot
 * leave (0, 1) or cycle), to full double precision, small x included (the bracket halves towards 0 until Newton
 * takes over). For p > ½ it solves the mirror equation I_(1−x)(b, a) = 1 − p, whose tail is the accurate one.
 */
export function betaIncInverse(p: number, a: number, b: number): number {
  if (p <= 0) return 0
  if (p >= 1) return 1
  if (p > 0.5) return 1 - betaIncInverse(1 - p, b, a)
  let lo = 0
  let hi = 1
  let x = 0.5
  for (let iter = 0; iter < 400; iter++) {
    const f = betaInc(x, a, b) - p
    if (f === 0) return x
    if (f < 0) lo = x
    else hi = x
    const density = betaFront(x, a, b, 1 - x) / (x * (1 - x))
    let next = x - f / density
    if (!(next > lo && next < hi) || !Number.isFinite(next)) next = lo === 0 ? hi / 16 : (lo + hi) / 2
    if (Math.abs(next - x) <= 1e-16 * x || hi - lo <= 1e-17 * hi) return next
    x = next
  }
  return x
}
