import { mannWhitneyPmf } from './internal/mannWhitneyDistribution.js'
import { signedRankPmf } from './internal/signedRankDistribution.js'
import {
  differenceMatrix,
  matrixSize,
  type SortedMatrix,
  selectInSortedMatrix,
  walshMatrix,
} from './internal/sortedMatrixSelect.js'
import { checkOptionNames, checkProbability, toSortedFloat64 } from './internal/validate.js'
import { normalCdf } from './normalCdf.js'
import { normalPpf } from './normalPpf.js'

export interface HodgesLehmannOptions {
  /** Confidence level of the interval. Default 0.95. */
  readonly confidence?: number
}

/** A location shift with its distribution-free confidence interval. */
export interface ShiftEstimate {
  /** Hodges–Lehmann estimate: median of the Walsh averages (one sample) or of all differences a_i − b_j (two). */
  readonly estimate: number
  readonly lower: number
  readonly upper: number
  /** The level asked for. */
  readonly confidence: number
  /**
   * The level the interval has: with the exact distribution, 1 − 2·P(S ≤ c − 1) ≥ `confidence` unless the samples
   * are too small to reach it (then the widest interval, [min, max]); with the normal approximation, its value there.
   */
  readonly achievedConfidence: number
  /** `exact` (no ties, and n ≤ 50 — each sample ≤ 50 for two), else `asymptotic` (normal, continuity-corrected). */
  readonly method: 'exact' | 'asymptotic'
  readonly n1: number
  readonly n2?: number
}

const EXACT_MAX = 50

/**
 * Hodges–Lehmann estimate of the centre of symmetry of paired differences (pass x − y for paired samples): the
 * median of the n(n+1)/2 Walsh averages (d_i + d_j)/2, i ≤ j, with the distribution-free confidence interval
 * [W_(c), W_(M+1−c)] of Hodges & Lehmann (1963) / Bauer (1972), c the largest integer with P(T⁺ ≤ c − 1) ≤ α/2 under
 * the signed-rank distribution (Hollander & Wolfe, "Nonparametric Statistical Methods", §3.2). Order statistics are
 * selected without listing the averages, so a million differences take seconds. With ties or zeros, or n > 50, c
 * comes from the normal approximation without tie correction (a slightly wider interval).
 */
export function hodgesLehmann(differences: ArrayLike<number>, options: HodgesLehmannOptions = {}): ShiftEstimate {
  checkOptionNames(options, ['confidence'], 'hodgesLehmann')
  const confidence = checkProbability(options.confidence ?? 0.95, 'confidence', 'hodgesLehmann')
  const d = toSortedFloat64(differences, 'hodgesLehmann: differences')
  const n = d.length
  const total = (n * (n + 1)) / 2
  let exact = n <= EXACT_MAX && d[0] !== 0
  for (let i = 0; exact && i < n; i++) {
    if ((d[i] as number) === 0) exact = false
    for (let j = i + 1; exact && j < n; j++) if (Math.abs(d[i] as number) === Math.abs(d[j] as number)) exact = false
  }
  const { c, achieved } = exact
    ? exactIndex(signedRankPmf(n), 1 - confidence, total)
    : normalIndex(total / 2, Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24), 1 - confidence)
  return estimateOf(walshMatrix(d), c, { confidence, achievedConfidence: achieved, exact, n1: n })
}

/**
 * Hodges–Lehmann estimate of the shift between two independent samples, location(a) − location(b): the median of the
 * n₁n₂ differences a_i − b_j, with the distribution-free interval [D_(c), D_(n₁n₂+1−c)], c the largest integer with
 * P(U ≤ c − 1) ≤ α/2 under the Mann–Whitney distribution (Hollander & Wolfe §4.3) — the interval Kayenta-style
 * canary judges compare with a tolerance band. Exact when both samples have at most 50 values and no value repeats,
 * else the normal approximation. Order statistics are selected without listing the differences.
 */
export function hodgesLehmannShift(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: HodgesLehmannOptions = {},
): ShiftEstimate {
  checkOptionNames(options, ['confidence'], 'hodgesLehmannShift')
  const confidence = checkProbability(options.confidence ?? 0.95, 'confidence', 'hodgesLehmannShift')
  const x = toSortedFloat64(a, 'hodgesLehmannShift: sample "a"')
  const y = toSortedFloat64(b, 'hodgesLehmannShift: sample "b"')
  const m = x.length
  const n = y.length
  const total = m * n
  const exact = m <= EXACT_MAX && n <= EXACT_MAX && distinct(x, y)
  const { c, achieved } = exact
    ? exactIndex(mannWhitneyPmf(m, n, total), 1 - confidence, total)
    : normalIndex(total / 2, Math.sqrt((m * n * (m + n + 1)) / 12), 1 - confidence)
  return estimateOf(differenceMatrix(x, y), c, { confidence, achievedConfidence: achieved, exact, n1: m, n2: n })
}

/** Largest c ≥ 1 with P(S ≤ c − 1) ≤ α/2 (at most the middle), and the coverage 1 − 2·P(S ≤ c − 1). */
function exactIndex(pmf: Float64Array, alpha: number, total: number): { c: number; achieved: number } {
  let c = 1
  let cdf = pmf[0] as number // P(S ≤ c − 1)
  while (c < pmf.length && cdf + (pmf[c] as number) <= alpha / 2) {
    cdf += pmf[c] as number
    c++
  }
  c = Math.min(c, Math.floor((total + 1) / 2))
  let tail = 0
  for (let k = 0; k < c; k++) tail += pmf[k] as number
  return { c, achieved: 1 - 2 * tail }
}

/** c from the normal approximation with continuity correction: P(S ≤ c − 1) ≈ Φ((c − ½ − μ)/σ) ≤ α/2. */
function normalIndex(mean: number, sd: number, alpha: number): { c: number; achieved: number } {
  const z = normalPpf(1 - alpha / 2)
  const c = Math.max(1, Math.floor(mean + 0.5 - z * sd))
  return { c, achieved: 1 - 2 * normalCdf((c - 0.5 - mean) / sd) }
}

function estimateOf(
  matrix: SortedMatrix,
  c: number,
  info: { confidence: number; achievedConfidence: number; exact: boolean; n1: number; n2?: number },
): ShiftEstimate {
  const total = matrixSize(matrix)
  const mid = Math.floor((total + 1) / 2)
  const estimate =
    total % 2 === 1
      ? selectInSortedMatrix(matrix, mid)
      : (selectInSortedMatrix(matrix, mid) + selectInSortedMatrix(matrix, mid + 1)) / 2
  return {
    estimate,
    lower: selectInSortedMatrix(matrix, c),
    upper: selectInSortedMatrix(matrix, total + 1 - c),
    confidence: info.confidence,
    achievedConfidence: info.achievedConfidence,
    method: info.exact ? 'exact' : 'asymptotic',
    n1: info.n1,
    ...(info.n2 === undefined ? {} : { n2: info.n2 }),
  }
}

function distinct(x: Float64Array, y: Float64Array): boolean {
  const all = new Float64Array(x.length + y.length)
  all.set(x)
  all.set(y, x.length)
  all.sort()
  for (let i = 1; i < all.length; i++) if (all[i] === all[i - 1]) return false
  return true
}
