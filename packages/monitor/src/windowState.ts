import type { Report, Slo } from '@modelgate/core'
import { createReport } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import type { LatencyHistogram } from '@modelgate/stats'
import { decodeLatencyHistogram } from '@modelgate/stats'
import { z } from 'zod'
import { MonitorError } from './errors.js'
import type { WindowDrift } from './internal/driftEngine.js'
import { windowDriftFromJSON } from './internal/driftEngine.js'
import { summarizeWindow } from './internal/summarizeWindow.js'
import type { WindowSummary } from './types.js'

export const WINDOW_STATE_FORMAT = 'modelgate.monitor.window'

/** One replica's state of one window, as exported for `mergeWindowStates` (no raw event in it: counts and sketches). */
export const windowStateSchema = z
  .object({
    format: z.literal(WINDOW_STATE_FORMAT),
    version: z.literal(1),
    replica: z.string(),
    start: z.number(),
    end: z.number(),
    events: z.number().int().nonnegative(),
    errors: z.number().int().nonnegative(),
    drift: z.unknown(),
    latency: z.unknown(),
  })
  .strict()

export type WindowStateJSON = z.infer<typeof windowStateSchema>

export function windowStateJSON(w: {
  readonly replica: string
  readonly start: number
  readonly windowMs: number
  readonly events: number
  readonly errors: number
  readonly drift: WindowDrift | null
  readonly latency: LatencyHistogram | null
}): WindowStateJSON {
  return {
    format: WINDOW_STATE_FORMAT,
    version: 1,
    replica: w.replica,
    start: w.start,
    end: w.start + w.windowMs,
    events: w.events,
    errors: w.errors,
    drift: w.drift === null ? null : w.drift.toJSON(),
    latency: w.latency === null ? null : w.latency.toJSON(),
  }
}

export interface MergeWindowStatesOptions {
  readonly slo?: Slo
  /** As `createMonitor`'s: sets α of the drift methods. Default 1,000. */
  readonly expectedWindowsBetweenFalseAlarms?: number
  readonly methods?: readonly string[]
  /** Names of the inputs, for errors (same order as the states). */
  readonly sources?: readonly string[]
}

export interface MergedWindows {
  /** One summary per window start, oldest first, each over every replica's events. */
  readonly windows: readonly (WindowSummary & { readonly replicas: readonly string[] })[]
  /** The fleet report: one sub-report per window (drift's checks, the SLO). */
  readonly report: Report
}

/**
 * The fleet verdict of several replicas that share a stream (a Redis consumer group, a JetStream durable consumer):
 * their exported window states are merged per window (drift's state merge: counts add, sketches merge; latency
 * histograms merge) and evaluated as one process would have — within the sketches' stated error for the KS p-values,
 * exactly for counts, null rates and distances on bins.
 */
export function mergeWindowStates(
  baseline: Baseline,
  states: readonly unknown[],
  options: MergeWindowStatesOptions = {},
): MergedWindows {
  const alpha = 1 / (options.expectedWindowsBetweenFalseAlarms ?? 1000)
  const methods = [
    `numeric=ks:${alpha}`,
    `categorical=chisquare:${alpha}`,
    `binary=z:${alpha}`,
    ...(options.methods ?? []),
  ]
  const byStart = new Map<
    number,
    {
      end: number
      events: number
      errors: number
      drift: WindowDrift
      latency: LatencyHistogram | null
      replicas: string[]
    }
  >()
  states.forEach((value, i) => {
    const where = options.sources?.[i] ?? `window state ${i + 1}`
    const parsed = windowStateSchema.safeParse(value)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new MonitorError(
        'MG_MONITOR_STATE_INVALID',
        `${where} is not a monitor window state (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}).`,
      )
    }
    const s = parsed.data
    if (s.drift === null)
      throw new MonitorError(
        'MG_MONITOR_STATE_INVALID',
        `${where} holds no drift state (a monitor without a baseline).`,
      )
    const drift = windowDriftFromJSON(baseline, s.drift)
    const latency = s.latency === null ? null : decodeLatencyHistogram(s.latency as never, 'ms')
    const into = byStart.get(s.start)
    if (into === undefined) {
      byStart.set(s.start, { end: s.end, events: s.events, errors: s.errors, drift, latency, replicas: [s.replica] })
      return
    }
    if (into.end !== s.end) {
      throw new MonitorError(
        'MG_MONITOR_STATE_INVALID',
        `${where}: window ${s.start} has another size than the other replicas'.`,
      )
    }
    into.events += s.events
    into.errors += s.errors
    into.drift.merge(drift)
    into.latency = into.latency === null ? latency : latency === null ? into.latency : into.latency.merge(latency)
    into.replicas.push(s.replica)
  })
  const windows: (WindowSummary & { replicas: string[] })[] = []
  const reports: Report[] = []
  for (const [start, w] of [...byStart].sort((a, b) => a[0] - b[0])) {
    const { summary, report } = summarizeWindow(
      { start, ...w },
      { slo: options.slo, driftOptions: { alpha, methods }, evaluatedAt: Date.now() },
    )
    windows.push({ ...summary, replicas: w.replicas })
    const title = `window ${new Date(start).toISOString()} (${w.events} events, ${w.replicas.length} replica(s))`
    const sloCheck =
      summary.slo === null
        ? []
        : [
            {
              id: 'monitor.slo',
              name: summary.slo.objective,
              group: 'SLO',
              verdict: summary.slo.verdict,
              message:
                summary.slo.observed === null
                  ? `${summary.slo.objective}: no latency in the window`
                  : `${summary.slo.objective}: observed ${summary.slo.observed.toFixed(3)}`,
              ...(summary.slo.observed === null ? {} : { metrics: { observed: summary.slo.observed } }),
            },
          ]
    reports.push(
      createReport({
        kind: 'monitor.window',
        title,
        checks: [...(report?.checks ?? []), ...sloCheck],
        summary: { events: w.events, replicas: w.replicas.length },
      }),
    )
  }
  return {
    windows,
    report: createReport({
      kind: 'monitor.merge',
      title: `Fleet verdict over ${windows.length} window(s)`,
      checks: [],
      reports,
      summary: { windows: windows.length, events: windows.reduce((a, w) => a + w.events, 0) },
    }),
  }
}
