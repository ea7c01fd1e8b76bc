import type { CategoryCounts } from './CategoryCounts.js'
import { toDistributions } from './internal/distribution.js'
import { asFiniteFloat64, checkOptionNames, checkPositive, checkPositiveInteger } from './internal/validate.js'
import type { TestResult } from './TestResult.js'

export interface DistanceOptions {
  /** The samples pass when the distance ≤ threshold. Default 0.1. */
  readonly threshold?: number
}

export interface JensenShannonSamplesOptions extends DistanceOptions {
  /** Equal-width bins over the range of both samples together (numpy.histogram_bin_edges). Default 20. */
  readonly bins?: number
}

/**
 * Jensen–Shannon distance (square root of the JS divergence, base 2, so within [0, 1]) between two
 * distributions given as counts or probabilities — as scipy.spatial.distance.jensenshannon(p, q, base=2).
 */
export function jensenShannon(
  p: ArrayLike<number> | CategoryCounts,
  q: ArrayLike<number> | CategoryCounts,
  options: DistanceOptions = {},
): TestResult {
  checkOptionNames(options, ['threshold'], 'jensenShannon')
  const threshold = checkPositive(options.threshold ?? 0.1, 'threshold', 'jensenShannon')
  const d = toDistributions(p, q, 'jensenShannon')
  const value = jsDistance(d.p, d.q)
  return {
    test: 'jensen-shannon',
    statistic: value,
    threshold,
    passed: value <= threshold,
    details: { bins: d.p.length },
  }
}

function jsDistance(p: Float64Array, q: Float64Array): number {
  let sum = 0
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] as number
    const qi = q[i] as number
    const m = (pi + qi) / 2
    // one term per bin, so swapping p and q gives bit-identical results (a + b = b + a)
    let t = 0
    if (pi > 0) t += pi * Math.log(pi / m)
    if (qi > 0) t += qi * Math.log(qi / m)
    sum += t
  }
  const div = sum / 2 / Math.LN2
  return Math.sqrt(Math.max(div, 0))
}

/**
 * Jensen–Shannon distance between two numeric samples, histogrammed on shared equal-width bins
 * (numpy.histogram_bin_edges(concat(a, b), bins); the last bin is closed). Details: `bins`, `n1`, `n2`.
 */
export function jensenShannonSamples(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: JensenShannonSamplesOptions = {},
): TestResult {
  checkOptionNames(options, ['threshold', 'bins'], 'jensenShannonSamples')
  const threshold = checkPositive(options.threshold ?? 0.1, 'threshold', 'jensenShannonSamples')
  const bins = checkPositiveInteger(options.bins ?? 20, 'bins', 'jensenShannonSamples')
  const x = asFiniteFloat64(a, 'jensenShannonSamples: sample "a"')
  const y = asFiniteFloat64(b, 'jensenShannonSamples: sample "b"')
  let lo = Number.POSITIVE_INFINITY
  let hi = Number.NEGATIVE_INFINITY
  for (const arr of [x, y]) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i] as number
      if (v < lo) lo = v
      if (v > hi) hi = v
    }
  }
  if (lo === hi) {
    lo -= 0.5
    hi += 0.5
  }
  const edges = new Float64Array(bins + 1)
  // numpy.linspace
  const step = (hi - lo) / bins
  for (let i = 0; i <= bins; i++) edges[i] = lo + i * step
  edges[bins] = hi
  const p = histogram(x, edges, lo, hi)
  const q = histogram(y, edges, lo, hi)
  for (let i = 0; i < bins; i++) {
    p[i] = (p[i] as number) / x.length
    q[i] = (q[i] as number) / y.length
  }
  const value = jsDistance(p, q)
  return {
    test: 'jensen-shannon',
    statistic: value,
    threshold,
    passed: value <= threshold,
    details: { bins, n1: x.length, n2: y.length },
  }
}

/** numpy.histogram's bin assignment for uniform edges, including its edge corrections. */
function histogram(values: Float64Array, edges: Float64Array, lo: number, hi: number): Float64Array {
  const bins = edges.length - 1
  const counts = new Float64Array(bins)
  const norm = bins / (hi - lo)
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    let k = Math.trunc((v - lo) * norm)
    if (k === bins) k -= 1
    if (v < (edges[k] as number)) k -= 1
    else if (v >= (edges[k + 1] as number) && k !== bins - 1) k += 1
    counts[k] = (counts[k] as number) + 1
  }
  return counts
}
