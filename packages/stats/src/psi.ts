import { formatNumber } from '@modelgate/core'
import type { CategoryCounts } from './CategoryCounts.js'
import { StatsError } from './errors.js'
import { alignCategoryCounts } from './internal/counts.js'
import { quantilesUnsorted } from './internal/select.js'
import {
  asFiniteFloat64,
  assertSameLength,
  checkOptionNames,
  checkPositive,
  checkPositiveInteger,
  toCounts,
  toFiniteFloat64,
} from './internal/validate.js'
import type { TestResult } from './TestResult.js'

export interface PsiOptions {
  /** Number of reference-quantile bins. Default 10. */
  readonly bins?: number
  /** Proportion used in place of an empty bin's 0, so the log stays finite. Default 1e-4. */
  readonly epsilon?: number
  /** The samples pass when PSI ≤ threshold. Default 0.2 (0.1–0.2: moderate shift, > 0.2: major). */
  readonly threshold?: number
}

export type PsiCountsOptions = Omit<PsiOptions, 'bins'>

/**
 * Population Stability Index of `current` against `reference`:
 * PSI = Σ (c_i − r_i) · ln(c_i / r_i) over bins whose edges are the reference's i/bins quantiles
 * (numpy 'linear' interpolation; repeated edges from ties are merged, so fewer bins may be used).
 * A value x falls in bin i when edge_{i−1} ≤ x < edge_i; the outer bins are open-ended.
 * Proportions are max(count/n, epsilon) — empty bins get epsilon, nothing is renormalised.
 * Details: `bins` (bins actually used), `n1` (reference size), `n2` (current size).
 */
export function psi(reference: ArrayLike<number>, current: ArrayLike<number>, options: PsiOptions = {}): TestResult {
  checkOptionNames(options, ['bins', 'epsilon', 'threshold'], 'psi')
  const threshold = checkPositive(options.threshold ?? 0.2, 'threshold', 'psi')
  const { threshold: _, ...binning } = options
  const b = psiBreakdown(reference, current, binning)
  return {
    test: 'psi',
    statistic: b.psi,
    threshold,
    passed: b.psi <= threshold,
    details: { bins: b.edges.length + 1, n1: b.n1, n2: b.n2 },
  }
}

/** Per-bin view of a PSI computation, for reports and charts. */
export interface PsiBreakdown {
  readonly psi: number
  /** Interior bin edges (bins − 1 of them, fewer when ties merged edges). */
  readonly edges: Float64Array
  /** `< e₀`, `[e₀, e₁)`, …, `≥ eₖ` */
  readonly labels: readonly string[]
  readonly referenceCounts: Float64Array
  readonly currentCounts: Float64Array
  /** max(count / n, epsilon) per bin. */
  readonly referenceProportions: Float64Array
  readonly currentProportions: Float64Array
  /** (c_i − r_i) · ln(c_i / r_i) per bin; they sum to `psi`. */
  readonly contributions: Float64Array
  readonly n1: number
  readonly n2: number
}

/** The bins, counts and per-bin contributions behind {@link psi} (same binning rules). */
export function psiBreakdown(
  reference: ArrayLike<number>,
  current: ArrayLike<number>,
  options: Omit<PsiOptions, 'threshold'> = {},
): PsiBreakdown {
  checkOptionNames(options, ['bins', 'epsilon'], 'psiBreakdown')
  const bins = checkPositiveInteger(options.bins ?? 10, 'bins', 'psi', 2)
  const epsilon = checkPositive(options.epsilon ?? 1e-4, 'epsilon', 'psi')
  // reference quantiles by selection on a copy (no full sort), then both samples binned the same way
  const ref = toFiniteFloat64(reference, 'psi: reference sample')
  const cur = asFiniteFloat64(current, 'psi: current sample')
  const qs = Array.from({ length: bins - 1 }, (_, i) => (i + 1) / bins)
  const edges = distinctAscending(quantilesUnsorted(ref, qs))
  const k = edges.length + 1
  const referenceCounts = binCounts(ref, edges)
  const currentCounts = binCounts(cur, edges)
  const referenceProportions = new Float64Array(k)
  const currentProportions = new Float64Array(k)
  const contributions = new Float64Array(k)
  let value = 0
  for (let i = 0; i < k; i++) {
    const pr = Math.max((referenceCounts[i] as number) / ref.length, epsilon)
    const pc = Math.max((currentCounts[i] as number) / cur.length, epsilon)
    referenceProportions[i] = pr
    currentProportions[i] = pc
    const c = (pc - pr) * Math.log(pc / pr)
    contributions[i] = c
    value += c
  }
  const fmt = (x: number): string => formatNumber(x, { significant: 4 })
  const labels = Array.from({ length: k }, (_, i) =>
    k === 1
      ? 'all'
      : i === 0
        ? `< ${fmt(edges[0] as number)}`
        : i === k - 1
          ? `≥ ${fmt(edges[k - 2] as number)}`
          : `[${fmt(edges[i - 1] as number)}, ${fmt(edges[i] as number)})`,
  )
  return {
    psi: value,
    edges,
    labels,
    referenceCounts,
    currentCounts,
    referenceProportions,
    currentProportions,
    contributions,
    n1: ref.length,
    n2: cur.length,
  }
}

function distinctAscending(values: Float64Array): Float64Array {
  const out: number[] = []
  for (const v of values) if (out.length === 0 || v > (out[out.length - 1] as number)) out.push(v)
  return Float64Array.from(out)
}

/**
 * Counts of values per bin (bin i: edge_{i−1} ≤ x < edge_i). Up to 16 edges the bin index is a branch-free
 * count of edges ≤ x (about twice as fast as a binary search on random data); beyond, a binary search.
 */
function binCounts(values: Float64Array, edges: Float64Array): Float64Array {
  const m = edges.length
  const counts = new Float64Array(m + 1)
  if (m <= 16) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number
      let k = 0
      for (let j = 0; j < m; j++) k += +(v >= (edges[j] as number))
      counts[k] = (counts[k] as number) + 1
    }
    return counts
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number
    let lo = 0
    let hi = m
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((edges[mid] as number) <= v) lo = mid + 1
      else hi = mid
    }
    counts[lo] = (counts[lo] as number) + 1
  }
  return counts
}

/** PSI from per-bin counts (same bins, same order). Details: `bins`, `n1`, `n2` (total counts). */
export function psiFromCounts(
  referenceCounts: ArrayLike<number>,
  currentCounts: ArrayLike<number>,
  options: PsiCountsOptions = {},
): TestResult {
  checkOptionNames(options, ['epsilon', 'threshold'], 'psiFromCounts')
  const epsilon = checkPositive(options.epsilon ?? 1e-4, 'epsilon', 'psi')
  const threshold = checkPositive(options.threshold ?? 0.2, 'threshold', 'psi')
  assertSameLength(referenceCounts, currentCounts, 'psiFromCounts: reference and current counts')
  const r = toCounts(referenceCounts, 'psi: reference counts')
  const c = toCounts(currentCounts, 'psi: current counts')
  let n1 = 0
  let n2 = 0
  for (let i = 0; i < r.length; i++) {
    n1 += r[i] as number
    n2 += c[i] as number
  }
  if (n1 === 0 || n2 === 0) {
    throw new StatsError(
      'MG_STATS_EMPTY_SAMPLE',
      `psi: the ${n1 === 0 ? 'reference' : 'current'} counts sum to 0; expected at least one observation.`,
    )
  }
  let value = 0
  for (let i = 0; i < r.length; i++) {
    const pr = Math.max((r[i] as number) / n1, epsilon)
    const pc = Math.max((c[i] as number) / n2, epsilon)
    value += (pc - pr) * Math.log(pc / pr)
  }
  return { test: 'psi', statistic: value, threshold, passed: value <= threshold, details: { bins: r.length, n1, n2 } }
}

/**
 * PSI over categories: the union of both key sets, in first-seen order (reference first). A category missing
 * on one side counts 0 there and gets epsilon.
 */
export function psiCategorical(
  referenceCounts: CategoryCounts,
  currentCounts: CategoryCounts,
  options: PsiCountsOptions = {},
): TestResult {
  checkOptionNames(options, ['epsilon', 'threshold'], 'psiCategorical')
  const { keys, a, b } = alignCategoryCounts(referenceCounts, currentCounts)
  const result = psiFromCounts(a, b, options)
  return { ...result, details: { ...result.details, categories: keys.length } }
}
