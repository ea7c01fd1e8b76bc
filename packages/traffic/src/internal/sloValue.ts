import type { Slo } from '@modelgate/core'
import type { LatencyHistogram } from '@modelgate/stats'

/** Counters behind an error-rate or throughput SLO. */
export interface SloCounts {
  readonly ok: number
  readonly errors: number
  readonly sent: number
  readonly seconds: number
}

export type SloMeasure = { readonly value: number; readonly n: number } | { readonly inconclusive: string }

/**
 * The observed value of an SLO's metric (ms, fraction or per second), or why it cannot be judged: a percentile needs
 * at least 1/(1 − q) responses (100 for p99, 1,000 for p99.9), any latency metric at least one.
 */
export function sloValue(slo: Slo, histogram: LatencyHistogram, counts: SloCounts): SloMeasure {
  if (slo.kind === 'errors') {
    const n = counts.ok + counts.errors
    return n === 0 ? { inconclusive: 'no request finished' } : { value: counts.errors / n, n }
  }
  if (slo.kind === 'rate')
    return counts.seconds <= 0
      ? { inconclusive: 'no measured time' }
      : { value: counts.sent / counts.seconds, n: counts.sent }
  const n = histogram.count
  if (n === 0) return { inconclusive: 'no response was received' }
  if (slo.quantile !== undefined) {
    const needed = Math.ceil(1 / (1 - slo.quantile) - 1e-9)
    if (n < needed)
      return {
        inconclusive: `${n.toLocaleString('en-US')} responses are too few for ${slo.metric} (needs ${needed.toLocaleString('en-US')})`,
      }
    return { value: histogram.percentile(slo.quantile * 100), n }
  }
  const summary = histogram.summary()
  const value = slo.metric === 'mean' ? summary.mean : slo.metric === 'min' ? summary.min : summary.max
  return { value, n }
}

/** A value in the SLO's unit, for messages: `87.3 ms`, `0.12%`, `498/s`. */
export function formatSloValue(slo: Slo, value: number): string {
  if (slo.kind === 'errors') return `${Number((value * 100).toPrecision(3))}%`
  if (slo.kind === 'rate') return `${Number(value.toPrecision(4)).toLocaleString('en-US')}/s`
  return formatMs(value)
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '–'
  if (ms >= 1000) return `${Number((ms / 1000).toPrecision(4))} s`
  return `${Number(ms.toPrecision(ms < 1 ? 2 : 4))} ms`
}

/** `01:20` — a time offset in minutes and seconds. */
export function formatClock(seconds: number): string {
  const m = Math.floor(seconds / 60)
  const s = Math.floor(seconds % 60)
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`
}
