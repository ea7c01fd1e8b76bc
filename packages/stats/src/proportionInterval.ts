import { betaIncInverse } from './internal/betaIncInverse.js'
import { badOption, checkChoice, checkOptionNames, checkProbability } from './internal/validate.js'
import { normalPpf } from './normalPpf.js'

export interface ProportionIntervalOptions {
  /** Confidence level. Default 0.95. */
  readonly confidence?: number
  /**
   * `wilson` (default): Wilson's score interval (1927), good coverage at every n and never outside [0, 1].
   * `wilson-cc`: with continuity correction (Newcombe 1998, method 4). `clopper-pearson`: the exact interval
   * (1934) from beta quantiles — conservative, coverage ≥ the level for every p. As
   * scipy.stats.binomtest(k, n).proportion_ci(method='wilson' | 'wilsoncc' | 'exact').
   */
  readonly method?: 'wilson' | 'wilson-cc' | 'clopper-pearson'
}

/** A proportion with its two-sided confidence interval. */
export interface ProportionInterval {
  /** successes / n */
  readonly estimate: number
  readonly lower: number
  readonly upper: number
  readonly confidence: number
  readonly method: 'wilson' | 'wilson-cc' | 'clopper-pearson'
  readonly successes: number
  readonly n: number
}

/**
 * Two-sided confidence interval for a binomial proportion (error rate, share of requests whose score moved past a
 * tolerance, …). 0 successes give a lower bound of 0 and n successes an upper bound of 1.
 */
export function proportionInterval(
  successes: number,
  n: number,
  options: ProportionIntervalOptions = {},
): ProportionInterval {
  checkOptionNames(options, ['confidence', 'method'], 'proportionInterval')
  if (!(Number.isInteger(n) && n > 0 && Number.isInteger(successes) && successes >= 0 && successes <= n)) {
    throw badOption(
      `proportionInterval: got ${String(successes)} successes out of ${String(n)}; expected integers with 0 ≤ successes ≤ n and n > 0.`,
    )
  }
  const confidence = checkProbability(options.confidence ?? 0.95, 'confidence', 'proportionInterval')
  const method = checkChoice(
    options.method ?? 'wilson',
    ['wilson', 'wilson-cc', 'clopper-pearson'],
    'method',
    'proportionInterval',
  )
  const k = successes
  const p = k / n
  let lower: number
  let upper: number
  if (method === 'clopper-pearson') {
    // P(X ≥ k | p_L) = α/2 and P(X ≤ k | p_U) = α/2, i.e. beta quantiles: I_{p_L}(k, n−k+1) = α/2, I_{p_U}(k+1, n−k) = 1 − α/2
    const tail = (1 - confidence) / 2
    lower = k === 0 ? 0 : betaIncInverse(tail, k, n - k + 1)
    upper = k === n ? 1 : 1 - betaIncInverse(tail, n - k, k + 1)
  } else {
    // Newcombe (1998), methods 3 and 4, in the form scipy uses
    const z = normalPpf(0.5 + 0.5 * confidence)
    const denom = 2 * (n + z * z)
    const center = (2 * n * p + z * z) / denom
    const q = 1 - p
    if (method === 'wilson') {
      const delta = (z / denom) * Math.sqrt(4 * n * p * q + z * z)
      lower = k === 0 ? 0 : center - delta
      upper = k === n ? 1 : center + delta
    } else {
      lower = k === 0 ? 0 : center - (1 + z * Math.sqrt(z * z - 2 - 1 / n + 4 * p * (n * q + 1))) / denom
      upper = k === n ? 1 : center + (1 + z * Math.sqrt(z * z + 2 - 1 / n + 4 * p * (n * q - 1))) / denom
    }
  }
  return { estimate: p, lower, upper, confidence, method, successes: k, n }
}
