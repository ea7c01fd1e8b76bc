import { checkPositive, toSortedFloat64 } from './internal/validate.js'
import type { DistanceOptions } from './jensenShannon.js'
import type { TestResult } from './TestResult.js'

/**
 * Wasserstein-1 (earth mover's) distance between two samples, ∫|F_a − F_b| dx, computed in one merge walk
 * over the sorted samples. `statistic` is the raw distance divided by the reference (`a`) population standard
 * deviation, so one threshold fits every column (default 0.1); when `a` is constant the raw distance is used.
 * Details: `raw` (compare with scipy.stats.wasserstein_distance), `referenceStd`, `n1`, `n2`.
 */
export function wasserstein(a: ArrayLike<number>, b: ArrayLike<number>, options: DistanceOptions = {}): TestResult {
  const threshold = checkPositive(options.threshold ?? 0.1, 'threshold', 'wasserstein')
  const x = toSortedFloat64(a, 'wasserstein: reference sample "a"')
  const y = toSortedFloat64(b, 'wasserstein: sample "b"')
  const raw = wassersteinSorted(x, y)
  const sd = populationStd(x)
  const value = sd > 0 ? raw / sd : raw
  return {
    test: 'wasserstein',
    statistic: value,
    threshold,
    passed: value <= threshold,
    details: { raw, referenceStd: sd, n1: x.length, n2: y.length },
  }
}

/** W1 of two ascending samples. */
export function wassersteinSorted(x: Float64Array, y: Float64Array): number {
  const n1 = x.length
  const n2 = y.length
  let i = 0
  let j = 0
  let prev = Math.min(x[0] as number, y[0] as number)
  let total = 0
  while (i < n1 || j < n2) {
    const xi = i < n1 ? (x[i] as number) : Number.POSITIVE_INFINITY
    const yj = j < n2 ? (y[j] as number) : Number.POSITIVE_INFINITY
    const v = Math.min(xi, yj)
    total += Math.abs(i / n1 - j / n2) * (v - prev)
    while (i < n1 && (x[i] as number) <= v) i++
    while (j < n2 && (y[j] as number) <= v) j++
    prev = v
  }
  return total
}

function populationStd(x: Float64Array): number {
  let mean = 0
  for (let i = 0; i < x.length; i++) mean += x[i] as number
  mean /= x.length
  let ss = 0
  for (let i = 0; i < x.length; i++) ss += ((x[i] as number) - mean) ** 2
  return Math.sqrt(ss / x.length)
}
