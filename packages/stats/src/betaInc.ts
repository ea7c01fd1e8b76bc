import { lnGammaStar, log1pmx } from './internal/special.js'
import { lnGamma } from './lnGamma.js'

/**
 * Regularized incomplete beta I_x(a, b) (Lentz continued fraction, Numerical Recipes §6.4).
 * `y` is 1 − x when the caller knows it more precisely than `1 - x`.
 */
export function betaInc(x: number, a: number, b: number, y: number = 1 - x): number {
  if (x <= 0) return 0
  if (y <= 0) return 1
  const f = front(x, a, b, y)
  if (x < (a + 1) / (a + b + 2)) return (f * betaContinuedFraction(a, b, x)) / a
  return 1 - (f * betaContinuedFraction(b, a, y)) / b
}

/**
 * x^a y^b / B(a, b). For large a or b the terms of a·ln x − ln B(a, b) grow like a·ln a and cancel; there
 * Stirling's series takes the large parameters apart (as DiDonato & Morris, ACM TOMS 18, 1992, do in BRCOMP), so
 * only quantities of order one are added (at a = 5,000 the direct form lost three digits).
 */
function front(x: number, a: number, b: number, y: number): number {
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

const EPS = 1e-16
const FPMIN = 1e-300
const MAX_ITER = 100_000

function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < FPMIN) d = FPMIN
  d = 1 / d
  let h = d
  for (let m = 1; m < MAX_ITER; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = 1 + aa / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = 1 + aa / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return h
}
