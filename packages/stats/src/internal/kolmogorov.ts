// Distribution of the Kolmogorov–Smirnov statistic D_n, following the method selection of
// R. Simard & P. L'Ecuyer, "Computing the two-sided Kolmogorov–Smirnov distribution",
// Journal of Statistical Software 39(11), 2011 (the same scheme scipy.stats.kstwo uses):
//   - Ruben & Gambino (1982) closed forms at the ends of the range,
//   - the exact one-sided Smirnov formula (Birnbaum & Tingey 1951) for large n·d²,
//   - Durbin's matrix method as given by Marsaglia, Tsang & Wang (2003) for small n·d,
//   - the Pelz & Good (1976) asymptotic series otherwise.
// Difference from scipy: for n ≤ 140 and 0.754693 < n·d² ≤ 4 scipy uses Pomeranz's recursion; we use
// the (equally exact) Durbin matrix method there as well.
import { lnGamma } from '../lnGamma.js'
import { ldexp } from './special.js'

const E128 = 2 ** 128
const EM128 = 2 ** -128

/** P(D⁺_n ≥ d), the exact one-sided Smirnov survival function (Birnbaum & Tingey 1951). */
function smirnovSf(n: number, d: number): number {
  if (d <= 0) return 1
  if (d >= 1) return 0
  const jmax = Math.floor(n * (1 - d) + 1e-12)
  // Σ_j C(n,j) (1 − d − j/n)^(n−j) (d + j/n)^(j−1), all terms positive; sum in log space.
  let lnC = 0
  let max = Number.NEGATIVE_INFINITY
  const terms = new Float64Array(jmax + 1)
  for (let j = 0; j <= jmax; j++) {
    if (j > 0) lnC += Math.log((n - j + 1) / j)
    const u = 1 - d - j / n
    const v = d + j / n
    const t =
      u <= 0
        ? n - j === 0
          ? lnC + (j - 1) * Math.log(v)
          : Number.NEGATIVE_INFINITY
        : lnC + (n - j) * Math.log(u) + (j - 1) * Math.log(v)
    terms[j] = t
    if (t > max) max = t
  }
  let sum = 0
  for (let j = 0; j <= jmax; j++) sum += Math.exp((terms[j] as number) - max)
  const p = d * Math.exp(max) * sum
  return Math.min(p, 1)
}

function matMul(x: Float64Array, y: Float64Array, m: number, out: Float64Array): void {
  out.fill(0)
  for (let i = 0; i < m; i++) {
    const row = i * m
    for (let k = 0; k < m; k++) {
      const xik = x[row + k] as number
      if (xik === 0) continue
      const krow = k * m
      for (let j = 0; j < m; j++) out[row + j] = (out[row + j] as number) + xik * (y[krow + j] as number)
    }
  }
}

/** P(D_n ≤ d) by Durbin's matrix method (Marsaglia, Tsang & Wang 2003). */
function kolmogorovCdfDurbin(n: number, d: number): number {
  if (d >= 1) return 1
  const nd = n * d
  if (nd <= 0.5) return 0
  const k = Math.ceil(nd)
  const h = k - nd
  const m = 2 * k - 1
  const v = new Float64Array(m)
  const w = new Float64Array(m)
  let fac = 1
  for (let j = 1; j <= m; j++) {
    w[j - 1] = fac
    fac /= j
    v[j - 1] = (1 - h ** j) * fac
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m
  v[m - 1] = (1 + tt) * fac
  let H = new Float64Array(m * m)
  for (let i = 1; i < m; i++) {
    for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1] as number
  }
  for (let r = 0; r < m; r++) H[r * m] = v[r] as number
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c] as number

  let P = new Float64Array(m * m)
  for (let i = 0; i < m; i++) P[i * m + i] = 1
  let tmp = new Float64Array(m * m)
  let nn = n
  let expnt = 0
  let hExpnt = 0
  const kk = (k - 1) * m + (k - 1)
  while (nn > 0) {
    if (nn % 2 === 1) {
      matMul(P, H, m, tmp)
      ;[P, tmp] = [tmp, P]
      expnt += hExpnt
    }
    matMul(H, H, m, tmp)
    ;[H, tmp] = [tmp, H]
    hExpnt *= 2
    if (Math.abs(H[kk] as number) > E128) {
      for (let i = 0; i < m * m; i++) H[i] = (H[i] as number) / E128
      hExpnt += 128
    }
    nn = Math.floor(nn / 2)
  }
  let p = P[kk] as number
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n
    if (Math.abs(p) < EM128) {
      p *= E128
      expnt -= 128
    }
  }
  return ldexp(p, expnt)
}

/** Pelz & Good (1976) approximation of P(D_n ≤ x). */
function kolmogorovCdfPelzGood(n: number, x: number): number {
  if (x <= 0) return 0
  if (x >= 1) return 1
  const z = Math.sqrt(n) * x
  const z2 = z * z
  const z3 = z2 * z
  const z4 = z2 * z2
  const z6 = z4 * z2
  const pi2 = Math.PI * Math.PI
  const pi4 = pi2 * pi2
  const pi6 = pi4 * pi2
  const qlog = -pi2 / 8 / z2
  if (qlog < -708) return 0
  let q = Math.exp(qlog)
  const k1a = -z2
  const k1b = pi2 / 4
  const k2a = 6 * z6 + 2 * z4
  const k2b = ((2 * z4 - 5 * z2) * pi2) / 4
  const k2c = (pi4 * (1 - 2 * z2)) / 16
  const k3d = (pi6 * (5 - 30 * z2)) / 64
  const k3c = (pi4 * (-60 * z2 + 212 * z4)) / 16
  const k3b = (pi2 * (135 * z4 - 96 * z6)) / 4
  const k3a = -30 * z6 - 90 * z4 * z4
  let K0 = 0
  let K1 = 0
  let K2 = 0
  let K3 = 0
  const maxk = Math.ceil((16 * z) / Math.PI)
  for (let k = maxk; k >= 1; k--) {
    const m = 2 * k - 1
    const m2 = m * m
    const m4 = m2 * m2
    const m6 = m4 * m2
    const qp = q ** (8 * k)
    K0 = K0 * qp + 1
    K1 = K1 * qp + (k1a + k1b * m2)
    K2 = K2 * qp + (k2a + k2b * m2 + k2c * m4)
    K3 = K3 * qp + (k3a + k3b * m2 + k3c * m4 + k3d * m6)
  }
  const sqrt2pi = Math.sqrt(2 * Math.PI)
  K0 = (K0 * q * sqrt2pi) / z
  K1 = (K1 * q * sqrt2pi) / (6 * z4)
  K2 = (K2 * q * sqrt2pi) / (72 * z4 * z3)
  K3 = (K3 * q * sqrt2pi) / (6480 * z4 * z6)
  q = Math.exp(-pi2 / 2 / z2)
  let k2extra = 0
  let k3extra = 0
  const sqrt3z = Math.sqrt(3) * z
  for (let k = maxk; k >= 1; k--) {
    const ks2 = k * k
    const qp = q ** ks2
    k2extra += ks2 * qp
    const kspi = Math.PI * k
    k3extra += (sqrt3z + kspi) * (sqrt3z - kspi) * ks2 * qp
  }
  K2 += (k2extra * pi2 * sqrt2pi) / (-36 * z3)
  K3 += (k3extra * pi2 * sqrt2pi) / (216 * z6)
  return K0 + K1 / Math.sqrt(n) + K2 / n + K3 / (n * Math.sqrt(n))
}

function lnFactorialOverNPowN(n: number): number {
  return lnGamma(n + 1) - n * Math.log(n)
}

function clip(p: number): number {
  return p < 0 ? 0 : Math.min(p, 1)
}

/** P(D_n ≥ x): survival function of the one-sample two-sided KS statistic (scipy.stats.kstwo.sf). */
export function kolmogorovSf(n: number, x: number): number {
  if (x >= 1) return 0
  if (x <= 0) return 1
  const t = n * x
  if (t <= 1) {
    if (t <= 0.5) return 1
    let prob: number
    if (n <= 140) {
      prob = 1
      for (let i = 1; i <= n; i++) prob *= (i / n) * (2 * t - 1)
    } else {
      prob = Math.exp(lnFactorialOverNPowN(n) + n * Math.log(2 * t - 1))
    }
    return clip(1 - prob)
  }
  if (t >= n - 1) return clip(2 * (1 - x) ** n)
  if (x >= 0.5) return clip(2 * smirnovSf(n, x))
  const nx2 = t * x
  if (n <= 140) {
    if (nx2 <= 4) return clip(1 - kolmogorovCdfDurbin(n, x))
    return clip(2 * smirnovSf(n, x))
  }
  if (nx2 >= 370) return 0
  if (nx2 >= 2.2) return clip(2 * smirnovSf(n, x))
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? kolmogorovCdfDurbin(n, x) : kolmogorovCdfPelzGood(n, x)
  return clip(1 - cdf)
}

/**
 * Exact P(D_{m,n} ≥ h/lcm(m,n)) for the two-sample statistic by counting lattice paths (Hodges 1958).
 * b(i, j) is the fraction of the C(i+j, j) monotone paths from (0, 0) to (i, j) that have touched a point with
 * |i/m − j/n| ≥ d. Outside the band b = 1; inside, b(i, j) = (i·b(i−1, j) + j·b(i, j−1)) / (i + j).
 * Every term is non-negative, so tiny p-values keep their relative precision (no 1 − x cancellation);
 * only the band of each column is visited.
 */
export function twoSampleExactSf(n1: number, n2: number, h: number): number {
  if (h <= 0) return 1
  if (n1 === n2) return outsideSquare(n1, h)
  const m = Math.max(n1, n2)
  const n = Math.min(n1, n2)
  const g = gcd(m, n)
  const mg = m / g
  const ng = n / g
  // (i, j) is inside the band when |ng·i − mg·j| < h
  const col = new Float64Array(n + 1)
  let lo = 0
  let hi = Math.min(Math.ceil(h / mg) - 1, n) // column 0: j·mg < h
  for (let j = 0; j <= hi; j++) col[j] = 0
  for (let i = 1; i <= m; i++) {
    const newLo = Math.max(Math.floor((ng * i - h) / mg) + 1, 0)
    const newHi = Math.min(Math.ceil((ng * i + h) / mg) - 1, n)
    if (newLo > newHi) return 1
    let below = 1 // b(i, newLo − 1): outside the band (unused when newLo = 0)
    for (let j = newLo; j <= newHi; j++) {
      const left = j >= lo && j <= hi ? (col[j] as number) : 1
      const val = j === 0 ? left : (i * left + j * below) / (i + j)
      col[j] = val
      below = val
    }
    lo = newLo
    hi = newHi
  }
  const p = col[n] as number
  return Number.isFinite(p) ? clip(p) : Number.NaN
}

/**
 * Exact P(D⁺ ≥ h/lcm) where D⁺ = sup (F_a − F_b), a of size na on the x-axis, b of size nb: the fraction of
 * paths that touch nbg·i − nag·j ≥ h, by the same normalised path recursion as {@link twoSampleExactSf}
 * (for na = nb the closed form Π_{j<h} (n − j)/(n + j + 1)).
 */
export function twoSampleExactOneSidedSf(na: number, nb: number, h: number): number {
  if (h <= 0) return 1
  if (na === nb) {
    let p = 1
    for (let j = 0; j < h; j++) p *= (na - j) / (na + j + 1)
    return clip(p)
  }
  const g = gcd(na, nb)
  const nag = na / g
  const nbg = nb / g
  // (i, j) is inside when nbg·i − nag·j < h, i.e. j ≥ floor((nbg·i − h)/nag) + 1
  const col = new Float64Array(nb + 1) // column 0: nothing has touched the boundary yet
  let lo = 0
  for (let i = 1; i <= na; i++) {
    const newLo = Math.max(Math.floor((nbg * i - h) / nag) + 1, 0)
    if (newLo > nb) return 1
    let below = 1 // b(i, newLo − 1) lies outside
    for (let j = newLo; j <= nb; j++) {
      const left = j >= lo ? (col[j] as number) : 1
      const val = j === 0 ? left : (i * left + j * below) / (i + j)
      col[j] = val
      below = val
    }
    lo = newLo
  }
  const p = col[nb] as number
  return Number.isFinite(p) ? clip(p) : Number.NaN
}

/** P(D_{n,n} ≥ h/n) by the alternating reflection series, evaluated Horner-style as scipy does. */
function outsideSquare(n: number, h: number): number {
  let P = 0
  let k = Math.floor(n / h)
  while (k >= 0) {
    let p1 = 1
    for (let j = 0; j < h; j++) p1 = ((n - k * h - j) * p1) / (n + k * h + j + 1)
    P = p1 * (1 - P)
    k -= 1
  }
  return clip(2 * P)
}

/**
 * n = round(n₁n₂/(n₁+n₂)) for the asymptotic two-sample p-value, rounding halves to even like numpy's round()
 * (n₁ = n₂ odd gives exactly k + ½), and at least 1.
 */
export function ksEffectiveN(n1: number, n2: number): number {
  const x = (n1 * n2) / (n1 + n2)
  const r = Math.round(x)
  return Math.max(1, r - x === 0.5 && r % 2 !== 0 ? r - 1 : r)
}

export function gcd(a: number, b: number): number {
  let x = a
  let y = b
  while (y !== 0) {
    const t = x % y
    x = y
    y = t
  }
  return x
}
