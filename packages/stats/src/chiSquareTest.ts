import type { CategoryCounts } from './CategoryCounts.js'
import { chiSquareSf } from './chiSquareCdf.js'
import { StatsError } from './errors.js'
import { toAlignedCounts } from './internal/counts.js'
import { checkOptionNames, checkProbability } from './internal/validate.js'
import type { TestResult } from './TestResult.js'

export interface ChiSquareTestOptions {
  /** Significance level; the samples pass when p ≥ alpha. Default 0.05. */
  readonly alpha?: number
  /**
   * Yates' continuity correction, applied only when the table is 2×2 (one degree of freedom) — the default
   * of scipy.stats.chi2_contingency. Default true; never applied for more than two categories.
   */
  readonly yates?: boolean
}

/**
 * Chi-square test of homogeneity on the 2×k contingency table [reference counts; current counts]
 * (as scipy.stats.chi2_contingency). Categories with zero count in both samples are dropped first.
 * Accepts aligned count arrays or category → count maps (aligned on the union of keys).
 * Details: `dof`, `n1`, `n2`, `categories` (kept).
 */
export function chiSquareTest(
  referenceCounts: ArrayLike<number> | CategoryCounts,
  currentCounts: ArrayLike<number> | CategoryCounts,
  options: ChiSquareTestOptions = {},
): TestResult {
  checkOptionNames(options, ['alpha', 'yates'], 'chiSquareTest')
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'chiSquareTest')
  const { a, b } = toAlignedCounts(referenceCounts, currentCounts, 'chiSquareTest')
  const keep: number[] = []
  let n1 = 0
  let n2 = 0
  for (let i = 0; i < a.length; i++) {
    n1 += a[i] as number
    n2 += b[i] as number
    if ((a[i] as number) + (b[i] as number) > 0) keep.push(i)
  }
  const k = keep.length
  const total = n1 + n2
  if (n1 === 0 || n2 === 0) {
    throw new StatsError(
      'MG_STATS_EMPTY_SAMPLE',
      `chiSquareTest: the ${n1 === 0 ? 'reference' : 'current'} counts sum to 0; expected at least one observation.`,
    )
  }
  if (k < 2) {
    return {
      test: 'chi2',
      statistic: 0,
      pValue: 1,
      threshold: alpha,
      passed: true,
      details: { dof: 0, n1, n2, categories: k },
    }
  }
  const yates = (options.yates ?? true) && k === 2
  let stat = 0
  for (const i of keep) {
    const col = (a[i] as number) + (b[i] as number)
    for (const [obs, rowTotal] of [
      [a[i] as number, n1],
      [b[i] as number, n2],
    ] as const) {
      const expected = (rowTotal * col) / total
      let diff = obs - expected
      if (yates) diff = Math.sign(diff) * Math.max(Math.abs(diff) - 0.5, 0)
      stat += (diff * diff) / expected
    }
  }
  const dof = k - 1
  const p = chiSquareSf(stat, dof)
  return {
    test: 'chi2',
    statistic: stat,
    pValue: p,
    threshold: alpha,
    passed: p >= alpha,
    details: { dof, n1, n2, categories: k },
  }
}
