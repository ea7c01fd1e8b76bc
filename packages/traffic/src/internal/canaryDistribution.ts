import type { CheckResult, Verdict } from '@modelgate/core'
import { formatNumber, formatStatistic } from '@modelgate/core'
import { hodgesLehmannShift, mannWhitneyU, proportionsZTest, quantiles } from '@modelgate/stats'
import { signed } from './canaryPairedShift.js'
import { maxHalfWidth, type PowerRule, pairsForHalfWidth } from './canaryPower.js'
import { pct } from './canaryShare.js'

export interface DistributionInput {
  readonly id: string
  readonly name: string
  readonly group: string
  readonly primary: Float64Array
  readonly candidate: Float64Array
  /** Half-width of the tolerance band around 0, in the values' unit. */
  readonly band: number
  /** How the band was set, for the message (`25% of the primary's median 12.1 ms`). */
  readonly bandText: string
  /** `increase`: only a rise is a failure (latency); `either`: both directions (scores). */
  readonly direction: 'increase' | 'either'
  readonly unit: string
  readonly rule: PowerRule
  /** The verdict when the data cannot judge (too few values, interval too wide): `inconclusive` or `skip`. */
  readonly cannotJudge: Verdict
  /** Allowed change of the share at the tied value of a zero-heavy metric. */
  readonly tieShareAllowance: number
}

/** Fewer values than this on a side and a rank test is not run (Kayenta #426: six values, a "pass"). */
const MIN_VALUES = 20
/** A metric whose most common value holds at least this share of both samples is zero-heavy. */
const ZERO_HEAVY = 0.5

/**
 * Two samples compared without their pairing, as Kayenta's judge does (spinnaker/kayenta, kayenta-judge: the
 * MannWhitneyClassifier that NetflixACAJudge.scala builds with `tolerance = 0.25, confLevel = 0.98`, the defaults of
 * NetflixJudgeConfigurationProperties): Mann–Whitney U
 * and the Hodges–Lehmann shift candidate − primary with its interval. Fail when the shift is significant and its whole
 * interval lies beyond the tolerance band (only above it for `increase`); warn when significant within the band;
 * pass otherwise — once the interval is precise enough for the power rule (Kayenta has no such rule: a handful of
 * values passes, Kayenta #426, #780). Kayenta's band is a fraction of the estimate itself; ours is fixed by the caller
 * (a fraction of the primary's median for latency, the score tolerance for scores), so a shift is judged against
 * what matters rather than against its own size.
 *
 * Zero-heavy metrics (most values tied at one value, e.g. a score that is 0 for most requests): the rank test sees
 * mostly ties and misses a change in the rare non-zero values (Kayenta #426, #799), so the share at the tied value is
 * compared first with a two-proportion z-test, then the values off it with the rank test.
 */
export function distributionCheck(input: DistributionInput): CheckResult {
  const base = { id: input.id, name: input.name, group: input.group }
  const { primary, candidate } = input
  const cannot = (why: string, metrics?: Record<string, number>): CheckResult => ({
    ...base,
    verdict: input.cannotJudge,
    message: `cannot judge: ${why}`,
    ...(metrics === undefined ? {} : { metrics }),
  })
  if (primary.length < MIN_VALUES || candidate.length < MIN_VALUES)
    return cannot(
      `${primary.length.toLocaleString('en-US')} primary and ${candidate.length.toLocaleString('en-US')} candidate values; a rank test needs ${MIN_VALUES} on each side`,
      { nPrimary: primary.length, nCandidate: candidate.length },
    )
  const medians = { primary: median(primary), candidate: median(candidate) }
  const mediansText = `medians ${formatNumber(medians.primary)}${input.unit} → ${formatNumber(medians.candidate)}${input.unit}`
  const baseMetrics = {
    nPrimary: primary.length,
    nCandidate: candidate.length,
    medianPrimary: medians.primary,
    medianCandidate: medians.candidate,
    band: input.band,
  }
  const mode = commonValue(primary, candidate)
  if (mode.share >= ZERO_HEAVY) {
    const kp = countOf(primary, mode.value)
    const kc = countOf(candidate, mode.value)
    const alpha = 1 - input.rule.confidence
    const z =
      kp + kc === primary.length + candidate.length
        ? undefined
        : proportionsZTest(kc, candidate.length, kp, primary.length, { alpha })
    const change = kc / candidate.length - kp / primary.length
    const tiedText = `${pct(kp / primary.length)} → ${pct(kc / candidate.length)} of values at ${formatNumber(mode.value)}${input.unit}`
    const metrics = {
      ...baseMetrics,
      tiedValue: mode.value,
      tiedSharePrimary: kp / primary.length,
      tiedShareCandidate: kc / candidate.length,
    }
    if (kp === primary.length && kc === candidate.length)
      return {
        ...base,
        verdict: 'pass',
        message: `every value of both is ${formatNumber(mode.value)}${input.unit}`,
        metrics,
      }
    if (z !== undefined && (z.pValue ?? 1) < alpha && Math.abs(change) > input.tieShareAllowance)
      return {
        ...base,
        verdict: 'fail',
        message: `zero-heavy metric: ${tiedText} (z-test p = ${formatStatistic(z.pValue ?? 1)}, allowed change ${pct(input.tieShareAllowance)}); ${mediansText}`,
        metrics: { ...metrics, pValue: z.pValue ?? 1 },
      }
    const restP = primary.filter((v) => v !== mode.value)
    const restC = candidate.filter((v) => v !== mode.value)
    if (restP.length < MIN_VALUES || restC.length < MIN_VALUES)
      return cannot(
        `zero-heavy metric (${tiedText}, no significant change there); only ${restP.length.toLocaleString('en-US')} primary and ${restC.length.toLocaleString('en-US')} candidate values off ${formatNumber(mode.value)}, too few to compare the rest`,
        metrics,
      )
    return shiftVerdict(input, restP, restC, `zero-heavy metric, ${tiedText}; the values off it: `, metrics, cannot)
  }
  return shiftVerdict(input, primary, candidate, `${mediansText}; `, baseMetrics, cannot)
}

function shiftVerdict(
  input: DistributionInput,
  primary: Float64Array,
  candidate: Float64Array,
  prefix: string,
  baseMetrics: Record<string, number>,
  cannot: (why: string, metrics?: Record<string, number>) => CheckResult,
): CheckResult {
  const base = { id: input.id, name: input.name, group: input.group }
  const alpha = 1 - input.rule.confidence
  const mw = mannWhitneyU(candidate, primary, { alpha })
  const hl = hodgesLehmannShift(candidate, primary, { confidence: input.rule.confidence })
  const p = mw.pValue ?? 1
  const metrics = { ...baseMetrics, pValue: p, estimate: hl.estimate, lower: hl.lower, upper: hl.upper }
  const u = input.unit
  const shift = `Hodges–Lehmann shift ${signed(hl.estimate)}${u} (${Math.round(hl.confidence * 100)}% interval ${signed(hl.lower)}${u} to ${signed(hl.upper)}${u}; band ±${formatNumber(input.band)}${u}, ${input.bandText})`
  const test = `Mann–Whitney p = ${formatStatistic(p)}`
  const above = hl.lower > input.band
  const below = input.direction === 'either' && hl.upper < -input.band
  if (p < alpha && (above || below))
    return {
      ...base,
      verdict: 'fail',
      message: `${prefix}${shift}, beyond the band; ${test}`,
      metrics,
    }
  const halfWidth = (hl.upper - hl.lower) / 2
  const target = maxHalfWidth(input.band, input.rule)
  if (input.band === 0) return cannot(`${prefix}${shift}: a band of 0 leaves no shift to tolerate; ${test}`, metrics)
  if (halfWidth > target) {
    const needed = pairsForHalfWidth(Math.min(primary.length, candidate.length), halfWidth, target)
    return cannot(
      `${prefix}${shift} — too wide to detect a shift of the band with ${Math.round(input.rule.power * 100)}% power; about ${needed.toLocaleString('en-US')} values per side needed; ${test}`,
      { ...metrics, valuesNeeded: needed },
    )
  }
  if (p < alpha)
    return { ...base, verdict: 'warn', message: `${prefix}significant but within the band: ${shift}; ${test}`, metrics }
  return { ...base, verdict: 'pass', message: `${prefix}${shift}; ${test}`, metrics }
}

export function median(values: Float64Array): number {
  return values.length === 0 ? Number.NaN : (quantiles(values, [0.5])[0] as number)
}

/** The most common value over both samples and the share of both it holds. */
function commonValue(a: Float64Array, b: Float64Array): { value: number; share: number } {
  // a zero-heavy metric is tied at one value in both samples: look at the few most common candidates cheaply
  const counts = new Map<number, number>()
  const step = Math.max(1, Math.floor((a.length + b.length) / 2000))
  for (let i = 0; i < a.length; i += step) counts.set(a[i] as number, (counts.get(a[i] as number) ?? 0) + 1)
  for (let i = 0; i < b.length; i += step) counts.set(b[i] as number, (counts.get(b[i] as number) ?? 0) + 1)
  let best = Number.NaN
  let bestCount = 0
  for (const [v, c] of counts)
    if (c > bestCount) {
      best = v
      bestCount = c
    }
  const total = countOf(a, best) + countOf(b, best)
  return { value: best, share: total / (a.length + b.length) }
}

function countOf(values: Float64Array, value: number): number {
  let n = 0
  for (const v of values) if (v === value) n++
  return n
}
