import type { CategoryCounts } from './CategoryCounts.js'
import { toDistributions } from './internal/distribution.js'
import { checkOptionNames, checkPositive } from './internal/validate.js'
import type { DistanceOptions } from './jensenShannon.js'
import type { TestResult } from './TestResult.js'

/** Total variation distance ½·Σ|p_i − q_i| (within [0, 1]) between two distributions given as counts or probabilities. */
export function totalVariation(
  p: ArrayLike<number> | CategoryCounts,
  q: ArrayLike<number> | CategoryCounts,
  options: DistanceOptions = {},
): TestResult {
  checkOptionNames(options, ['threshold'], 'totalVariation')
  const threshold = checkPositive(options.threshold ?? 0.1, 'threshold', 'totalVariation')
  const d = toDistributions(p, q, 'totalVariation')
  let sum = 0
  for (let i = 0; i < d.p.length; i++) sum += Math.abs((d.p[i] as number) - (d.q[i] as number))
  const value = Math.min(1, sum / 2)
  return {
    test: 'total-variation',
    statistic: value,
    threshold,
    passed: value <= threshold,
    details: { bins: d.p.length },
  }
}
