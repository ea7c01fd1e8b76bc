import type { Baseline } from '@modelgate/drift'
import { decodeLatencyHistogram } from '@modelgate/stats'
import type { BadEventReason } from '../createEventValidator.js'
import type { MonitorSnapshot, SnapshotWindow } from '../monitorSnapshot.js'
import { MONITOR_SNAPSHOT_FORMAT, parseMonitorSnapshot } from '../monitorSnapshot.js'
import type { WindowSummary } from '../types.js'
import { windowDriftFromJSON } from './driftEngine.js'
import type { LabelJoin } from './LabelJoin.js'
import type { OpenWindow } from './OpenWindow.js'
import type { RealizedByWindow } from './RealizedByWindow.js'
import type { RequestIdSet } from './RequestIdSet.js'

/** The monitor's running totals (kept across restarts). */
export interface MonitorTotals {
  accepted: number
  late: number
  duplicates: number
  labels: number
  alerts: number
}

/** The monitor's state objects a checkpoint reads (snapshot) and fills (restore). */
export interface CheckpointParts {
  /** The tumbling unit (a window, or a sliding window's hop). */
  readonly unitMs: number
  readonly baseline: Baseline | undefined
  readonly open: Map<number, OpenWindow>
  /** The closed hops of the sliding window in progress, oldest first. */
  readonly hops: OpenWindow[]
  readonly seen: RequestIdSet
  readonly labelJoin: LabelJoin
  readonly realized: RealizedByWindow
  readonly history: WindowSummary[]
  readonly totals: MonitorTotals
  readonly refused: Record<string, number>
  readonly now: () => number
  /** Adds a window's buffered events to its drift state (before it is written). */
  readonly flushPending: (w: OpenWindow) => void
}

/** The monitor's scalar state (its watermark and what was counted since the last evaluated window). */
interface CheckpointClock {
  readonly maxEventTime: number
  readonly closedBefore: number
  readonly since: {
    readonly bad: Partial<Record<BadEventReason, number>>
    readonly late: number
    readonly duplicates: number
  }
}

export interface MonitorCheckpoint {
  /** Everything needed to resume after a crash (`Monitor.snapshot()`). */
  snapshot(clock: CheckpointClock, extra: Readonly<Record<string, unknown>>): MonitorSnapshot
  /** Fills the parts from a checkpoint and gives back its clock. */
  restore(snapshot: MonitorSnapshot): CheckpointClock
}

/** Writes and reads the monitor's checkpoint (`MonitorSnapshot`): open windows, closed hops, label join, ids, totals. */
export function createMonitorCheckpoint(parts: CheckpointParts): MonitorCheckpoint {
  const { unitMs, baseline, open, hops } = parts
  /** A closed hop's state does not change: serialized once for all the checkpoints that hold it. */
  const closedHops = new WeakMap<OpenWindow, SnapshotWindow>()
  const snapshotWindow = (w: OpenWindow): SnapshotWindow => ({
    start: w.start,
    events: w.events,
    errors: w.errors,
    drift: w.drift === null ? null : w.drift.toJSON(),
    latency: w.latency === null ? null : w.latency.toJSON(),
  })
  const restoreWindow = (w: SnapshotWindow): OpenWindow => ({
    start: w.start,
    end: w.start + unitMs,
    events: w.events,
    errors: w.errors,
    drift: baseline === undefined || w.drift === null ? null : windowDriftFromJSON(baseline, w.drift),
    pending: [],
    latency: w.latency === null ? null : decodeLatencyHistogram(w.latency as never, 'ms'),
  })

  return {
    snapshot(clock, extra) {
      for (const w of open.values()) parts.flushPending(w)
      return {
        format: MONITOR_SNAPSHOT_FORMAT,
        version: 1,
        writtenAt: new Date(parts.now()).toISOString(),
        windowMs: unitMs,
        maxEventTime: Number.isFinite(clock.maxEventTime) ? clock.maxEventTime : null,
        closedBefore: Number.isFinite(clock.closedBefore) ? clock.closedBefore : null,
        open: [...open.values()].map(snapshotWindow),
        hops: hops.map((h) => closedHops.get(h) ?? (closedHops.set(h, snapshotWindow(h)).get(h) as SnapshotWindow)),
        labels: parts.labelJoin.toJSON(),
        realized: parts.realized.toJSON(),
        seen: parts.seen.toJSON(),
        totals: { ...parts.totals },
        refused: { ...parts.refused },
        since: { bad: { ...clock.since.bad }, late: clock.since.late, duplicates: clock.since.duplicates },
        history: parts.history.slice(-100),
        extra: { ...extra },
      }
    },
    restore(snapshot) {
      const r = parseMonitorSnapshot(snapshot, { windowMs: unitMs, baseline: baseline !== undefined })
      for (const id of r.seen) parts.seen.add(id)
      Object.assign(parts.totals, r.totals)
      Object.assign(parts.refused, r.refused)
      parts.history.push(...(r.history as WindowSummary[]))
      for (const w of r.open) open.set(w.start, restoreWindow(w))
      // The closed hops of the sliding window in progress, and the inferences waiting for their labels.
      for (const h of r.hops ?? []) hops.push(restoreWindow(h))
      if (r.labels !== undefined) parts.labelJoin.restore(r.labels)
      if (r.realized !== undefined) parts.realized.restore(r.realized)
      return {
        maxEventTime: r.maxEventTime ?? Number.NEGATIVE_INFINITY,
        closedBefore: r.closedBefore ?? Number.NEGATIVE_INFINITY,
        since: { bad: { ...r.since.bad }, late: r.since.late, duplicates: r.since.duplicates },
      }
    },
  }
}
