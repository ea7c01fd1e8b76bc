import { checkOptionNames, checkPositive, toSortedFloat64 } from './internal/validate.js'
import type { DistanceOptions } from './jensenShannon.js'
import type { TestResult } from './TestResult.js'

/**
 * Wasserstein-1 (earth mover's) distance between two samples, ∫|F_a − F_b| dx, computed in one merge walk
 * over the sorted samples. `statistic` is the raw distance divided by the reference (`a`) population standard
 * deviation, so one threshold fits every column whatever its unit (default 0.1). A constant reference has no spread
 * to divide by: then the scale is the population standard deviation of both samples pooled (still unit-free;
 * 0 when both are the same constant) and `details.scale` says `pooled-std` instead of `reference-std`.
 * Details: `raw` (compare with scipy.stats.wasserstein_distance), `referenceStd`, `scale`, `scaleStd`, `n1`, `n2`.
 */
export function wasserstein(a: ArrayLike<number>, b: ArrayLike<number>, options: DistanceOptions = {}): TestResult {
  checkOptionNames(options, ['threshold'], 'wasserstein')
  const threshold = checkPositive(options.threshold ?? 0.1, 'threshold', 'wasserstein')
  const x = toSortedFloat64(a, 'wasserstein: reference sample "a"')
  const y = toSortedFloat64(b, 'wasserstein: sample "b"')
  const raw = wassersteinSorted(x, y)
  const sd = populationStd([x])
  const pooled = sd > 0 ? sd : populationStd([x, y])
  const value = pooled > 0 ? raw / pooled : 0
  return {
    test: 'wasserstein',
    statistic: value,
    threshold,
    passed: value <= threshold,
    details: {
      raw,
      referenceStd: sd,
      scale: sd > 0 ? 'reference-std' : 'pooled-std',
      scaleStd: pooled,
      n1: x.length,
      n2: y.length,
    },
  }
}

/** W1 of two ascending samples. */
function wassersteinSorted(x: Float64Array, y: Float64Array): number {
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

function populationStd(samples: readonly Float64Array[]): number {
  let n = 0
  let mean = 0
  for (const x of samples) {
    for (let i = 0; i < x.length; i++) mean += x[i] as number
    n += x.length
  }
  mean /= n
  let ss = 0
  for (const x of samples) for (let i = 0; i < x.length; i++) ss += ((x[i] as number) - mean) ** 2
  return Math.sqrt(ss / n)
}
