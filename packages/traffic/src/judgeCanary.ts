import type { Chart, CheckResult, Report } from '@modelgate/core'
import { createReport, redactText } from '@modelgate/core'
import { z } from 'zod'
import { TrafficError } from './errors.js'
import { deltaHistogram, latencyHistogram } from './internal/canaryCharts.js'
import {
  type CanaryColumns,
  collectCanaryColumns,
  type LabelColumn,
  type ScoreColumn,
} from './internal/canaryColumns.js'
import { distributionCheck, median } from './internal/canaryDistribution.js'
import { errorRateCheck } from './internal/canaryErrors.js'
import { fieldsCheck } from './internal/canaryFields.js'
import { latencyTailCheck } from './internal/canaryLatencyTail.js'
import { pairedShiftCheck, signed } from './internal/canaryPairedShift.js'
import type { PowerRule } from './internal/canaryPower.js'
import { pct, shareCheck } from './internal/canaryShare.js'
import type { ShadowCounts, ShadowPair } from './ShadowPair.js'

export interface JudgeCanaryOptions {
  /** Numeric answer fields to judge (dotted paths); default every numeric field of the primary's answers. */
  readonly scoreFields?: readonly string[]
  /** Label fields to judge; default every label the pairs carry. */
  readonly labelFields?: readonly string[]
  /** |candidate − primary| above this counts a request as different, and bounds the paired shift. Default 0.01. */
  readonly scoreTolerance?: number
  /** Per-field tolerances (a regression output in dollars next to a probability), overriding `scoreTolerance`. */
  readonly scoreTolerances?: Readonly<Record<string, number>>
  /** Share of requests allowed to differ by more than the tolerance. Default 0.01 (1%). */
  readonly maxDiffShare?: number
  /** Share of requests allowed to flip a label. Default 0.01. */
  readonly maxLabelFlipShare?: number
  /** Latency tolerance band, a fraction of the primary's median latency. Default 0.25 (Kayenta's `tolerance`). */
  readonly latencyTolerance?: number
  /**
   * Share of the candidate's latencies allowed above the primary's p99 (an unchanged candidate puts ~1% there).
   * Default 0.03.
   */
  readonly maxLatencyTailShare?: number
  /** Allowed rise of the error rate, in absolute terms (0.005 = half a percentage point). Default 0.005. */
  readonly maxErrorRateIncrease?: number
  /** Two-sided confidence of every interval; 1 − confidence is each test's alpha. Default 0.98 (Kayenta's `confLevel`). */
  readonly confidence?: number
  /** Power to detect a shift of the tolerance, for the power rule. Default 0.8. */
  readonly power?: number
  /** Share of mirrored requests that may be dropped (queue full) before the verdict warns of bias. Default 0.1. */
  readonly maxDropShare?: number
  /**
   * Drift of the window against a baseline (the proxy's `@modelgate/drift` reports: features with the primary's
   * prediction, features with the candidate's): folded in as sub-reports, so their verdicts count.
   */
  readonly drift?: { readonly primary?: Report; readonly candidate?: Report }
  readonly title?: string
  /** The report's timestamp (default now). */
  readonly createdAt?: Date | string
}

const optionsSchema = z
  .object({
    scoreFields: z.array(z.string().min(1)).readonly().optional(),
    labelFields: z.array(z.string().min(1)).readonly().optional(),
    scoreTolerance: z.number().finite().nonnegative().optional(),
    scoreTolerances: z.record(z.string(), z.number().finite().nonnegative()).optional(),
    maxDiffShare: z.number().gt(0).lt(1).optional(),
    maxLabelFlipShare: z.number().gt(0).lt(1).optional(),
    latencyTolerance: z.number().gt(0).optional(),
    maxErrorRateIncrease: z.number().gt(0).lt(1).optional(),
    maxLatencyTailShare: z.number().gt(0).lt(1).optional(),
    confidence: z.number().gt(0.5).lt(1).optional(),
    power: z.number().gt(0.5).lt(1).optional(),
    maxDropShare: z.number().min(0).max(1).optional(),
    drift: z
      .object({ primary: z.custom<Report>(isReport).optional(), candidate: z.custom<Report>(isReport).optional() })
      .strict()
      .optional(),
    title: z.string().optional(),
    createdAt: z.union([z.string(), z.date()]).optional(),
  })
  .strict()

/** The defaults, for the README and the CLI's help. */
export const CANARY_DEFAULTS = {
  scoreTolerance: 0.01,
  maxDiffShare: 0.01,
  maxLabelFlipShare: 0.01,
  latencyTolerance: 0.25,
  maxErrorRateIncrease: 0.005,
  maxLatencyTailShare: 0.03,
  confidence: 0.98,
  power: 0.8,
  maxDropShare: 0.1,
} as const

/** Pairs shown as examples per failing score field. */
const EXAMPLES = 5

/**
 * Judges a shadow candidate from the paired answers the proxy recorded: per score field the share of requests whose
 * |Δscore| passes the tolerance (Diffy's noise rule with a secondary) and the paired shift (Wilcoxon signed-rank,
 * Hodges–Lehmann), the unpaired score distributions (Mann–Whitney, Hodges–Lehmann shift against the tolerance band);
 * label flips; latency distributions; error rates; added and missing fields; and coverage (drops). Too little data
 * for the power rule is `inconclusive` with the reason, never a pass. Returns a core `Report` (kind `shadow.canary`);
 * `canaryAnalysisResult(report)` turns it into the JSON an Argo Rollouts web metric reads.
 */
export function judgeCanary(
  pairs: Iterable<ShadowPair>,
  counts: ShadowCounts,
  options: JudgeCanaryOptions = {},
): Report {
  const parsed = optionsSchema.safeParse(options)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new TrafficError(
      'MG_CANARY_BAD_OPTION',
      `judgeCanary: option ${issue?.path.join('.') || '(options)'}: ${issue?.message ?? 'invalid'}.`,
      { hint: `Known options: ${Object.keys(optionsSchema.shape).join(', ')}.` },
    )
  }
  const o = { ...CANARY_DEFAULTS, ...options }
  const rule: PowerRule = { confidence: o.confidence, power: o.power }
  const started = performance.now()
  const cols = collectCanaryColumns(pairs, { scoreFields: options.scoreFields, labelFields: options.labelFields })
  const checks: CheckResult[] = [coverageCheck(cols, counts, o.maxDropShare)]
  const charts: Chart[] = []
  for (const [field, column] of [...cols.scores].sort(([a], [b]) => a.localeCompare(b))) {
    const { checks: scoreChecks, chart } = judgeScore(
      field,
      column,
      cols,
      o.scoreTolerances?.[field] ?? o.scoreTolerance,
      o.maxDiffShare,
      rule,
    )
    checks.push(...scoreChecks)
    if (chart !== undefined) charts.push(chart)
  }
  for (const [field, column] of [...cols.labels].sort(([a], [b]) => a.localeCompare(b)))
    checks.push(labelCheck(field, column, cols, o.maxLabelFlipShare, rule))
  const primaryLatency = Float64Array.from(cols.primaryLatency)
  const candidateLatency = Float64Array.from(cols.candidateLatency)
  const latencyMedian = median(primaryLatency)
  checks.push(
    distributionCheck({
      id: 'canary.latency',
      name: 'latency',
      group: 'latency',
      primary: primaryLatency,
      candidate: candidateLatency,
      band: Number.isFinite(latencyMedian) ? o.latencyTolerance * latencyMedian : 0,
      bandText: `${Math.round(o.latencyTolerance * 100)}% of the primary's median`,
      direction: 'increase',
      unit: ' ms',
      rule,
      cannotJudge: 'inconclusive',
      tieShareAllowance: o.maxDiffShare,
    }),
  )
  checks.push(latencyTailCheck(primaryLatency, candidateLatency, o.maxLatencyTailShare, rule))
  if (primaryLatency.length > 0 || candidateLatency.length > 0)
    charts.push(latencyHistogram(primaryLatency, candidateLatency))
  checks.push(errorRateCheck(cols, o.maxErrorRateIncrease, rule))
  checks.push(fieldsCheck(cols, o.maxDiffShare))
  const summary: Record<string, number | string> = {
    pairs: cols.pairs,
    'with secondary': cols.withSecondary,
    requests: counts.requests,
    mirrored: counts.mirrored,
    dropped: counts.dropped,
    'score fields': cols.scores.size,
    'label fields': cols.labels.size,
    'candidate errors': cols.candidateErrors,
    'primary errors': cols.primaryErrors,
    ...(cols.nonFinite > 0 ? { 'non-finite scores ignored': cols.nonFinite } : {}),
    ...(cols.pairs > 0 ? { from: new Date(cols.firstAt).toISOString(), to: new Date(cols.lastAt).toISOString() } : {}),
    confidence: o.confidence,
    'score tolerance': o.scoreTolerance,
  }
  return createReport({
    kind: 'shadow.canary',
    title: o.title ?? 'Canary verdict (shadow traffic)',
    ...(o.createdAt === undefined ? {} : { createdAt: o.createdAt }),
    summary,
    checks,
    charts,
    ...(options.drift === undefined
      ? {}
      : { reports: [options.drift.primary, options.drift.candidate].filter((r): r is Report => r !== undefined) }),
    durationMs: Math.round(performance.now() - started),
  })
}

function isReport(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'verdict' in value && 'checks' in value
}

function coverageCheck(cols: CanaryColumns, counts: ShadowCounts, maxDropShare: number): CheckResult {
  const base = { id: 'canary.coverage', name: 'paired requests', group: 'coverage' }
  const metrics = { pairs: cols.pairs, requests: counts.requests, mirrored: counts.mirrored, dropped: counts.dropped }
  const seen = `${counts.requests.toLocaleString('en-US')} requests through the proxy, ${counts.mirrored.toLocaleString('en-US')} mirrored, ${counts.dropped.toLocaleString('en-US')} dropped`
  if (cols.pairs === 0)
    return {
      ...base,
      verdict: 'inconclusive',
      message: `no paired request to judge (${seen}): the service is idle or nothing was mirrored`,
      metrics,
    }
  const dropShare = counts.mirrored === 0 ? 0 : counts.dropped / counts.mirrored
  if (dropShare > maxDropShare)
    return {
      ...base,
      verdict: 'warn',
      message: `${pct(dropShare)} of mirrored requests were dropped (the candidate's queue was full): the ${cols.pairs.toLocaleString('en-US')} pairs may under-represent busy periods (${seen})`,
      metrics: { ...metrics, dropShare },
    }
  return {
    ...base,
    verdict: 'pass',
    message: `${cols.pairs.toLocaleString('en-US')} pairs (${seen})`,
    metrics: { ...metrics, dropShare },
  }
}

function judgeScore(
  field: string,
  column: ScoreColumn,
  cols: CanaryColumns,
  tolerance: number,
  maxShare: number,
  rule: PowerRule,
): { checks: CheckResult[]; chart?: Chart } {
  const n = column.primary.length
  const d = new Float64Array(n)
  let both = 0
  let raw = 0
  let noise = 0
  let withSecondary = 0
  let up = 0
  let sum = 0
  for (let i = 0; i < n; i++) {
    const p = column.primary[i] as number
    const delta = (column.candidate[i] as number) - p
    d[i] = delta
    const s = column.secondary[i] as number
    const gap = Number.isNaN(s) ? 0 : Math.abs(s - p)
    const noisy = !Number.isNaN(s) && gap > tolerance
    if (!Number.isNaN(s)) withSecondary++
    if (noisy) noise++
    if (Math.abs(delta) > tolerance) {
      raw++
      if (noisy) both++
      sum += delta
      if (delta > 0) up++
    }
  }
  const emptyReason =
    cols.bothOk === 0
      ? 'no pair where both the primary and the candidate answered'
      : column.primaryCarried === 0
        ? `no answered pair carries ${field}`
        : `the candidate's answers never carry ${field} (the primary's do in ${column.primaryCarried.toLocaleString('en-US')} pairs)`
  const sparse =
    n > 0 && n < column.primaryCarried
      ? `${n.toLocaleString('en-US')} of the ${column.primaryCarried.toLocaleString('en-US')} pairs whose primary carries it`
      : ''
  const moved =
    raw === 0
      ? ''
      : `those moved by ${signed(sum / raw)} on average (${up.toLocaleString('en-US')} up, ${(raw - up).toLocaleString('en-US')} down)`
  const secondaries =
    withSecondary === 0 || withSecondary === n
      ? ''
      : `${withSecondary.toLocaleString('en-US')} of the pairs had a secondary answer`
  const noiseNote = [moved, secondaries, sparse].filter((x) => x !== '').join('; ')
  const share = shareCheck({
    id: `canary.score.${field}.share`,
    name: `${field}: requests that differ`,
    group: `score ${field}`,
    what: `requests whose |Δ${field}| > ${tolerance}`,
    counts: { both, rawOnly: raw - both, noiseOnly: noise - both, n },
    withNoise: withSecondary > 0,
    allowance: maxShare,
    rule,
    emptyReason,
    ...(noiseNote === '' ? {} : { note: noiseNote }),
    metrics: { withSecondary, tolerance, meanDelta: raw === 0 ? 0 : sum / raw },
    ...(raw > 0 ? { details: { examples: examples(field, column, d, cols, tolerance) } } : {}),
  })
  const shift = pairedShiftCheck({
    id: `canary.score.${field}.shift`,
    name: `${field}: paired shift`,
    group: `score ${field}`,
    differences: d,
    tolerance,
    rule,
  })
  const distribution = distributionCheck({
    id: `canary.score.${field}.distribution`,
    name: `${field}: distribution (unpaired)`,
    group: `score ${field}`,
    primary: Float64Array.from(column.primary),
    candidate: Float64Array.from(column.candidate),
    band: tolerance,
    bandText: 'the score tolerance',
    direction: 'either',
    unit: '',
    rule,
    // the paired checks judge the scores; the unpaired comparison is shown beside them (what a distribution-only
    // judge would say) and is not precise enough alone on the same pairs: it does not hold the verdict back
    cannotJudge: 'skip',
    tieShareAllowance: maxShare,
  })
  return {
    checks: [share, shift, distribution],
    ...(n > 0 ? { chart: deltaHistogram(field, d, tolerance) } : {}),
  }
}

/** The pairs with the largest |Δ|, with their route redacted (a route may hold an id): numbers only otherwise. */
function examples(
  field: string,
  column: ScoreColumn,
  d: Float64Array,
  cols: CanaryColumns,
  tolerance: number,
): Record<string, number | string>[] {
  const order: number[] = []
  for (let i = 0; i < d.length; i++) if (Math.abs(d[i] as number) > tolerance) order.push(i)
  order.sort((a, b) => Math.abs(d[b] as number) - Math.abs(d[a] as number))
  return order.slice(0, EXAMPLES).map((i) => {
    const s = column.secondary[i] as number
    return {
      at: new Date(column.at[i] as number).toISOString(),
      path: redactText(cols.paths[column.pairIndex[i] as number] ?? '', { maxLength: 80 }),
      [`primary ${field}`]: column.primary[i] as number,
      [`candidate ${field}`]: column.candidate[i] as number,
      ...(Number.isNaN(s) ? {} : { [`secondary ${field}`]: s }),
      delta: d[i] as number,
    }
  })
}

/** Labels shown by value only when a value was seen this often (the rare-category rule); others are `(rare)`. */
const RARE = 5

function labelCheck(
  field: string,
  column: LabelColumn,
  cols: CanaryColumns,
  maxShare: number,
  rule: PowerRule,
): CheckResult {
  const shown = (kind: string): string =>
    kind
      .split(' → ')
      .map((v) => ((column.values.get(v) ?? 0) >= RARE ? redactText(v, { maxLength: 40 }) : '(rare)'))
      .join(' → ')
  const kinds = new Map<string, number>()
  for (const [kind, count] of column.kinds) kinds.set(shown(kind), (kinds.get(shown(kind)) ?? 0) + count)
  const top = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 5)
  const flipsText = top.map(([k, c]) => `${k} ${c.toLocaleString('en-US')}`).join(', ')
  const note = flipsText === '' ? '' : `flips: ${flipsText}`
  return shareCheck({
    id: `canary.label.${field}`,
    name: `${field}: label agreement`,
    group: `label ${field}`,
    what: `requests whose ${field} flips`,
    counts: {
      both: column.both,
      rawOnly: column.rawFlips - column.both,
      noiseOnly: column.noise - column.both,
      n: column.n,
    },
    withNoise: column.withSecondary > 0,
    allowance: maxShare,
    rule,
    emptyReason:
      cols.bothOk === 0
        ? 'no pair where both the primary and the candidate answered'
        : `the candidate's answers never carry ${field}`,
    ...(note === '' ? {} : { note }),
    metrics: { agreement: column.n === 0 ? 0 : 1 - column.rawFlips / column.n },
    details: { flips: Object.fromEntries(top) },
  })
}
