import type { Report, Slo, Verdict } from '@modelgate/core'
import { deriveVerdict } from '@modelgate/core'
import type { LatencyHistogram } from '@modelgate/stats'
import type { BadEventReason } from '../createEventValidator.js'
import type { WindowSummary } from '../types.js'
import type { WindowDrift } from './driftEngine.js'
import { evaluateSlo } from './evaluateSlo.js'

export interface WindowParts {
  readonly start: number
  readonly end: number
  readonly events: number
  readonly errors: number
  readonly drift: WindowDrift | null
  readonly latency: LatencyHistogram | null
}

export interface SummarizeContext {
  readonly slo: Slo | undefined
  readonly driftOptions: Readonly<Record<string, unknown>>
  readonly evaluatedAt: number
  readonly bad?: Readonly<Partial<Record<BadEventReason, number>>>
  readonly late?: number
  readonly duplicates?: number
}

/** Evaluates one window's state: drift (drift's report), latency figures, the SLO, and the folded verdict. */
export function summarizeWindow(
  w: WindowParts,
  ctx: SummarizeContext,
): { summary: WindowSummary; report: Report | null } {
  const started = performance.now()
  let drift: WindowSummary['drift'] = null
  let report: Report | null = null
  if (w.drift !== null) {
    const s = w.drift.evaluate(ctx.driftOptions)
    report = s.report
    drift = {
      verdict: s.verdict,
      driftVerdict: s.driftVerdict,
      qualityVerdict: s.qualityVerdict,
      features: s.features,
      quality: s.quality,
      nullRatio: s.nullRatio,
      failures: s.report.checks.filter((c) => c.verdict === 'fail').map((c) => c.message),
    }
  }
  let latency: WindowSummary['latency'] = null
  if (w.latency !== null && w.latency.count > 0) {
    const h = w.latency
    const s = h.summary()
    latency = { count: s.count, p50: s.p50, p95: h.percentile(95), p99: s.p99, p999: s.p999, max: s.max, mean: s.mean }
  }
  const slo =
    ctx.slo === undefined
      ? null
      : evaluateSlo(ctx.slo, { latency: w.latency, events: w.events, errors: w.errors, windowMs: w.end - w.start })
  const verdicts: Verdict[] = [
    ...(drift === null ? [] : [drift.verdict]),
    ...(slo === null ? [] : [slo.verdict]),
    ...(w.events === 0 ? (['inconclusive'] as const) : []),
  ]
  return {
    report,
    summary: {
      start: w.start,
      end: w.end,
      evaluatedAt: ctx.evaluatedAt,
      evaluationMs: performance.now() - started,
      events: w.events,
      badEvents: ctx.bad ?? {},
      lateEvents: ctx.late ?? 0,
      duplicates: ctx.duplicates ?? 0,
      verdict: verdicts.length === 0 ? 'pass' : deriveVerdict(verdicts.map((verdict) => ({ verdict }))),
      drift,
      latency,
      slo,
      labels: null,
      alerts: [],
    },
  }
}
