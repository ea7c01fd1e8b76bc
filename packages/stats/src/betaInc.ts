import { betaFront } from './internal/special.js'

/**
 * Regularized incomplete beta I_x(a, b) (Lentz continued fraction, Numerical Recipes §6.4).
 * `y` is 1 − x when the caller knows it more precisely than `1 - x`.
 */
export function betaInc(x: number, a: number, b: number, y: number = 1 - x): number {
  if (x <= 0) return 0
  if (y <= 0) return 1
  const f = betaFront(x, a, b, y)
  if (x < (a + 1) / (a + b + 2)) return (f * betaContinuedFraction(a, b, x)) / a
  return 1 - (f * betaContinuedFraction(b, a, y)) / b
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
