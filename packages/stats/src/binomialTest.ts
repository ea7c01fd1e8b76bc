import { betaInc } from './betaInc.js'
import { badOption, checkChoice, checkOptionNames, checkProbability } from './internal/validate.js'
import { lnGamma } from './lnGamma.js'
import type { TestResult } from './TestResult.js'

export interface BinomialTestOptions {
  /** The success probability under H0. Default 0.5 (McNemar's test on the discordant pairs). */
  readonly p?: number
  /** Significance level; passes when p-value ≥ alpha. Default 0.05. */
  readonly alpha?: number
  /** `two-sided` (default), `greater` (more successes than p predicts), `less` — scipy's `alternative`. */
  readonly alternative?: 'two-sided' | 'greater' | 'less'
}

/**
 * Exact binomial test of k successes in n trials, as scipy.stats.binomtest: one-sided p-values are binomial tails
 * (regularized incomplete beta); the two-sided p-value sums the probabilities of every outcome no more likely than
 * the one observed (within a relative 1e-7, scipy's rule). With p = ½ on the discordant pairs of paired binary
 * outcomes it is McNemar's exact test — the canary judge's error-rate test (candidate failed where the primary did not,
 * k, against the reverse, n − k). Details: `k`, `n`, `p`, `proportion`, `alternative`.
 */
export function binomialTest(k: number, n: number, options: BinomialTestOptions = {}): TestResult {
  checkOptionNames(options, ['p', 'alpha', 'alternative'], 'binomialTest')
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(k) && k >= 0 && k <= n))
    throw badOption(
      `binomialTest: got ${String(k)} successes out of ${String(n)}; expected integers with 0 ≤ k ≤ n and n > 0.`,
    )
  const p = options.p ?? 0.5
  if (!(p >= 0 && p <= 1)) throw badOption(`binomialTest: p must be in [0, 1], got ${String(p)}.`)
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'binomialTest')
  const alternative = checkChoice(
    options.alternative ?? 'two-sided',
    ['two-sided', 'greater', 'less'],
    'alternative',
    'binomialTest',
  )
  const pValue = alternative === 'greater' ? sf(k - 1, n, p) : alternative === 'less' ? cdf(k, n, p) : twoSided(k, n, p)
  const value = Math.min(1, Math.max(0, pValue))
  return {
    test: 'binomial',
    statistic: k / n,
    pValue: value,
    threshold: alpha,
    passed: value >= alpha,
    details: { k, n, p, proportion: k / n, alternative },
  }
}

/** P(X ≤ k). */
function cdf(k: number, n: number, p: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  // P(X ≤ k) = I_{1−p}(n − k, k + 1)
  return betaInc(1 - p, n - k, k + 1, p)
}

/** P(X > k). */
function sf(k: number, n: number, p: number): number {
  if (k < 0) return 1
  if (k >= n) return 0
  // P(X > k) = I_p(k + 1, n − k)
  return betaInc(p, k + 1, n - k, 1 - p)
}

function pmf(i: number, n: number, p: number): number {
  if (p === 0) return i === 0 ? 1 : 0
  if (p === 1) return i === n ? 1 : 0
  return Math.exp(lnGamma(n + 1) - lnGamma(i + 1) - lnGamma(n - i + 1) + i * Math.log(p) + (n - i) * Math.log1p(-p))
}

/** scipy's two-sided rule: the outcomes on the other side of the mode no more likely than k, by binary search. */
function twoSided(k: number, n: number, p: number): number {
  const d = pmf(k, n, p)
  const mean = n * p
  const rerr = 1 + 1e-7
  if (k === mean) return 1
  if (k < mean) {
    // the first i ≥ ceil(np) with pmf(i) ≤ d·rerr (pmf decreases there)
    let lo = Math.ceil(mean)
    let hi = n
    if (pmf(hi, n, p) > d * rerr) return cdf(k, n, p)
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      if (pmf(mid, n, p) <= d * rerr) hi = mid
      else lo = mid + 1
    }
    return cdf(k, n, p) + sf(lo - 1, n, p)
  }
  // the last i ≤ floor(np) with pmf(i) ≤ d·rerr (pmf increases there)
  let lo = 0
  let hi = Math.floor(mean)
  if (pmf(lo, n, p) > d * rerr) return sf(k - 1, n, p)
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (pmf(mid, n, p) <= d * rerr) lo = mid
    else hi = mid - 1
  }
  return cdf(lo, n, p) + sf(k - 1, n, p)
}
