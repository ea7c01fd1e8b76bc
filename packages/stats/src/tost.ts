import { asFiniteFloat64, badOption, checkOptionNames, checkPositive, checkProbability } from './internal/validate.js'
import { studentTCdf, studentTSf } from './studentTCdf.js'
import type { TestResult } from './TestResult.js'

export interface TostOptions {
  /** Equivalence margin δ > 0: means are equivalent when the difference lies within (−δ, +δ). */
  readonly margin: number
  /** Significance level; equivalence is declared when both one-sided p-values are < alpha. Default 0.05. */
  readonly alpha?: number
}

export interface TostTwoSampleOptions extends TostOptions {
  /** Student's pooled-variance t-test (true, the scipy.stats.ttest_ind default) or Welch's (false). Default true. */
  readonly equalVariance?: boolean
}

/**
 * Schuirmann's two one-sided tests (TOST, 1987) for paired differences: H0₁ mean ≤ −δ and H0₂ mean ≥ +δ, each by a
 * one-sample t-test (df = n − 1). `statistic` is the mean difference, `pValue` = max(p₁, p₂), `passed` = equivalent
 * (p < alpha). Details: `tLower`, `pLower`, `tUpper`, `pUpper`, `df`, `margin`, `n`.
 */
export function tostPaired(differences: ArrayLike<number>, options: TostOptions): TestResult {
  checkOptionNames(options, ['margin', 'alpha'], 'tostPaired')
  const { margin, alpha } = checkTostOptions(options, 'tostPaired')
  const d = asFiniteFloat64(differences, 'tostPaired: differences', 2)
  const n = d.length
  const { mean, variance } = meanVar(d)
  const se = Math.sqrt(variance / n)
  return tostResult(mean, se, n - 1, margin, alpha, { n })
}

/**
 * Schuirmann's TOST for the difference of means mean(a) − mean(b) of two independent samples, each one-sided
 * test a two-sample t-test (pooled by default, Welch with `equalVariance: false`).
 * `statistic` is the mean difference. Details as {@link tostPaired} plus `n1`, `n2`.
 */
export function tostTwoSample(a: ArrayLike<number>, b: ArrayLike<number>, options: TostTwoSampleOptions): TestResult {
  checkOptionNames(options, ['margin', 'alpha', 'equalVariance'], 'tostTwoSample')
  const { margin, alpha } = checkTostOptions(options, 'tostTwoSample')
  const x = asFiniteFloat64(a, 'tostTwoSample: sample "a"', 2)
  const y = asFiniteFloat64(b, 'tostTwoSample: sample "b"', 2)
  const n1 = x.length
  const n2 = y.length
  const sa = meanVar(x)
  const sb = meanVar(y)
  let se: number
  let df: number
  if (options.equalVariance ?? true) {
    df = n1 + n2 - 2
    const pooled = ((n1 - 1) * sa.variance + (n2 - 1) * sb.variance) / df
    se = Math.sqrt(pooled * (1 / n1 + 1 / n2))
  } else {
    const va = sa.variance / n1
    const vb = sb.variance / n2
    se = Math.sqrt(va + vb)
    df = (va + vb) ** 2 / (va ** 2 / (n1 - 1) + vb ** 2 / (n2 - 1))
  }
  return tostResult(sa.mean - sb.mean, se, df, margin, alpha, { n1, n2 })
}

function tostResult(
  diff: number,
  se: number,
  df: number,
  margin: number,
  alpha: number,
  extra: Record<string, number>,
): TestResult {
  const tLower = (diff + margin) / se
  const tUpper = (diff - margin) / se
  // zero variance: the mean difference is known exactly, each one-sided p-value is 0 or 1
  const pLower = se === 0 ? (diff > -margin ? 0 : 1) : studentTSf(tLower, df)
  const pUpper = se === 0 ? (diff < margin ? 0 : 1) : studentTCdf(tUpper, df)
  const p = Math.max(pLower, pUpper)
  return {
    test: 'tost',
    statistic: diff,
    pValue: p,
    threshold: alpha,
    passed: p < alpha,
    details: { tLower, pLower, tUpper, pUpper, df, margin, ...extra },
  }
}

function checkTostOptions(options: TostOptions, what: string): { margin: number; alpha: number } {
  if (options === undefined || options.margin === undefined) {
    throw badOption(`${what}: options.margin is required (the equivalence margin δ > 0).`)
  }
  return {
    margin: checkPositive(options.margin, 'margin', what),
    alpha: checkProbability(options.alpha ?? 0.05, 'alpha', what),
  }
}

function meanVar(x: Float64Array): { mean: number; variance: number } {
  let constant = true
  for (let i = 1; i < x.length && constant; i++) constant = x[i] === x[0]
  if (constant) return { mean: x[0] as number, variance: 0 }
  let mean = 0
  for (let i = 0; i < x.length; i++) mean += x[i] as number
  mean /= x.length
  let ss = 0
  for (let i = 0; i < x.length; i++) ss += ((x[i] as number) - mean) ** 2
  return { mean, variance: ss / (x.length - 1) }
}
