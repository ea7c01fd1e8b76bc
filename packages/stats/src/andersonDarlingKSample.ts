import { StatsError } from './errors.js'
import { sortFloat64 } from './internal/radixSort.js'
import { badOption, checkOptionNames, checkProbability, toSortedFloat64 } from './internal/validate.js'
import type { TestResult } from './TestResult.js'

export interface AndersonDarlingOptions {
  /** Significance level; the samples pass when p ≥ alpha. Default 0.05. */
  readonly alpha?: number
}

// Table 2 of F. W. Scholz & M. A. Stephens, "K-sample Anderson–Darling tests", JASA 82(399) (1987) 918–924:
// critical values t_m(α) ≈ b0 + b1/√m + b2/m of the standardized statistic, m = k − 1.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085]
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615]
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154]
const SIG = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001]

/**
 * k-sample Anderson–Darling test (Scholz & Stephens 1987), midrank version A²_akN for data with ties —
 * as scipy.stats.anderson_ksamp(samples, variant='midrank').
 *
 * `statistic` is the standardized T = (A²_akN − (k−1)) / σ_N. The p-value follows scipy's approximation:
 * a quadratic least-squares fit of ln(α) against the interpolated critical values t_m(α) for
 * α ∈ {0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001}, evaluated at T — so it is capped at 0.25 and floored at
 * 0.001 (details.pValueBound says 'capped', 'floored' or 'interpolated'). Details: `k`, `n` (total).
 */
export function andersonDarlingKSample(
  samples: ReadonlyArray<ArrayLike<number>>,
  options: AndersonDarlingOptions = {},
): TestResult {
  checkOptionNames(options, ['alpha'], 'andersonDarlingKSample')
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'andersonDarlingKSample')
  const k = samples.length
  if (k < 2) throw badOption(`andersonDarlingKSample: expected at least 2 samples, got ${k}.`)
  const sorted = samples.map((s, i) => toSortedFloat64(s, `andersonDarlingKSample: sample ${i}`))
  const sizes = sorted.map((s) => s.length)
  let N = 0
  for (const n of sizes) N += n
  if (N < 4) {
    throw new StatsError(
      'MG_STATS_EMPTY_SAMPLE',
      `andersonDarlingKSample: expected at least 4 values across all samples, got ${N}.`,
    )
  }
  const Z = new Float64Array(N)
  {
    let o = 0
    for (const s of sorted) {
      Z.set(s, o)
      o += s.length
    }
    sortFloat64(Z)
  }
  if (Z[0] === Z[N - 1]) {
    throw new StatsError(
      'MG_STATS_BAD_OPTION',
      'andersonDarlingKSample: all values are equal; the test needs at least two distinct values.',
    )
  }
  // Walk the distinct values z_j of the pooled sample; pointers[i] = #(sample i < z_j).
  const pointers = new Int32Array(k)
  const inner = new Float64Array(k)
  let below = 0 // #(Z < z_j)
  while (below < N) {
    const z = Z[below] as number
    let end = below
    while (end < N && Z[end] === z) end++
    const lj = end - below
    const Bj = below + lj / 2
    const denom = Bj * (N - Bj) - (N * lj) / 4
    for (let i = 0; i < k; i++) {
      const s = sorted[i] as Float64Array
      let p = pointers[i] as number
      const left = p
      while (p < s.length && s[p] === z) p++
      pointers[i] = p
      const fij = p - left
      const Mij = p - fij / 2
      const diff = N * Mij - Bj * (sizes[i] as number)
      inner[i] = (inner[i] as number) + ((lj / N) * diff * diff) / denom
    }
    below = end
  }
  let A2akN = 0
  for (let i = 0; i < k; i++) A2akN += (inner[i] as number) / (sizes[i] as number)
  A2akN *= (N - 1) / N

  // variance of A²_akN under H0 (Scholz & Stephens eq. 4)
  let H = 0
  for (const n of sizes) H += 1 / n
  let cum = 0
  let g = 0
  for (let t = N - 1, idx = 0; t >= 2; t--, idx++) {
    cum += 1 / t
    g += cum / (idx + 2)
  }
  const h = cum + 1
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H
  const b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6
  const c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h
  const d = (2 * h + 6) * k * k - 4 * h * k
  const sigmasq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3))
  const m = k - 1
  const T = (A2akN - m) / Math.sqrt(sigmasq)

  const critical = B0.map((b0, i) => b0 + (B1[i] as number) / Math.sqrt(m) + (B2[i] as number) / m)
  let p: number
  let bound: string
  if (T < Math.min(...critical)) {
    p = 0.25
    bound = 'capped'
  } else if (T > Math.max(...critical)) {
    p = 0.001
    bound = 'floored'
  } else {
    const [c0, c1, c2] = quadraticFit(critical, SIG.map(Math.log))
    p = Math.exp(c0 + c1 * T + c2 * T * T)
    bound = 'interpolated'
  }
  return {
    test: 'anderson-darling',
    statistic: T,
    pValue: p,
    threshold: alpha,
    passed: p >= alpha,
    details: { k, n: N, pValueBound: bound, a2akN: A2akN },
  }
}

/** Least-squares y ≈ c0 + c1·x + c2·x² (normal equations on centred x, solved by Cramer's rule). */
function quadraticFit(xs: readonly number[], ys: readonly number[]): [number, number, number] {
  const n = xs.length
  const xm = xs.reduce((s, v) => s + v, 0) / n
  let s1 = 0
  let s2 = 0
  let s3 = 0
  let s4 = 0
  let t0 = 0
  let t1 = 0
  let t2 = 0
  for (let i = 0; i < n; i++) {
    const x = (xs[i] as number) - xm
    const y = ys[i] as number
    s1 += x
    s2 += x * x
    s3 += x * x * x
    s4 += x * x * x * x
    t0 += y
    t1 += x * y
    t2 += x * x * y
  }
  // | n  s1 s2 | |a|   |t0|
  // | s1 s2 s3 | |b| = |t1|
  // | s2 s3 s4 | |c|   |t2|
  const det = (m: number[][]): number =>
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!)
  const M = [
    [n, s1, s2],
    [s1, s2, s3],
    [s2, s3, s4],
  ]
  const D = det(M)
  const A =
    det([
      [t0, s1, s2],
      [t1, s2, s3],
      [t2, s3, s4],
    ]) / D
  const B =
    det([
      [n, t0, s2],
      [s1, t1, s3],
      [s2, t2, s4],
    ]) / D
  const C =
    det([
      [n, s1, t0],
      [s1, s2, t1],
      [s2, s3, t2],
    ]) / D
  // back from centred x: a + b(x − xm) + c(x − xm)²
  return [A - B * xm + C * xm * xm, B - 2 * C * xm, C]
}
