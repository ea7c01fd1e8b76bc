// Helpers behind the distribution functions.
import { lnGamma } from '../lnGamma.js'

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

/**
 * x^a y^b / B(a, b). For large a or b the terms of a·ln x − ln B(a, b) grow like a·ln a and cancel; there
 * Stirling's series takes the large parameters apart (as DiDonato & Morris, ACM TOMS 18, 1992, do in BRCOMP), so
 * only quantities of order one are added (at a = 5,000 the direct form lost three digits).
 */
export function betaFront(x: number, a: number, b: number, y: number): number {
  const lnx = x > 0.5 ? Math.log1p(-y) : Math.log(x)
  const lny = y > 0.5 ? Math.log1p(-x) : Math.log(y)
  if (a < 10 && b < 10) return Math.exp(a * lnx + b * lny - lnGamma(a) - lnGamma(b) + lnGamma(a + b))
  if (a >= 10 && b >= 10) {
    // x^a y^b / B(a, b) = √(ab/(2π(a+b))) · (x/x₀)^a (y/y₀)^b · Γ*(a+b)/(Γ*(a)Γ*(b)), x₀ = a/(a+b)
    const x0 = a / (a + b)
    const d = x - x0
    const e = a * log1pmx(d / x0) + b * log1pmx(-d / (1 - x0))
    const stirling = lnGammaStar(a + b) - lnGammaStar(a) - lnGammaStar(b)
    return Math.exp(e + stirling) * Math.sqrt((a * b) / (2 * Math.PI * (a + b)))
  }
  // one large parameter L, one small s: ln Γ(L+s) − ln Γ(L) = (L − ½)·ln(1 + s/L) + s·ln(L+s) − s + Γ* terms
  const [big, small, lnBig, lnSmall] = a >= 10 ? [a, b, lnx, lny] : [b, a, lny, lnx]
  const lnRatio =
    (big - 0.5) * Math.log1p(small / big) +
    small * Math.log(big + small) -
    small +
    lnGammaStar(big + small) -
    lnGammaStar(big)
  return Math.exp(big * lnBig + small * lnSmall + lnRatio - lnGamma(small))
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
