// biome-ignore-all lint/correctness/noPrecisionLoss: series coefficients are kept at full double precision
import { erfc } from './erfc.js'
import { lnGammaStar, log1pmx } from './internal/special.js'
import { lnGamma } from './lnGamma.js'

/**
 * Regularized lower incomplete gamma P(a, x) = γ(a, x)/Γ(a). Series or Lentz continued fraction (Numerical Recipes
 * §6.2) up to a = 10⁴, Temme's uniform asymptotic expansion beyond (DLMF 8.12.8); a = Infinity gives 0 for every
 * finite x.
 */
export function gammaP(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x)) return Number.NaN
  if (x <= 0) return 0
  if (x === Number.POSITIVE_INFINITY) return 1
  if (a === Number.POSITIVE_INFINITY) return 0
  if (a >= TEMME_MIN_A) return temme(a, x).p
  return x < a + 1 ? gammaSeries(a, x) : 1 - gammaContinuedFraction(a, x)
}

/** Regularized upper incomplete gamma Q(a, x) = 1 − P(a, x), accurate in the upper tail. */
export function gammaQ(a: number, x: number): number {
  if (Number.isNaN(a) || Number.isNaN(x)) return Number.NaN
  if (x <= 0) return 1
  if (x === Number.POSITIVE_INFINITY) return 0
  if (a === Number.POSITIVE_INFINITY) return 1
  if (a >= TEMME_MIN_A) return temme(a, x).q
  return x < a + 1 ? 1 - gammaSeries(a, x) : gammaContinuedFraction(a, x)
}

const EPS = 1e-16
const FPMIN = 1e-300
const MAX_ITER = 100_000
/** From here on the expansion's first four terms are exact to double precision (the next is below a⁻⁴·a⁻½). */
const TEMME_MIN_A = 1e4

/**
 * x^a e^(−x) / Γ(a), the factor in front of the series and the continued fraction. For a ≥ 10 through
 * −a·(λ − 1 − ln λ) with λ = x/a and Stirling's series, so nothing of size a·ln x is subtracted (at a = 10⁴ the
 * direct form loses six digits).
 */
function front(a: number, x: number): number {
  if (a < 10) return Math.exp(-x + a * Math.log(x) - lnGamma(a))
  return Math.exp(-a * lambdaTerm(a, x) - lnGammaStar(a)) * Math.sqrt(a / (2 * Math.PI))
}

/** λ − 1 − ln λ for λ = x/a ≥ 0, without cancellation near λ = 1 nor the ill-conditioned log1p near λ = 0. */
function lambdaTerm(a: number, x: number): number {
  const t = (x - a) / a
  return Math.abs(t) < 0.5 ? -log1pmx(t) : t - Math.log(x / a)
}

function gammaSeries(a: number, x: number): number {
  let ap = a
  let del = 1 / a
  let sum = del
  for (let i = 0; i < MAX_ITER; i++) {
    ap += 1
    del *= x / ap
    sum += del
    if (Math.abs(del) < Math.abs(sum) * EPS) break
  }
  return sum * front(a, x)
}

function gammaContinuedFraction(a: number, x: number): number {
  let b = x + 1 - a
  let c = 1 / FPMIN
  let d = 1 / b
  let h = d
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a)
    b += 2
    d = an * d + b
    if (Math.abs(d) < FPMIN) d = FPMIN
    c = b + an / c
    if (Math.abs(c) < FPMIN) c = FPMIN
    d = 1 / d
    const del = d * c
    h *= del
    if (Math.abs(del - 1) < EPS) break
  }
  return front(a, x) * h
}

// Taylor coefficients in η of Temme's c₀(η) … c₃(η) (DLMF 8.12.9–8.12.12; the first terms are DLMF 8.12.11's
// −1/3, 1/12, −2/135, …). Derived here in exact rational arithmetic (sympy: series reversion of
// η²/2 = λ − 1 − ln λ, then c_k = c'_(k−1)/η + (−1)^k g_k/(λ − 1) with g_k from 1/Γ*), and they agree with the
// table of the Cephes library. The series converge for |η| < 2√π; with a ≥ 10⁴ only |η| < 0.39 matters (beyond,
// e^(−aη²/2) underflows), where sixteen terms are exact to double precision.
const C0 = [
  -0.3333333333333333, 0.08333333333333333, -0.014814814814814815, 0.0011574074074074073, 0.0003527336860670194,
  -0.0001787551440329218, 3.919263178522438e-5, -2.185448510679992e-6, -1.85406221071516e-6, 8.296711340953087e-7,
  -1.7665952736826078e-7, 6.707853543401498e-9, 1.0261809784240309e-8, -4.382036018453353e-9, 9.14769958223679e-10,
  -2.5514193994946248e-11,
]
const C1 = [
  -0.001851851851851852, -0.003472222222222222, 0.0026455026455026454, -0.0009902263374485596, 0.00020576131687242798,
  -4.018775720164609e-7, -1.8098550334489977e-5, 7.64916091608111e-6, -1.6120900894563446e-6, 4.647127802807434e-9,
  1.378633446915721e-7, -5.752545603517705e-8, 1.1951628599778148e-8, -1.7543241719747647e-11, -1.0091543710600413e-9,
  4.162792991842583e-10,
]
const C2 = [
  0.004133597883597883, -0.0026813271604938273, 0.0007716049382716049, 2.0093878600823047e-6, -0.0001073665322636516,
  5.2923448829120125e-5, -1.2760635188618728e-5, 3.423578734096138e-8, 1.3721957309062934e-6, -6.298992138380055e-7,
  1.4280614206064242e-7, -2.0477098421990866e-10, -1.409252991086752e-8, 6.228974084922022e-9, -1.3670488396617114e-9,
  9.428356159014678e-13,
]
const C3 = [
  0.0006494341563786008, 0.00022947209362139917, -0.0004691894943952557, 0.00026772063206283885, -7.561801671883977e-5,
  -2.396505113867297e-7, 1.1082654115347302e-5, -5.6749528269915965e-6, 1.4230900732435883e-6, -2.7861080291528143e-11,
  -1.6958404091930278e-7, 8.099464905388083e-8, -1.9111168485973655e-8, 2.3928620439808118e-12, 2.0620131815488797e-9,
  -9.460496661855133e-10,
]

function horner(c: readonly number[], x: number): number {
  let s = 0
  for (let k = c.length - 1; k >= 0; k--) s = s * x + (c[k] as number)
  return s
}

/**
 * Temme's uniform expansion (N. M. Temme, "The asymptotic expansion of the incomplete gamma functions",
 * SIAM J. Math. Anal. 10, 1979; DLMF 8.12.8): with λ = x/a and η = sign(λ − 1)·√(2(λ − 1 − ln λ)),
 * Q(a, x) = ½ erfc(η√(a/2)) + R, P(a, x) = ½ erfc(−η√(a/2)) − R, R = e^(−aη²/2)/√(2πa) · Σ_k c_k(η) a^(−k).
 */
function temme(a: number, x: number): { p: number; q: number } {
  const phi = lambdaTerm(a, x) // λ − 1 − ln λ ≥ 0
  const eta = Math.sign(x - a) * Math.sqrt(2 * phi)
  const u = eta * Math.sqrt(a / 2)
  const series = horner(C0, eta) + (horner(C1, eta) + (horner(C2, eta) + horner(C3, eta) / a) / a) / a
  const r = (Math.exp(-a * phi) / Math.sqrt(2 * Math.PI * a)) * series
  return { p: 0.5 * erfc(-u) - r, q: 0.5 * erfc(u) + r }
}
