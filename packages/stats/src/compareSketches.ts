import type { QuantileSketch } from './createQuantileSketch.js'
import { StatsError } from './errors.js'
import { kolmogorovSf, ksEffectiveN } from './internal/kolmogorov.js'
import { checkPositive, checkPositiveInteger, checkProbability } from './internal/validate.js'
import { psiFromCounts } from './psi.js'
import type { TestResult } from './TestResult.js'

export interface SketchPsiOptions {
  /** Number of reference-quantile bins. Default 10. */
  readonly bins?: number
  /** Proportion used for an empty bin. Default 1e-4. */
  readonly epsilon?: number
  /** Passes when PSI ≤ threshold. Default 0.2. */
  readonly threshold?: number
}

function nonEmpty(s: QuantileSketch, what: string): void {
  if (s.count === 0) {
    throw new StatsError('MG_STATS_EMPTY_SAMPLE', `${what}: the sketch is empty; expected at least one value.`)
  }
}

/**
 * PSI between two quantile sketches (e.g. a persisted training-time sketch and a live window), without the raw
 * data: edges are the reference sketch's i/bins quantiles and proportions come from each sketch's CDF, so bins
 * are (edge_{i−1}, edge_i] here. Each proportion is off by at most the sketches' rank error (≈ 1.7/k).
 * Details: `bins`, `n1`, `n2`, `approximate: 'kll'`.
 */
export function psiFromSketches(
  reference: QuantileSketch,
  current: QuantileSketch,
  options: SketchPsiOptions = {},
): TestResult {
  const bins = checkPositiveInteger(options.bins ?? 10, 'bins', 'psiFromSketches', 2)
  checkPositive(options.epsilon ?? 1e-4, 'epsilon', 'psiFromSketches')
  nonEmpty(reference, 'psiFromSketches: reference')
  nonEmpty(current, 'psiFromSketches: current')
  const edges: number[] = []
  for (let i = 1; i < bins; i++) {
    const q = reference.quantile(i / bins)
    if (edges.length === 0 || q > (edges[edges.length - 1] as number)) edges.push(q)
  }
  const k = edges.length + 1
  const r = new Float64Array(k)
  const c = new Float64Array(k)
  let prevR = 0
  let prevC = 0
  for (let i = 0; i < k; i++) {
    const fr = i === k - 1 ? 1 : reference.cdf(edges[i] as number)
    const fc = i === k - 1 ? 1 : current.cdf(edges[i] as number)
    r[i] = Math.max(0, fr - prevR) * reference.count
    c[i] = Math.max(0, fc - prevC) * current.count
    prevR = Math.max(prevR, fr)
    prevC = Math.max(prevC, fc)
  }
  const result = psiFromCounts(r, c, {
    ...(options.epsilon === undefined ? {} : { epsilon: options.epsilon }),
    ...(options.threshold === undefined ? {} : { threshold: options.threshold }),
  })
  return {
    ...result,
    details: { bins: k, n1: reference.count, n2: current.count, approximate: 'kll' },
  }
}

/**
 * Two-sample KS test from two quantile sketches: D = max |F_a − F_b| over the retained items of both sketches
 * (within the sum of the sketches' rank errors of the exact D), p-value from the asymptotic distribution of
 * D_n with n = round(n₁n₂/(n₁+n₂)). Use it for streams; use {@link ksTest} when the raw samples are at hand.
 * Details: `n1`, `n2`, `approximate: 'kll'`.
 */
export function ksTestFromSketches(
  a: QuantileSketch,
  b: QuantileSketch,
  options: { readonly alpha?: number } = {},
): TestResult {
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'ksTestFromSketches')
  nonEmpty(a, 'ksTestFromSketches: sketch "a"')
  nonEmpty(b, 'ksTestFromSketches: sketch "b"')
  let d = 0
  for (const s of [a, b]) {
    for (const level of s.toJSON().levels) {
      for (const x of level) {
        const diff = Math.abs(a.cdf(x) - b.cdf(x))
        if (diff > d) d = diff
      }
    }
  }
  const n1 = a.count
  const n2 = b.count
  const p = kolmogorovSf(ksEffectiveN(n1, n2), d)
  return {
    test: 'ks',
    statistic: d,
    pValue: p,
    threshold: alpha,
    passed: p >= alpha,
    details: { n1, n2, approximate: 'kll' },
  }
}
