import { badOption, checkChoice, checkOptionNames, checkProbability } from './internal/validate.js'
import { normalCdf, normalSf } from './normalCdf.js'
import type { TestResult } from './TestResult.js'

export interface ProportionsZTestOptions {
  /** Significance level; the samples pass when p ≥ alpha. Default 0.05. */
  readonly alpha?: number
  /**
   * `two-sided` (default); `greater`: the rate of A is higher than B's (e.g. a candidate's error rate above the
   * primary's); `less`: lower.
   */
  readonly alternative?: 'two-sided' | 'greater' | 'less'
}

/**
 * Z-test for the difference of two proportions with the pooled standard error:
 * z = (p̂_A − p̂_B) / √(p̂(1−p̂)(1/n_A + 1/n_B)), p̂ = (x_A + x_B)/(n_A + n_B).
 * p-value from the normal distribution: two-sided 2·(1 − Φ(|z|)), `greater` 1 − Φ(z), `less` Φ(z).
 * Details: `rateA`, `rateB`, `nA`, `nB`, `alternative`.
 */
export function proportionsZTest(
  successA: number,
  nA: number,
  successB: number,
  nB: number,
  options: ProportionsZTestOptions = {},
): TestResult {
  checkOptionNames(options, ['alpha', 'alternative'], 'proportionsZTest')
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'proportionsZTest')
  const alternative = checkChoice(
    options.alternative ?? 'two-sided',
    ['two-sided', 'greater', 'less'],
    'alternative',
    'proportionsZTest',
  )
  for (const [name, s, n] of [
    ['A', successA, nA],
    ['B', successB, nB],
  ] as const) {
    if (!(Number.isInteger(n) && n > 0) || !(Number.isInteger(s) && s >= 0 && s <= n)) {
      throw badOption(
        `proportionsZTest: group ${name} has ${String(s)} successes out of ${String(n)}; expected integers with 0 ≤ successes ≤ n and n > 0.`,
      )
    }
  }
  const rateA = successA / nA
  const rateB = successB / nB
  const pooled = (successA + successB) / (nA + nB)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB))
  const z = se === 0 ? 0 : (rateA - rateB) / se
  const p =
    alternative === 'greater'
      ? normalSf(z)
      : alternative === 'less'
        ? normalCdf(z)
        : Math.min(1, 2 * normalSf(Math.abs(z)))
  return {
    test: 'z-proportions',
    statistic: z,
    pValue: p,
    threshold: alpha,
    passed: p >= alpha,
    details: { rateA, rateB, nA, nB, alternative },
  }
}
