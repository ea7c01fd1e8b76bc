import type { Chart, CheckResult, Report } from '@modelgate/core'
import { createReport } from '@modelgate/core'
import { z } from 'zod'
import { TrafficError } from './errors.js'
import { latencyHistogram } from './internal/canaryCharts.js'
import { collectCanaryColumns } from './internal/canaryColumns.js'
import { coverageCheck } from './internal/canaryCoverage.js'
import { distributionCheck, median } from './internal/canaryDistribution.js'
import { errorRateCheck } from './internal/canaryErrors.js'
import { fieldsCheck } from './internal/canaryFields.js'
import { labelCheck } from './internal/canaryLabels.js'
import { latencyTailCheck } from './internal/canaryLatencyTail.js'
import type { PowerRule } from './internal/canaryPower.js'
import { scoreChecksOf } from './internal/canaryScore.js'
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
    const { checks: scoreChecks, chart } = scoreChecksOf(
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
