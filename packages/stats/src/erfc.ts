// biome-ignore-all lint/correctness/noPrecisionLoss: published coefficients are kept at their printed precision
// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23 (1969) 631–637
// (the coefficient sets of his CALERF routine).
const ERF_A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153]
const ERF_B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062]
const ERF_C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909,
  1712.04761263407058, 2051.07837782607147, 1230.33935479799725, 2.15311535474403846e-8,
]
const ERF_D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963,
  4362.61909014324716, 3439.36767414372164, 1230.33935480374942,
]
const ERF_P = [
  0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4,
  0.0163153871373020978,
]
const ERF_Q = [
  2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185,
]
const SQRT_PI_INV = 0.56418958354775628695

/** Complementary error function, relative accuracy ≈ 1e-15 (Cody 1969). */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN
  const y = Math.abs(x)
  let result: number
  if (y <= 0.46875) {
    const ysq = y > 1.11e-16 ? y * y : 0
    let num = (ERF_A[4] as number) * ysq
    let den = ysq
    for (let i = 0; i < 3; i++) {
      num = (num + (ERF_A[i] as number)) * ysq
      den = (den + (ERF_B[i] as number)) * ysq
    }
    return 1 - (x * (num + (ERF_A[3] as number))) / (den + (ERF_B[3] as number))
  }
  if (y <= 4) {
    let num = (ERF_C[8] as number) * y
    let den = y
    for (let i = 0; i < 7; i++) {
      num = (num + (ERF_C[i] as number)) * y
      den = (den + (ERF_D[i] as number)) * y
    }
    result = (num + (ERF_C[7] as number)) / (den + (ERF_D[7] as number))
  } else if (y >= 26.543) {
    result = 0
  } else {
    const ysq = 1 / (y * y)
    let num = (ERF_P[5] as number) * ysq
    let den = ysq
    for (let i = 0; i < 4; i++) {
      num = (num + (ERF_P[i] as number)) * ysq
      den = (den + (ERF_Q[i] as number)) * ysq
    }
    result = (ysq * (num + (ERF_P[4] as number))) / (den + (ERF_Q[4] as number))
    result = (SQRT_PI_INV - result) / y
  }
  if (result !== 0) {
    // exp(-y²) split as Cody does, so the rounding of y² does not cost relative accuracy.
    const ysq = Math.trunc(y * 16) / 16
    const del = (y - ysq) * (y + ysq)
    result = Math.exp(-ysq * ysq) * Math.exp(-del) * result
  }
  return x < 0 ? 2 - result : result
}
