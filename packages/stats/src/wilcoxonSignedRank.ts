import { signedRankPmf } from './internal/signedRankDistribution.js'
import { rankWithTies } from './internal/sorted.js'
import { checkChoice, checkOptionNames, checkProbability, toFiniteFloat64 } from './internal/validate.js'
import { normalCdf, normalSf } from './normalCdf.js'
import type { TestResult } from './TestResult.js'

export interface WilcoxonSignedRankOptions {
  /** Significance level; the sample passes (no shift shown) when p ≥ alpha. Default 0.05. */
  readonly alpha?: number
  /**
   * `two-sided` (default); `greater`: the differences tend to be positive; `less`: negative — scipy's `alternative`.
   */
  readonly alternative?: 'two-sided' | 'greater' | 'less'
  /**
   * Zeros (paired values that are equal): `wilcox` (default) drops them; `pratt` ranks them with the rest but counts
   * them on neither side (Pratt 1959; normal approximation adjusted as Cureton 1967); `zsplit` counts half of their
   * ranks on each side — scipy's `zero_method`.
   */
  readonly zeroMethod?: 'wilcox' | 'pratt' | 'zsplit'
  /** Continuity correction of ½ in the normal approximation (scipy's `correction`). Default false, as scipy. */
  readonly correction?: boolean
  /**
   * `auto` (default, scipy's rule): more than 50 differences → `asymptotic`; otherwise `exact` when there are no ties
   * and no zeros, else every one of the 2ⁿ sign flips is enumerated when n ≤ 13 (scipy's exact permutation test),
   * else `asymptotic`. `exact`: the null distribution of T⁺ without ties (with ties or zeros the statistic is
   * rounded conservatively, as scipy). `asymptotic`: normal approximation with tie correction.
   */
  readonly method?: 'auto' | 'exact' | 'asymptotic'
}

const OPTIONS = ['alpha', 'alternative', 'zeroMethod', 'correction', 'method'] as const
const EXACT_MAX = 50
const PERMUTATION_MAX = 13

/**
 * Wilcoxon signed-rank test of paired differences (pass x − y for paired samples), as scipy.stats.wilcoxon:
 * H0 the differences are symmetric about zero. `statistic` is min(T⁺, T⁻) for the two-sided test and T⁺ (the sum of
 * the ranks of |d| over positive d, average ranks for ties) for one-sided ones, as scipy.
 * Details: `n` (differences used), `zeros`, `rPlus`, `rMinus`, `method` (`exact`, `permutation` or `asymptotic`),
 * `alternative`, `z` (asymptotic).
 */
export function wilcoxonSignedRank(
  differences: ArrayLike<number>,
  options: WilcoxonSignedRankOptions = {},
): TestResult {
  checkOptionNames(options, OPTIONS, 'wilcoxonSignedRank')
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'wilcoxonSignedRank')
  const alternative = checkChoice(
    options.alternative ?? 'two-sided',
    ['two-sided', 'greater', 'less'],
    'alternative',
    'wilcoxonSignedRank',
  )
  const zeroMethod = checkChoice(
    options.zeroMethod ?? 'wilcox',
    ['wilcox', 'pratt', 'zsplit'],
    'zeroMethod',
    'wilcoxonSignedRank',
  )
  const method = checkChoice(options.method ?? 'auto', ['auto', 'exact', 'asymptotic'], 'method', 'wilcoxonSignedRank')
  const all = toFiniteFloat64(differences, 'wilcoxonSignedRank: differences')
  let zeros = 0
  for (const v of all) if (v === 0) zeros++
  // wilcox drops the zeros before ranking; pratt and zsplit rank them (they are the smallest |d|)
  const d = zeroMethod === 'wilcox' ? all.filter((v) => v !== 0) : all
  const n = d.length
  const { ranks, tieSum, hasTies } = absoluteRanks(d)
  let rPlus = 0
  let rMinus = 0
  let zeroRanks = 0
  for (let i = 0; i < n; i++) {
    const v = d[i] as number
    if (v > 0) rPlus += ranks[i] as number
    else if (v < 0) rMinus += ranks[i] as number
    else zeroRanks += ranks[i] as number
  }
  if (zeroMethod === 'zsplit') {
    rPlus += zeroRanks / 2
    rMinus += zeroRanks / 2
  }

  let used: 'exact' | 'permutation' | 'asymptotic' =
    method === 'auto' && all.length > EXACT_MAX ? 'asymptotic' : method === 'auto' ? 'exact' : method
  if (method === 'auto' && used === 'exact' && (hasTies || zeros > 0)) {
    used = all.length <= PERMUTATION_MAX ? 'permutation' : 'asymptotic'
  }
  let p: number
  let z = Number.NaN
  if (used === 'asymptotic') {
    let mean = (n * (n + 1)) / 4
    let varBase = n * (n + 1) * (2 * n + 1)
    let ties = tieSum
    if (zeroMethod === 'pratt' && zeros > 0) {
      mean -= (zeros * (zeros + 1)) / 4
      varBase -= zeros * (zeros + 1) * (2 * zeros + 1)
      ties -= zeros ** 3 - zeros // the zeros' tie group is not a tie among signed ranks
    }
    const se = Math.sqrt((varBase - ties / 2) / 24)
    z = (rPlus - mean) / se
    if (options.correction === true) {
      const sign = alternative === 'greater' ? 1 : alternative === 'less' ? -1 : Math.sign(z)
      z -= (sign * 0.5) / se
    }
    p = alternative === 'greater' ? normalSf(z) : alternative === 'less' ? normalCdf(z) : 2 * normalSf(Math.abs(z))
  } else if (used === 'exact') {
    // scipy: ranks of the non-zero differences against the distribution for n values; a non-integral T⁺ (ties,
    // zsplit) is rounded up for the lower tail and down for the upper one
    const pmf = signedRankPmf(n)
    const cdf = (k: number): number => sum(pmf, 0, k)
    const sf = (k: number): number => sum(pmf, k, pmf.length - 1)
    const lower = cdf(Math.ceil(rPlus))
    const upper = sf(Math.floor(rPlus))
    p = alternative === 'less' ? lower : alternative === 'greater' ? upper : 2 * Math.min(lower, upper)
  } else {
    p = permutationP(d, ranks, rPlus, alternative)
  }
  p = Math.min(1, Math.max(0, p))
  const details: Record<string, number | string> = { n, zeros, rPlus, rMinus, method: used, alternative }
  if (!Number.isNaN(z)) details.z = alternative === 'two-sided' ? -Math.abs(z) : z
  return {
    test: 'wilcoxon',
    statistic: alternative === 'two-sided' ? Math.min(rPlus, rMinus) : rPlus,
    pValue: p,
    threshold: alpha,
    passed: p >= alpha,
    details,
  }
}

function absoluteRanks(d: Float64Array): { ranks: Float64Array; tieSum: number; hasTies: boolean } {
  const abs = d.map(Math.abs)
  const { ranks, tieSum } = rankWithTies(abs)
  return { ranks, tieSum, hasTies: tieSum > 0 }
}

/** Σ pmf[from..to], summing the shorter side and the distribution being symmetric. */
function sum(pmf: Float64Array, from: number, to: number): number {
  const lo = Math.max(0, from)
  const hi = Math.min(pmf.length - 1, to)
  let s = 0
  for (let k = lo; k <= hi; k++) s += pmf[k] as number
  return Math.min(1, s)
}

/**
 * Exact permutation p-value over all 2ⁿ sign flips (n ≤ 13): the null distribution of T⁺ with the observed ranks,
 * ties and zeros included (a flipped zero stays zero), as scipy.stats.permutation_test(permutation_type='samples').
 */
function permutationP(d: Float64Array, ranks: Float64Array, observed: number, alternative: string): number {
  const n = d.length
  const nonZero: number[] = []
  let constant = observed
  for (let i = 0; i < n; i++) {
    if (d[i] !== 0) {
      nonZero.push(ranks[i] as number)
      if ((d[i] as number) > 0) constant -= ranks[i] as number
    }
  }
  // T⁺ of a flip = constant (the zsplit half-ranks) + Σ of the non-zero ranks whose sign is +
  const m = nonZero.length
  const total = 2 ** m
  const tol = 1e-12 * Math.max(1, Math.abs(observed))
  let less = 0
  let greater = 0
  for (let mask = 0; mask < total; mask++) {
    let t = constant
    for (let j = 0; j < m; j++) if (mask & (1 << j)) t += nonZero[j] as number
    if (t <= observed + tol) less++
    if (t >= observed - tol) greater++
  }
  const pLess = less / total
  const pGreater = greater / total
  return alternative === 'less' ? pLess : alternative === 'greater' ? pGreater : 2 * Math.min(pLess, pGreater)
}
