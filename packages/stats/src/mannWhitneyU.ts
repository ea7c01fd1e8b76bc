import { EXACT_MAX_SMALLER, mannWhitneySf, mannWhitneySfLength } from './internal/mannWhitneyDistribution.js'
import { rankWithTies } from './internal/sorted.js'
import { badOption, checkChoice, checkOptionNames, checkProbability, toFiniteFloat64 } from './internal/validate.js'
import { normalSf } from './normalCdf.js'
import type { TestResult } from './TestResult.js'

export interface MannWhitneyUOptions {
  /** Significance level; the samples pass when p ≥ alpha. Default 0.05. */
  readonly alpha?: number
  /**
   * `asymptotic`: normal approximation with tie correction (and continuity correction, see `continuity`).
   * `exact`: exact null distribution of U (exact without ties; with ties U is truncated to an integer first, as
   * scipy does, and the p-value is approximate). `auto` (default): exact when there are no ties and either sample
   * has at most 8 values — scipy.stats.mannwhitneyu's rule.
   */
  readonly method?: 'auto' | 'exact' | 'asymptotic'
  /**
   * `two-sided` (default); `greater`: the values of `a` tend to be larger than those of `b` (p from U₁);
   * `less`: they tend to be smaller (p from U₂ = n₁n₂ − U₁) — scipy's `alternative`.
   */
  readonly alternative?: 'two-sided' | 'greater' | 'less'
  /** Continuity correction of ½ in the normal approximation (scipy's `use_continuity`). Default true. */
  readonly continuity?: boolean
}

const OPTIONS = ['alpha', 'method', 'alternative', 'continuity'] as const
const ALTERNATIVES = ['two-sided', 'greater', 'less'] as const
/** Entries of the exact distribution allowed (160 MB) before `exact` is refused. */
const MAX_EXACT_LENGTH = 1e7

/**
 * Mann–Whitney U test (as scipy.stats.mannwhitneyu). `statistic` is U₁ = R₁ − n₁(n₁+1)/2 for sample `a` (average
 * ranks for ties) whatever the alternative, as scipy. The exact p-value comes from the exact null distribution
 * computed in floating point (no overflow past C(1030, 515), ~1e-13 relative accuracy down to the far tails; p-values
 * below ~1e-300 are 0), for up to 200 values in the smaller sample. Details: `n1`, `n2`, `method`, `alternative`, `z` (asymptotic only).
 */
export function mannWhitneyU(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: MannWhitneyUOptions = {},
): TestResult {
  checkOptionNames(options, OPTIONS, 'mannWhitneyU')
  const alpha = checkProbability(options.alpha ?? 0.05, 'alpha', 'mannWhitneyU')
  const method = checkChoice(options.method ?? 'auto', ['auto', 'exact', 'asymptotic'], 'method', 'mannWhitneyU')
  const alternative = checkChoice(options.alternative ?? 'two-sided', ALTERNATIVES, 'alternative', 'mannWhitneyU')
  const x = toFiniteFloat64(a, 'mannWhitneyU: sample "a"')
  const y = toFiniteFloat64(b, 'mannWhitneyU: sample "b"')
  const n1 = x.length
  const n2 = y.length
  const all = new Float64Array(n1 + n2)
  all.set(x)
  all.set(y, n1)
  const { ranks, tieSum: ties } = rankWithTies(all)
  let r1 = 0
  for (let i = 0; i < n1; i++) r1 += ranks[i] as number
  const u1 = r1 - (n1 * (n1 + 1)) / 2
  const u2 = n1 * n2 - u1
  const u = alternative === 'greater' ? u1 : alternative === 'less' ? u2 : Math.max(u1, u2)
  const factor = alternative === 'two-sided' ? 2 : 1
  const used: 'exact' | 'asymptotic' =
    method === 'auto' ? (ties === 0 && Math.min(n1, n2) <= 8 ? 'exact' : 'asymptotic') : method
  let p: number
  let z = Number.NaN
  if (used === 'exact') {
    const k = Math.floor(u) // scipy casts U to an integer before its exact survival function
    if (Math.min(n1, n2) > EXACT_MAX_SMALLER || mannWhitneySfLength(n1, n2, k) > MAX_EXACT_LENGTH) {
      throw badOption(
        `mannWhitneyU: the exact distribution is computed for up to ${EXACT_MAX_SMALLER} values in the smaller sample (and ${MAX_EXACT_LENGTH.toExponential(0)} values of U); got ${n1.toLocaleString('en-US')} and ${n2.toLocaleString('en-US')}.`,
        "Use method 'asymptotic' (or 'auto'): at these sizes the normal approximation with continuity correction is what scipy's 'auto' uses too.",
      )
    }
    p = factor * mannWhitneySf(n1, n2, k)
  } else {
    const n = n1 + n2
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1))))
    z = (u - (n1 * n2) / 2 - ((options.continuity ?? true) ? 0.5 : 0)) / s
    p = factor * normalSf(z)
  }
  p = Math.min(1, Math.max(0, p))
  const details: Record<string, number | string> = { n1, n2, method: used, alternative }
  if (!Number.isNaN(z)) details.z = z
  return { test: 'mann-whitney', statistic: u1, pValue: p, threshold: alpha, passed: p >= alpha, details }
}
