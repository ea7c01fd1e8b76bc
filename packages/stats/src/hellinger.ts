import type { CategoryCounts } from './CategoryCounts.js'
import { toDistributions } from './internal/distribution.js'
import { checkOptionNames, checkPositive } from './internal/validate.js'
import type { DistanceOptions } from './jensenShannon.js'
import type { TestResult } from './TestResult.js'

/** Hellinger distance √(½·Σ(√p_i − √q_i)²) (within [0, 1]) between two distributions given as counts or probabilities. */
export function hellinger(
  p: ArrayLike<number> | CategoryCounts,
  q: ArrayLike<number> | CategoryCounts,
  options: DistanceOptions = {},
): TestResult {
  checkOptionNames(options, ['threshold'], 'hellinger')
  const threshold = checkPositive(options.threshold ?? 0.1, 'threshold', 'hellinger')
  const d = toDistributions(p, q, 'hellinger')
  let sum = 0
  for (let i = 0; i < d.p.length; i++) {
    const diff = Math.sqrt(d.p[i] as number) - Math.sqrt(d.q[i] as number)
    sum += diff * diff
  }
  const value = Math.min(1, Math.sqrt(sum / 2))
  return { test: 'hellinger', statistic: value, threshold, passed: value <= threshold, details: { bins: d.p.length } }
}
