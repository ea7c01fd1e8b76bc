import { z } from 'zod'
import { MonitorError } from './errors.js'

export const MONITOR_SNAPSHOT_FORMAT = 'modelgate.monitor.checkpoint'

const count = z.number().int().nonnegative()
const label = z.number().int().min(0).max(1)

const windowSchema = z
  .object({
    start: z.number(),
    events: count,
    errors: count,
    /** drift's window state JSON (`DriftState.toJSON()`), validated by drift on restore. */
    drift: z.unknown(),
    latency: z.unknown(),
  })
  .strict()

/** One window's (or hop's) state in a checkpoint. */
export type SnapshotWindow = z.infer<typeof windowSchema>

/** A monitor checkpoint (`Monitor.snapshot()`), as written to `<state-dir>/checkpoint.json`. */
export const monitorSnapshotSchema = z
  .object({
    format: z.literal(MONITOR_SNAPSHOT_FORMAT),
    version: z.literal(1),
    writtenAt: z.string(),
    windowMs: z.number().positive(),
    maxEventTime: z.number().nullable(),
    closedBefore: z.number().nullable(),
    open: z.array(windowSchema),
    /** The closed hops of a sliding window in progress (at most window / slide − 1). */
    hops: z.array(windowSchema).optional(),
    /** The late-label join: inferences waiting for their label, and the pairs joined and not yet reported. */
    labels: z
      .object({
        /** By column, oldest first: ids, scores (float64, base64), arrival and window unit (differences). */
        waiting: z
          .object({ ids: z.array(z.string()), scores: z.string(), at: z.array(z.number()), units: z.array(z.number()) })
          .strict(),
        scores: z.array(z.number()),
        labels: z.array(label),
        byUnit: z.array(z.tuple([z.number(), z.array(z.number()), z.array(label)])),
        joined: count,
        unmatched: count,
        evicted: count,
      })
      .strict()
      .optional(),
    /** The labelled pairs of recent window units, for their realized performance as later labels arrive. */
    realized: z
      .array(
        z
          .object({
            start: z.number(),
            scores: z.array(z.number()),
            labels: z.array(label),
            seen: count,
            closedAt: z.number().nullable(),
          })
          .strict(),
      )
      .optional(),
    seen: z.array(z.string()),
    totals: z.object({ accepted: count, late: count, duplicates: count, labels: count, alerts: count }).strict(),
    refused: z.record(count),
    since: z.object({ bad: z.record(count), late: count, duplicates: count }).strict(),
    history: z.array(z.unknown()),
    /** Positions of the sources (a tailed file's offset …). */
    extra: z.record(z.unknown()),
  })
  .strict()

export type MonitorSnapshot = z.infer<typeof monitorSnapshotSchema>

/** Validates a checkpoint for a monitor of this window size (and with or without a baseline, as it was written). */
export function parseMonitorSnapshot(
  value: unknown,
  expect: { readonly windowMs: number; readonly baseline: boolean; readonly source?: string },
): MonitorSnapshot {
  const where = expect.source ?? 'the checkpoint'
  const parsed = monitorSnapshotSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new MonitorError(
      'MG_MONITOR_STATE_INVALID',
      `${where} is not a monitor checkpoint (${issue?.path.join('.') || 'root'}: ${issue?.message ?? 'invalid'}).`,
    )
  }
  const s = parsed.data
  if (s.windowMs !== expect.windowMs) {
    throw new MonitorError(
      'MG_MONITOR_STATE_INVALID',
      `${where} was written with ${s.windowMs} ms windows; this monitor uses ${expect.windowMs} ms.`,
      { hint: 'Start with the same window, or with an empty state directory.' },
    )
  }
  if ([...s.open, ...(s.hops ?? [])].some((w) => (w.drift !== null && w.drift !== undefined) !== expect.baseline)) {
    throw new MonitorError(
      'MG_MONITOR_STATE_INVALID',
      `${where} was written ${expect.baseline ? 'without' : 'with'} a baseline; this monitor runs ${expect.baseline ? 'with' : 'without'} one.`,
    )
  }
  return s
}
