import type { QuantileSketch } from './createQuantileSketch.js'
import { sortedSketchItems } from './createQuantileSketch.js'
import { StatsError } from './errors.js'
import { kolmogorovSf, ksEffectiveN } from './internal/kolmogorov.js'
import {
  badOption,
  checkOptionNames,
  checkPositive,
  checkPositiveInteger,
  checkProbability,
  toFiniteFloat64,
} from './internal/validate.js'
import { quantileSketchRankError } from './quantileSketchSize.js'
import type { TestResult } from './TestResult.js'

export interface SketchPsiOptions {
  /** Number of reference-quantile bins. Default 10. */
  readonly bins?: number
  /**
   * Interior bin edges, ascending (e.g. a baseline's fixed bins), instead of the reference sketch's quantiles —
   * so a sketched window is compared on exactly the bins the raw reference was.
   */
  readonly edges?: ArrayLike<number>
  /** Proportion used for an empty bin. Default 1e-4. */
  readonly epsilon?: number
  /** Passes when PSI ≤ threshold. Default 0.2. */
  readonly threshold?: number
  /** Confidence of the interval `details.psiLow … psiHigh` (see {@link quantileSketchRankError}). Default 0.99. */
  readonly confidence?: number
}

function nonEmpty(s: QuantileSketch, what: string): void {
  if (s.count === 0) {
    throw new StatsError('MG_STATS_EMPTY_SAMPLE', `${what}: the sketch is empty; expected at least one value.`)
  }
}

/** The sketch's rank-error bound at `confidence`, or 0 while it still holds every value it was given. */
function rankErrorOf(s: QuantileSketch, confidence: number): number {
  return s.retained === s.count ? 0 : quantileSketchRankError(s.k, { confidence })
}

/**
 * PSI between two quantile sketches (e.g. a persisted training-time sketch and a live window), without the raw
 * data. Edges are the reference sketch's i/bins quantiles (or `edges`) and proportions come from each sketch's CDF.
 * Bins are [edge_{i−1}, edge_i), as in {@link psi} (a value on an edge belongs to the bin above it), so tie-heavy
 * data bins the same way raw and sketched.
 *
 * The error is stated, not guessed: each sketch's CDF is within its rank-error bound ε (quantileSketchRankError at
 * `confidence`) everywhere, so each bin's proportion is within 2ε, and since every PSI term (c − r)·ln(c/r) is
 * convex in (c, r), the exact PSI on the same bins lies in [`details.psiLow`, `details.psiHigh`] with at least that
 * confidence for each sketch. Quantile edges are themselves within ε in rank of the exact ones: on tie-heavy data a
 * quantile edge can land on the other side of a whole tie group than numpy's exact quantile does, which changes the
 * bins and so the PSI — pass the reference's exact `edges` to compare on the same bins.
 * Details: `bins`, `n1`, `n2`, `approximate: 'kll'`, `psiLow`, `psiHigh`, `rankError` (ε of each sketch, max).
 */
export function psiFromSketches(
  reference: QuantileSketch,
  current: QuantileSketch,
  options: SketchPsiOptions = {},
): TestResult {
  checkOptionNames(options, ['bins', 'edges', 'epsilon', 'threshold', 'confidence'], 'psiFromSketches')
  const bins = checkPositiveInteger(options.bins ?? 10, 'bins', 'psiFromSketches', 2)
  const epsilon = checkPositive(options.epsilon ?? 1e-4, 'epsilon', 'psiFromSketches')
  const threshold = checkPositive(options.threshold ?? 0.2, 'threshold', 'psiFromSketches')
  const confidence = options.confidence ?? 0.99
  nonEmpty(reference, 'psiFromSketches: reference')
  nonEmpty(current, 'psiFromSketches: current')
  const edges: number[] = []
  const wanted =
    options.edges === undefined
      ? Array.from({ length: bins - 1 }, (_, i) => reference.quantile((i + 1) / bins))
      : Array.from(toFiniteFloat64(options.edges, 'psiFromSketches: edges'))
  for (const e of wanted) {
    if (edges.length > 0 && e < (edges[edges.length - 1] as number)) {
      throw badOption('psiFromSketches: edges must be ascending.')
    }
    if (edges.length === 0 || e > (edges[edges.length - 1] as number)) edges.push(e)
  }
  const er = rankErrorOf(reference, confidence)
  const ec = rankErrorOf(current, confidence)
  const k = edges.length + 1
  let value = 0
  let low = 0
  let high = 0
  let prevR = 0
  let prevC = 0
  for (let i = 0; i < k; i++) {
    const outer = i === 0 || i === k - 1 ? 1 : 2 // the outer bins have one estimated end, inner bins two
    const fr = i === k - 1 ? 1 : reference.cdf(edges[i] as number, { inclusive: false })
    const fc = i === k - 1 ? 1 : current.cdf(edges[i] as number, { inclusive: false })
    const r = Math.max(0, fr - prevR)
    const c = Math.max(0, fc - prevC)
    prevR = Math.max(prevR, fr)
    prevC = Math.max(prevC, fc)
    const floor = (p: number): number => Math.max(Math.min(p, 1), epsilon)
    value += term(floor(c), floor(r))
    const [rLo, rHi] = [floor(r - outer * er), floor(r + outer * er)]
    const [cLo, cHi] = [floor(c - outer * ec), floor(c + outer * ec)]
    high += Math.max(term(cLo, rLo), term(cLo, rHi), term(cHi, rLo), term(cHi, rHi))
    low += cHi < rLo ? term(cHi, rLo) : rHi < cLo ? term(cLo, rHi) : 0
  }
  return {
    test: 'psi',
    statistic: value,
    threshold,
    passed: value <= threshold,
    details: {
      bins: k,
      n1: reference.count,
      n2: current.count,
      approximate: 'kll',
      psiLow: low,
      psiHigh: high,
      rankError: Math.max(er, ec),
    },
  }
}

function term(c: number, r: number): number {
  return (c - r) * Math.log(c / r)
}

/**
 * Two-sample KS test from two quantile sketches: D = max |F_a − F_b| over both sides of the retained items of both
 * sketches (within ε_a + ε_b of the exact D, `details.maxError`, at confidence 0.99), p-value from the asymptotic
 * distribution of D_n with n = round(n₁n₂/(n₁+n₂)). Use it for streams; use {@link ksTest} when the raw samples are
 * at hand. Details: `n1`, `n2`, `approximate: 'kll'`, `maxError`.
 */
export function ksTestFromSketches(
  a: QuantileSketch,
  b: QuantileSketch,
  options: { readonly alpha?: number } = {},
): TestResult {
  checkOptionNames(options, ['alpha'], 'ksTestFromSketches')
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'ksTestFromSketches')
  nonEmpty(a, 'ksTestFromSketches: sketch "a"')
  nonEmpty(b, 'ksTestFromSketches: sketch "b"')
  const d = ksDistance(a, b)
  const n1 = a.count
  const n2 = b.count
  const p = kolmogorovSf(ksEffectiveN(n1, n2), d)
  return {
    test: 'ks',
    statistic: d,
    pValue: p,
    threshold: alpha,
    passed: p >= alpha,
    details: { n1, n2, approximate: 'kll', maxError: rankErrorOf(a, 0.99) + rankErrorOf(b, 0.99) },
  }
}

/**
 * max |F_a − F_b| over both sides (≤ x and < x) of every retained item of both sketches, by one merge walk of their
 * sorted views. F(< x) at a distinct value x of the union is F(≤ x') at the distinct value x' before it (0 before the
 * first), so the walk reads only F(≤ x): the same cumulative weights divided by the same counts as `cdf` gives, so D
 * is exactly the one the per-item `cdf` reads gave, in O(m₁ + m₂) instead of four binary searches per item.
 */
function ksDistance(a: QuantileSketch, b: QuantileSketch): number {
  const { values: va, cum: ca } = sortedSketchItems(a)
  const { values: vb, cum: cb } = sortedSketchItems(b)
  const na = a.count
  const nb = b.count
  const ma = va.length
  const mb = vb.length
  let i = 0
  let j = 0
  let d = 0
  while (i < ma || j < mb) {
    const x = Math.min(
      i < ma ? (va[i] as number) : Number.POSITIVE_INFINITY,
      j < mb ? (vb[j] as number) : Number.POSITIVE_INFINITY,
    )
    while (i < ma && (va[i] as number) <= x) i++
    while (j < mb && (vb[j] as number) <= x) j++
    const diff = Math.abs((i === 0 ? 0 : (ca[i - 1] as number) / na) - (j === 0 ? 0 : (cb[j - 1] as number) / nb))
    if (diff > d) d = diff
  }
  return d
}
