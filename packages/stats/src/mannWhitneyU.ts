import { rankWithTies } from './internal/sorted.js'
import { badOption, checkProbability, toFiniteFloat64 } from './internal/validate.js'
import { normalSf } from './normalCdf.js'
import type { TestResult } from './TestResult.js'

export interface MannWhitneyUOptions {
  /** Significance level; the samples pass when p ≥ alpha. Default 0.05. */
  readonly alpha?: number
  /**
   * `asymptotic`: normal approximation with tie correction and continuity correction.
   * `exact`: exact null distribution of U (valid without ties). `auto` (default): exact when there are no ties
   * and either sample has at most 8 values — scipy.stats.mannwhitneyu's rule.
   */
  readonly method?: 'auto' | 'exact' | 'asymptotic'
}

/**
 * Two-sided Mann–Whitney U test (as scipy.stats.mannwhitneyu, use_continuity=True).
 * `statistic` is U for sample `a` (U₁ = R₁ − n₁(n₁+1)/2, average ranks for ties).
 * Details: `n1`, `n2`, `method`, `z` (asymptotic only).
 */
export function mannWhitneyU(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MannWhitneyUOptions = {},
): TestResult {
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'mannWhitneyU')
  const method = options.method ?? 'auto'
  if (method !== 'auto' && method !== 'exact' && method !== 'asymptotic') {
    throw badOption(`mannWhitneyU: method must be 'auto', 'exact' or 'asymptotic', got "${String(method)}".`)
  }
  const x = toFiniteFloat64(a, 'mannWhitneyU: sample "a"')
  const y = toFiniteFloat64(b, 'mannWhitneyU: sample "b"')
  const n1 = x.length
  const n2 = y.length
  const all = new Float64Array(n1 + n2)
  all.set(x)
  all.set(y, n1)
  const { ranks, tieSum: ties } = rankWithTies(all)
  let r1 = 0
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number
  const u1 = r1 - (n1 * (n1 + 1)) / 2
  const u2 = n1 * n2 - u1
  const u = Math.max(u1, u2)
  let used: 'exact' | 'asymptotic' =
    method === 'auto' ? (ties === 0 && Math.min(n1, n2) <= 8 ? 'exact' : 'asymptotic') : method
  let p: number
  let z = Number.NaN
  if (used === 'exact') {
    p = 2 * exactUSf(Math.round(u), Math.min(n1, n2), Math.max(n1, n2))
  } else {
    used = 'asymptotic'
    const n = n1 + n2
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))))
    z = (u - (n1 * n2) / 2 - 0.5) / s
    p = 2 * normalSf(z)
  }
  p = Math.min(1, Math.max(0, p))
  const details: Record<string, number | string> = { n1, n2, method: used }
  if (!Number.isNaN(z)) details.z = z
  return { test: 'mann-whitney', statistic: u1, pValue: p, threshold: alpha, passed: p >= alpha, details }
}

/**
 * P(U ≥ u) under H0 without ties: the counts of U are the coefficients of the Gaussian binomial
 * [m+n choose m]_q, built as ∏_{i=1..m} (1 − q^{n+i}) / (1 − q^i).
 */
function exactUSf(u: number, m: number, n: number): number {
  const size = m * n + m + 1
  const c = new Float64Array(size)
  c[0] = 1
  let deg = 0
  for (let i = 1; i <= m; i++) {
    const shift = n + i
    for (let d = deg + shift; d >= shift; d--) c[d] = (c[d] as number) - (c[d - shift] as number)
    for (let d = i; d <= deg + shift; d++) c[d] = (c[d] as number) + (c[d - i] as number)
    deg = i * n
    for (let d = deg + 1; d < size; d++) c[d] = 0
  }
  let total = 0
  let tail = 0
  for (let d = 0; d <= deg; d++) {
    total += c[d] as number
    if (d >= u) tail += c[d] as number
  }
  return tail / total
}
