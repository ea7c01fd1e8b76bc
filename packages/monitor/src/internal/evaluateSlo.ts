import type { Slo, Verdict } from '@modelgate/core'
import { meetsSlo } from '@modelgate/core'
import type { LatencyHistogram } from '@modelgate/stats'

export interface SloInput {
  readonly latency: LatencyHistogram | null
  readonly events: number
  readonly errors: number
  readonly windowMs: number
}

/** Judges an SLO on one window (latency from the window's HDR histogram, errors from events' `error` flag). */
export function evaluateSlo(
  slo: Slo,
  input: SloInput,
): { objective: string; observed: number | null; verdict: Verdict } {
  const judge = (observed: number | null) => ({
    objective: slo.source,
    observed,
    verdict: (observed === null ? 'inconclusive' : meetsSlo(slo, observed) ? 'pass' : 'fail') as Verdict,
  })
  if (slo.kind === 'rate') return judge(input.events / (input.windowMs / 1000))
  if (slo.kind === 'errors') return judge(input.events === 0 ? null : input.errors / input.events)
  const h = input.latency
  if (h === null || h.count === 0) return judge(null)
  if (slo.quantile !== undefined) return judge(h.percentile(slo.quantile * 100))
  const s = h.summary()
  return judge(slo.metric === 'min' ? s.min : slo.metric === 'max' ? s.max : s.mean)
}
