// Helpers behind the distribution functions.

/** ln(1 + t) − t, accurate near t = 0 where the two terms cancel. */
export function log1pmx(t: number): number {
  if (Math.abs(t) >= 0.5) return Math.log1p(t) - t
  // ln(1+t) = 2 atanh(u) with u = t/(2+t), and t − 2u = t·u exactly: ln(1+t) − t = 2u Σ_{k≥1} u^(2k)/(2k+1) − t·u
  const u = t / (2 + t)
  const u2 = u * u
  let term = u2
  let sum = 0
  for (let k = 1; k < 40; k++) {
    const add = term / (2 * k + 1)
    sum += add
    if (Math.abs(add) <= 1e-17 * Math.abs(sum)) break
    term *= u2
  }
  return 2 * u * sum - t * u
}

// B_2k / (2k(2k − 1)), the Stirling series of ln Γ*(a) = ln Γ(a) − (a − ½) ln a + a − ½ ln 2π.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400]

/** ln Γ*(a), the relative error of Stirling's formula, for a ≥ 10 (eight terms: below 1e-17 there). */
export function lnGammaStar(a: number): number {
  const r = 1 / (a * a)
  let s = 0
  for (let k = STIRLING.length - 1; k >= 0; k--) s = s * r + (STIRLING[k] as number)
  return s / a
}

/** x · 2^e without intermediate overflow (like C's ldexp). */
export function ldexp(x: number, e: number): number {
  let r = x
  let k = e
  while (k > 1000) {
    r *= 2 ** 1000
    k -= 1000
  }
  while (k < -1000) {
    r *= 2 ** -1000
    k += 1000
  }
  return r * 2 ** k
}
