import type { Report } from '@modelgate/core'
import type { LatencyHistogram } from '@modelgate/stats'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { DriftDigest, LatencyFigures, ShadowStatus } from '../ShadowStatus.js'

interface StatusInput {
  readonly startedAt: number
  readonly urls: { readonly primary: string; readonly candidate: string; readonly secondary: string | null }
  readonly sample: number
  readonly mirrorPaths: readonly string[]
  readonly mirrorMethods: readonly string[]
  readonly tolerance: number
  readonly counts: ShadowCounts
  readonly pairsTotal: number
  readonly skipped: number
  readonly droppedStale: number
  readonly queue: ShadowStatus['queue']
  readonly storeCapacity: number
  readonly pairs: readonly ShadowPair[]
  readonly recent: readonly ShadowPair[]
  readonly latency: Readonly<Record<'primary' | 'candidate' | 'secondary', LatencyHistogram | null>>
  readonly drift: ShadowDriftReports | null
}

export function buildShadowStatus(input: StatusInput): ShadowStatus {
  const errors = { primary: {}, candidate: {}, secondary: {} } as Record<
    'primary' | 'candidate' | 'secondary',
    Record<string, number>
  >
  const scores: Record<string, { compared: number; exceeded: number; sum: number; sumAbs: number }> = {}
  const labels: Record<string, { compared: number; agreed: number }> = {}
  let added = 0
  let missing = 0
  for (const pair of input.pairs) {
    for (const target of ['primary', 'candidate', 'secondary'] as const) {
      const error = pair[target]?.error
      if (error !== undefined) errors[target][error] = (errors[target][error] ?? 0) + 1
    }
    for (const [field, p] of Object.entries(pair.primary.scores)) {
      const c = pair.candidate.scores[field]
      if (c === undefined) continue
      const s = scores[field] ?? { compared: 0, exceeded: 0, sum: 0, sumAbs: 0 }
      scores[field] = s
      const noise = pair.secondary?.scores[field]
      s.compared++
      s.sum += c - p
      s.sumAbs += Math.abs(c - p)
      if (Math.abs(c - p) > Math.max(input.tolerance, noise === undefined ? 0 : Math.abs(noise - p))) s.exceeded++
    }
    for (const [field, p] of Object.entries(pair.primary.labels)) {
      const c = pair.candidate.labels[field]
      if (c === undefined) continue
      const l = labels[field] ?? { compared: 0, agreed: 0 }
      labels[field] = l
      l.compared++
      if (c === p) l.agreed++
    }
    if ((pair.candidate.addedFields?.length ?? 0) > 0) added++
    if ((pair.candidate.missingFields?.length ?? 0) > 0) missing++
  }
  return {
    format: 'modelgate.shadow.status',
    version: 1,
    startedAt: new Date(input.startedAt).toISOString(),
    uptimeMs: Date.now() - input.startedAt,
    ...input.urls,
    sample: input.sample,
    mirrorPaths: input.mirrorPaths,
    mirrorMethods: input.mirrorMethods,
    tolerance: input.tolerance,
    counts: { ...input.counts, pairs: input.pairsTotal, skipped: input.skipped, droppedStale: input.droppedStale },
    queue: input.queue,
    store: { kind: 'ring', capacity: input.storeCapacity, size: input.pairs.length },
    latencyMs: {
      primary: figures(input.latency.primary),
      candidate: figures(input.latency.candidate),
      secondary: figures(input.latency.secondary),
    },
    errors,
    scores: Object.fromEntries(
      Object.entries(scores).map(([field, s]) => [
        field,
        {
          compared: s.compared,
          exceeded: s.exceeded,
          meanDifference: s.compared === 0 ? null : s.sum / s.compared,
          meanAbsoluteDifference: s.compared === 0 ? null : s.sumAbs / s.compared,
        },
      ]),
    ),
    labels,
    fields: { added, missing },
    drift:
      input.drift === null
        ? null
        : { rows: input.drift.rows, primary: digest(input.drift.primary), candidate: digest(input.drift.candidate) },
    recent: input.recent,
  }
}

function figures(histogram: LatencyHistogram | null): LatencyFigures | null {
  if (histogram === null) return null
  if (histogram.count === 0) return { count: 0, p50: null, p90: null, p99: null, max: null }
  return {
    count: histogram.count,
    p50: histogram.percentile(50),
    p90: histogram.percentile(90),
    p99: histogram.percentile(99),
    max: histogram.percentile(100),
  }
}

function digest(report: Report): DriftDigest {
  return {
    verdict: report.verdict,
    checks: report.checks
      .filter((c) => c.verdict === 'fail' || c.verdict === 'inconclusive' || c.verdict === 'warn')
      .slice(0, 20)
      .map((c) => ({ id: c.id, verdict: c.verdict, message: c.message })),
  }
}
