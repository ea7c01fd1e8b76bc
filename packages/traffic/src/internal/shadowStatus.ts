import type { Report } from '@modelgate/core'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { DriftDigest, LatencyFigures, ShadowStatus } from '../ShadowStatus.js'
import type { StoreSummary } from './shadowStore.js'

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
  /** The comparison of the kept pairs (the store's `summarize`, on its columns). */
  readonly summary: StoreSummary
  readonly recent: readonly ShadowPair[]
  /** Each target's latency figures (HDR histograms: the primary's on the proxy thread, the mirrors' on theirs). */
  readonly latency: Readonly<Record<'primary' | 'candidate' | 'secondary', LatencyFigures | null>>
  readonly drift: ShadowDriftReports | null
  readonly mirrorThread: ShadowStatus['mirrorThread']
}

export function buildShadowStatus(input: StatusInput): ShadowStatus {
  const { errors, scores, labels, added, missing } = input.summary
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
    store: { kind: 'ring', capacity: input.storeCapacity, size: input.summary.size },
    latencyMs: input.latency,
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
    mirrorThread: input.mirrorThread,
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
