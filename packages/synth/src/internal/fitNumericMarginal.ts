import { trimmedIndex } from '@modelgate/core'
import type { ContinuousFit, ContinuousPart } from '../modelFile.js'
import { continuousCdf } from './continuous.js'

export interface NumericMarginalFit {
  readonly spikes: { value: number; p: number }[]
  readonly continuous: ContinuousPart | null
}

export interface FitNumericMarginalOptions {
  /** Minimum count of a value before it may be stored (spike) and of records behind each quantile knot. */
  readonly k: number
  /** Minimum share of non-null values for a point mass (spike). */
  readonly spikeShare: number
  readonly maxSpikes: number
  readonly maxKnots: number
}

/**
 * Fits the marginal of one numeric column as a mixture of point masses (spikes such as zero-inflation)
 * and a continuous part. The continuous part is the candidate family (normal, truncated normal, beta,
 * gamma, uniform) with the smallest Kolmogorov–Smirnov statistic when that family is not rejected at
 * the 5% level (D < 1.36/√n); otherwise a smoothed empirical quantile table where each knot stands for
 * at least k records.
 */
export function fitNumericMarginal(sorted: Float64Array, options: FitNumericMarginalOptions): NumericMarginalFit {
  const n = sorted.length
  if (n === 0) return { spikes: [], continuous: null }
  const minSpikeCount = Math.max(options.k, Math.ceil(options.spikeShare * n))
  const runs: { value: number; count: number }[] = []
  for (let i = 0; i < n; ) {
    const v = sorted[i] as number
    let j = i + 1
    while (j < n && sorted[j] === v) j++
    if (j - i >= minSpikeCount) runs.push({ value: v, count: j - i })
    i = j
  }
  runs.sort((a, b) => b.count - a.count || a.value - b.value)
  const kept = runs.slice(0, options.maxSpikes).sort((a, b) => a.value - b.value)
  const spikeSet = new Set(kept.map((r) => r.value))
  const restCount = n - kept.reduce((s, r) => s + r.count, 0)
  const rest = new Float64Array(restCount)
  let r = 0
  for (let i = 0; i < n; i++) {
    const v = sorted[i] as number
    if (!spikeSet.has(v)) rest[r++] = v
  }
  // Too few continuous records to describe without exposing them: fold them into the point masses.
  if (restCount < options.k || (rest[0] as number) === (rest[restCount - 1] as number)) {
    if (restCount > 0 && restCount >= options.k) kept.push({ value: rest[0] as number, count: restCount })
    const total = kept.reduce((s, k) => s + k.count, 0)
    if (total === 0) return { spikes: [], continuous: null }
    kept.sort((a, b) => a.value - b.value)
    return { spikes: kept.map((k) => ({ value: k.value, p: k.count / total })), continuous: null }
  }
  const spikes = kept.map((k) => ({ value: k.value, p: k.count / n }))
  const weight = restCount / n
  const fit = fitContinuous(rest, options)
  return { spikes, continuous: { weight, ...fit } as ContinuousPart }
}

function fitContinuous(rest: Float64Array, options: FitNumericMarginalOptions): ContinuousFit & { ks: number } {
  const n = rest.length
  // Trimmed at k records on each side: no single record's extreme value is ever stored.
  const first = trimmedIndex(n, options.k, 'low')
  const last = trimmedIndex(n, options.k, 'high')
  const lo = rest[first] as number
  const hi = rest[last] as number
  let mean = 0
  for (let i = 0; i < n; i++) mean += rest[i] as number
  mean /= n
  let v = 0
  for (let i = 0; i < n; i++) v += ((rest[i] as number) - mean) ** 2
  v /= Math.max(1, n - 1)
  const sd = Math.sqrt(v)
  const candidates: ContinuousFit[] = []
  if (sd > 0) {
    candidates.push({ family: 'normal', mu: mean, sigma: sd })
    candidates.push({ family: 'truncnorm', mu: mean, sigma: sd, lo, hi })
    candidates.push({ family: 'uniform', lo, hi })
    const span = hi - lo
    const pad = span * 1e-6
    const m = (mean - lo + pad) / (span + 2 * pad)
    const s2 = v / (span + 2 * pad) ** 2
    const common = (m * (1 - m)) / s2 - 1
    if (common > 0)
      candidates.push({ family: 'beta', alpha: m * common, beta: (1 - m) * common, lo: lo - pad, hi: hi + pad })
    const loc = lo - pad
    const gm = mean - loc
    if (gm > 0) candidates.push({ family: 'gamma', shape: (gm * gm) / v, scale: v / gm, loc })
  }
  let best: (ContinuousFit & { ks: number }) | null = null
  const critical = 1.36 / Math.sqrt(n)
  for (const c of candidates) {
    const cdf = (x: number): number => continuousCdf(c, x)
    // The statistic on every 16th evaluation point is a lower bound of the full one: a family it already puts at or
    // above the best so far, or at the rejection level, can neither win nor be returned, so its full statistic is
    // never needed (the result is the same as evaluating every family in full).
    const bound = Math.min(best === null ? Number.POSITIVE_INFINITY : best.ks, critical)
    if (ksStatistic(rest, cdf, 16) >= bound) continue
    const ks = ksStatistic(rest, cdf)
    if (best === null || ks < best.ks) best = { ...c, ks }
  }
  if (best !== null && best.ks < critical) return best
  const knots = Math.max(2, Math.min(options.maxKnots, Math.floor(n / options.k)))
  const quantiles: number[] = new Array(knots)
  for (let i = 0; i < knots; i++) {
    const pos = first + (i / (knots - 1)) * (last - first)
    const j = Math.floor(pos)
    const a = rest[j] as number
    const b = rest[Math.min(n - 1, j + 1)] as number
    quantiles[i] = a + (pos - j) * (b - a)
  }
  const empirical: ContinuousFit = { family: 'empirical', quantiles }
  return { ...empirical, ks: ksStatistic(rest, (x) => continuousCdf(empirical, x)) }
}

/**
 * One-sample KS statistic of a sorted sample against a CDF (evaluated on at most ~4000 order statistics); with
 * `thin`, on every thin-th of those points only — a lower bound of the statistic.
 */
function ksStatistic(sorted: Float64Array, cdf: (x: number) => number, thin = 1): number {
  const n = sorted.length
  const step = Math.max(1, Math.floor(n / 4000)) * thin
  let d = 0
  for (let i = 0; i < n; i += step) {
    const x = sorted[i] as number
    // Ties: the empirical CDF jumps at the last tie.
    let j = i
    while (j + 1 < n && sorted[j + 1] === x) j++
    const f = cdf(x)
    const below = i / n
    const upTo = (j + 1) / n
    d = Math.max(d, f - below, upTo - f)
  }
  return Math.min(1, Math.max(0, d))
}
