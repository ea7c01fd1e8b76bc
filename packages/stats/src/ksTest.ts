import { gcd, kolmogorovSf, ksEffectiveN, twoSampleExactOneSidedSf, twoSampleExactSf } from './internal/kolmogorov.js'
import { badOption, checkOptionNames, checkProbability, toSortedFloat64 } from './internal/validate.js'
import type { TestResult } from './TestResult.js'

export interface KsTestOptions {
  /** Significance level; the samples pass when p ≥ alpha. Default 0.05. */
  readonly alpha?: number
  /**
   * `exact`: exact p-value by lattice-path counting (Hodges 1958), falling back to `asymptotic` if it
   * cannot be computed. `asymptotic`: the distribution of D_n with n = round(n₁n₂/(n₁+n₂)), as scipy.
   * `auto` (default): exact when both samples have at most 10,000 values — the rules of
   * scipy.stats.ks_2samp(method='auto').
   */
  readonly method?: 'auto' | 'exact' | 'asymptotic'
  /**
   * `two-sided` (default): D = sup |F_a − F_b|. `greater`: D⁺ = sup (F_a − F_b), evidence that `a` tends to be
   * smaller than `b`; `less`: D⁻ = sup (F_b − F_a) — scipy's `alternative`. One-sided exact p-values count the
   * paths that reach one boundary; the asymptotic one is Hodges' (1958) eq. 5.3, as scipy.
   */
  readonly alternative?: 'two-sided' | 'greater' | 'less'
}

const MAX_AUTO_N = 10_000

/**
 * Two-sample Kolmogorov–Smirnov test: D = sup |F_a(x) − F_b(x)| (or one side of it, see `alternative`).
 * Samples are copied and sorted (a Float64Array sort each) and D is found in one merge walk.
 * Details: `n1`, `n2`, `method` used, `location` (x where D is reached), `sign` (+1 when F_a > F_b there).
 */
export function ksTest(a: ArrayLike<number>, b: ArrayLike<number>, options: KsTestOptions = {}): TestResult {
  checkOptionNames(options, ['alpha', 'method', 'alternative'], 'ksTest')
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'ksTest')
  const method = options.method ?? 'auto'
  if (method !== 'auto' && method !== 'exact' && method !== 'asymptotic') {
    throw badOption(`ksTest: method must be 'auto', 'exact' or 'asymptotic', got "${String(method)}".`)
  }
  const alternative = options.alternative ?? 'two-sided'
  if (alternative !== 'two-sided' && alternative !== 'greater' && alternative !== 'less') {
    throw badOption(`ksTest: alternative must be 'two-sided', 'greater' or 'less', got "${String(alternative)}".`)
  }
  const x = toSortedFloat64(a, 'ksTest: sample "a"')
  const y = toSortedFloat64(b, 'ksTest: sample "b"')
  const n1 = x.length
  const n2 = y.length
  const stat = ksStatisticSorted(x, y)
  const { location, sign } =
    alternative === 'greater'
      ? { location: stat.plusAt, sign: 1 }
      : alternative === 'less'
        ? { location: stat.minusAt, sign: -1 }
        : stat
  let d = alternative === 'greater' ? stat.dPlus : alternative === 'less' ? stat.dMinus : stat.d
  let used: 'exact' | 'asymptotic' = method === 'asymptotic' ? 'asymptotic' : 'exact'
  if (method === 'auto' && Math.max(n1, n2) > MAX_AUTO_N) used = 'asymptotic'
  const g = gcd(n1, n2)
  if (used === 'exact' && n1 / g >= 2147483647 / (n2 / g)) used = 'asymptotic'
  let p = Number.NaN
  if (used === 'exact') {
    const lcm = (n1 / g) * n2
    const h = Math.round(d * lcm)
    d = h / lcm
    // Beyond n·D² > 400 the p-value (< e^-800) underflows to 0; skip the O(n₁·n₂) path count there.
    const en = (n1 * n2) / (n1 + n2)
    if (alternative === 'two-sided') {
      p = h === 0 ? 1 : n1 !== n2 && en * d * d > 400 ? 0 : twoSampleExactSf(n1, n2, h)
    } else {
      // 'less' is 'greater' with the samples swapped
      const [na, nb] = alternative === 'greater' ? [n1, n2] : [n2, n1]
      p = h === 0 ? 1 : en * d * d > 400 ? 0 : twoSampleExactOneSidedSf(na, nb, h)
    }
    if (!(p >= 0 && p <= 1)) used = 'asymptotic'
  }
  if (used === 'asymptotic') {
    const m = Math.max(n1, n2)
    const n = Math.min(n1, n2)
    if (alternative === 'two-sided') {
      p = kolmogorovSf(ksEffectiveN(n1, n2), d)
    } else {
      // Hodges (1958) eq. 5.3, m the larger sample
      const z = Math.sqrt((m * n) / (m + n)) * d
      p = Math.min(1, Math.exp(-2 * z * z - (2 * z * (m + 2 * n)) / Math.sqrt(m * n * (m + n)) / 3))
    }
  }
  return {
    test: 'ks',
    statistic: d,
    pValue: p,
    threshold: alpha,
    passed: p >= alpha,
    details: { n1, n2, method: used, alternative, location, sign },
  }
}

/**
 * Only the two-sample KS statistic D = sup |F_a − F_b| (no p-value, so no path counting): for quality scores
 * such as 1 − D over many columns.
 */
export function ksStatistic(a: ArrayLike<number>, b: ArrayLike<number>): number {
  return ksStatisticSorted(toSortedFloat64(a, 'ksStatistic: sample "a"'), toSortedFloat64(b, 'ksStatistic: sample "b"'))
    .d
}

/** D, D⁺ = sup(F_x − F_y) and D⁻ = sup(F_y − F_x) for two ascending samples, with where each is reached. */
function ksStatisticSorted(
  x: Float64Array,
  y: Float64Array,
): {
  readonly d: number
  readonly location: number
  readonly sign: number
  readonly dPlus: number
  readonly plusAt: number
  readonly dMinus: number
  readonly minusAt: number
} {
  const n1 = x.length
  const n2 = y.length
  let i = 0
  let j = 0
  let maxS = 0
  let minS = 0
  let maxAt = x[0] as number
  let minAt = x[0] as number
  while (i < n1 && j < n2) {
    const xi = x[i] as number
    const yj = y[j] as number
    const v = Math.min(xi, yj)
    while (i < n1 && (x[i] as number) <= v) i++
    while (j < n2 && (y[j] as number) <= v) j++
    const diff = i / n1 - j / n2
    if (diff > maxS) {
      maxS = diff
      maxAt = v
    } else if (diff < minS) {
      minS = diff
      minAt = v
    }
  }
  const common = { dPlus: maxS, plusAt: maxAt, dMinus: minS === 0 ? 0 : -minS, minusAt: minAt }
  return -minS > maxS
    ? { d: -minS, location: minAt, sign: -1, ...common }
    : { d: maxS, location: maxAt, sign: 1, ...common }
}
