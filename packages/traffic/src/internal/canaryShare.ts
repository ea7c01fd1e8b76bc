import type { CheckResult } from '@modelgate/core'
import { formatPercent } from '@modelgate/core'
import { proportionInterval } from '@modelgate/stats'
import { excessShareInterval, type PairedCounts } from './canaryExcessInterval.js'
import { type PowerRule, pairsForShare } from './canaryPower.js'

export interface ShareCheckInput {
  readonly id: string
  readonly name: string
  readonly group: string
  /** What is counted, plural: `requests whose |Δscore| > 0.01`. */
  readonly what: string
  /** Per request: the candidate differs (raw) and, with a secondary, the secondary differs too (noise). */
  readonly counts: PairedCounts
  /** Whether a secondary answered: then the excess share raw − noise is judged (Diffy's noise rule). */
  readonly withNoise: boolean
  /** The allowed share. */
  readonly allowance: number
  readonly rule: PowerRule
  /** Why n is 0 (for the inconclusive message). */
  readonly emptyReason: string
  /** Extra text after the figures (the noise rule's count, the secondary's own share …). */
  readonly note?: string
  readonly metrics?: Readonly<Record<string, number>>
  readonly details?: unknown
}

/**
 * A share judged against an allowance with its interval (see canaryPower): fail when the interval's lower end is
 * above the allowance, pass when its upper end is within it, inconclusive between the two (too few pairs). Without a
 * secondary the share of requests that differ, with Wilson's interval; with one, Diffy's noise rule: the excess of
 * that share over the share where the secondary (the primary's own code) differs from the primary, with Newcombe's
 * paired interval — differences count only as far as candidate-vs-primary exceeds primary-vs-secondary.
 */
export function shareCheck(input: ShareCheckInput): CheckResult {
  const base = { id: input.id, name: input.name, group: input.group }
  const { n } = input.counts
  if (n === 0) return { ...base, verdict: 'inconclusive', message: `cannot judge: ${input.emptyReason}` }
  const confidence = input.rule.confidence
  const count = input.counts.both + input.counts.rawOnly
  const noiseCount = input.counts.both + input.counts.noiseOnly
  const ci = input.withNoise
    ? excessShareInterval(input.counts, confidence)
    : { ...proportionInterval(count, n, { confidence }), raw: count / n, noise: 0 }
  const m = input.allowance
  const metrics = {
    count,
    n,
    share: ci.estimate,
    lower: ci.lower,
    upper: ci.upper,
    allowance: m,
    ...(input.withNoise ? { rawShare: ci.raw, noiseCount, noiseShare: ci.noise } : {}),
    ...input.metrics,
  }
  const level = `${Math.round(confidence * 1000) / 10}%`
  const figures = input.withNoise
    ? `${count.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} ${input.what} (${pct(ci.raw)}) against ${noiseCount.toLocaleString('en-US')} (${pct(ci.noise)}) where the secondary differs from the primary: excess ${pct(ci.estimate)}, ${level} interval ${pct(ci.lower)} to ${pct(ci.upper)}; allowed ${pct(m)}`
    : `${count.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} ${input.what} (${pct(ci.estimate)}, ${level} interval ${pct(ci.lower)}–${pct(ci.upper)}; allowed ${pct(m)})`
  const note = input.note === undefined ? '' : `; ${input.note}`
  const extra = { metrics, ...(input.details === undefined ? {} : { details: input.details }) }
  if (ci.lower > m) return { ...base, verdict: 'fail', message: `${figures}: more than allowed${note}`, ...extra }
  if (ci.upper <= m) return { ...base, verdict: 'pass', message: `${figures}${note}`, ...extra }
  const needed = input.withNoise
    ? ci.estimate === m
      ? Number.POSITIVE_INFINITY
      : Math.ceil(n * ((ci.estimate < m ? ci.upper - ci.estimate : ci.estimate - ci.lower) / (m - ci.estimate)) ** 2)
    : pairsForShare(ci.estimate, m, confidence)
  const more = Number.isFinite(needed)
    ? `about ${needed.toLocaleString('en-US')} pairs would settle it`
    : 'the share sits at the allowance'
  return {
    ...base,
    verdict: 'inconclusive',
    message: `cannot judge yet: ${figures} — the interval includes the allowance, ${more}${note}`,
    metrics: { ...metrics, pairsNeeded: Number.isFinite(needed) ? needed : -1 },
    ...(input.details === undefined ? {} : { details: input.details }),
  }
}

/** A share as a percentage: two decimals below 10% (0.27%), one above. */
export function pct(x: number): string {
  return x < 0 ? `-${formatPercent(-x, -x < 0.1 ? 2 : 1)}` : formatPercent(x, x < 0.1 ? 2 : 1)
}
