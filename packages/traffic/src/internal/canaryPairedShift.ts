import type { CheckResult } from '@modelgate/core'
import { formatNumber, formatStatistic } from '@modelgate/core'
import { hodgesLehmann, wilcoxonSignedRank } from '@modelgate/stats'
import { maxHalfWidth, type PowerRule, pairsForHalfWidth } from './canaryPower.js'

export interface PairedShiftInput {
  readonly id: string
  readonly name: string
  readonly group: string
  /** Candidate − primary, one per pair. */
  readonly differences: Float64Array
  /** The shift that matters (absolute, in the score's unit). */
  readonly tolerance: number
  readonly rule: PowerRule
}

/**
 * The paired shift of a score: Wilcoxon's signed-rank test of candidate − primary (zeros dropped, scipy's default)
 * with the Hodges–Lehmann pseudo-median and its distribution-free interval. Fail when the shift is significant and
 * its whole interval lies beyond ±tolerance; warn when it is significant but within the tolerance (a systematic but
 * small move — on the few requests that differ, say); pass otherwise — once the interval is narrow enough for the
 * power rule, else inconclusive.
 */
export function pairedShiftCheck(input: PairedShiftInput): CheckResult {
  const base = { id: input.id, name: input.name, group: input.group }
  const d = input.differences
  const n = d.length
  if (n === 0) return { ...base, verdict: 'inconclusive', message: 'cannot judge: no pair carries the score' }
  let nonZero = 0
  let up = 0
  for (const v of d) {
    if (v !== 0) nonZero++
    if (v > 0) up++
  }
  if (nonZero === 0)
    return {
      ...base,
      verdict: 'pass',
      message: `all ${n.toLocaleString('en-US')} paired scores are equal`,
      metrics: { n, nonZero: 0, estimate: 0, lower: 0, upper: 0, pValue: 1 },
    }
  const alpha = 1 - input.rule.confidence
  const w = wilcoxonSignedRank(d, { alpha })
  const hl = hodgesLehmann(d, { confidence: input.rule.confidence })
  const p = w.pValue ?? 1
  const halfWidth = (hl.upper - hl.lower) / 2
  const target = maxHalfWidth(input.tolerance, input.rule)
  const tol = input.tolerance
  const metrics = {
    n,
    nonZero,
    up,
    down: nonZero - up,
    statistic: w.statistic,
    pValue: p,
    estimate: hl.estimate,
    lower: hl.lower,
    upper: hl.upper,
    tolerance: tol,
  }
  const shift = `pseudo-median shift ${signed(hl.estimate)} (${pctText(hl.confidence)} interval ${signed(hl.lower)} to ${signed(hl.upper)}; tolerance ±${formatNumber(tol)})`
  const test = `Wilcoxon signed-rank p = ${formatStatistic(p)} on ${nonZero.toLocaleString('en-US')} non-zero differences of ${n.toLocaleString('en-US')} (${up.toLocaleString('en-US')} up, ${(nonZero - up).toLocaleString('en-US')} down)`
  if (p < alpha && (hl.lower > tol || hl.upper < -tol))
    return { ...base, verdict: 'fail', message: `the candidate shifts the score: ${shift}; ${test}`, metrics }
  if (tol === 0)
    // a tolerance of 0 asks for equal scores: any significant shift fails, no interval is too wide
    return p < alpha
      ? {
          ...base,
          verdict: 'fail',
          message: `the candidate shifts the score (tolerance 0): ${test}; ${shift}`,
          metrics,
        }
      : { ...base, verdict: 'pass', message: `no systematic shift: ${test}; ${shift}`, metrics }
  if (halfWidth > target) {
    const needed = pairsForHalfWidth(n, halfWidth, target)
    return {
      ...base,
      verdict: 'inconclusive',
      message: `cannot judge yet: ${shift} — too wide to detect a shift of ${formatNumber(tol)} with ${pctText(input.rule.power)} power (half-width ${formatNumber(halfWidth)} > ${formatNumber(target)}); about ${needed.toLocaleString('en-US')} pairs needed; ${test}`,
      metrics: { ...metrics, pairsNeeded: needed },
    }
  }
  if (p < alpha)
    return {
      ...base,
      verdict: 'warn',
      message: `a systematic but small shift: ${test}; ${shift}`,
      metrics,
    }
  return { ...base, verdict: 'pass', message: `no systematic shift: ${test}; ${shift}`, metrics }
}

export function signed(x: number): string {
  return `${x > 0 ? '+' : ''}${formatNumber(x)}`
}

function pctText(x: number): string {
  return `${Math.round(x * 1000) / 10}%`
}
