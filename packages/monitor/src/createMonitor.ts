import { mkdirSync } from 'node:fs'
import { createLatencyHistogram } from '@modelgate/stats'
import type { DeadLetter } from './createDeadLetter.js'
import { createDeadLetter } from './createDeadLetter.js'
import type { BadEventReason } from './createEventValidator.js'
import { createEventValidator } from './createEventValidator.js'
import type { MonitorMetrics } from './createMonitorMetrics.js'
import { createMonitorMetrics } from './createMonitorMetrics.js'
import { createRedactor } from './createRedactor.js'
import { MonitorError } from './errors.js'
import { createWindowPublisher } from './internal/createWindowPublisher.js'
import { createWindowDrift } from './internal/driftEngine.js'
import { calibrationHook, driftSettings } from './internal/driftSettings.js'
import { LabelJoin } from './internal/LabelJoin.js'
import type { MonitorTotals } from './internal/monitorCheckpoint.js'
import { createMonitorCheckpoint } from './internal/monitorCheckpoint.js'
import type { OpenWindow } from './internal/OpenWindow.js'
import { mergeHops } from './internal/OpenWindow.js'
import { RequestIdSet } from './internal/RequestIdSet.js'
import type { WindowParts } from './internal/summarizeWindow.js'
import type { MonitorOptions } from './MonitorOptions.js'
import type { MonitorStatus } from './MonitorStatus.js'
import type { WebhookTarget } from './monitorConfig.js'
import { defaultRules } from './monitorConfig.js'
import type { MonitorSnapshot } from './monitorSnapshot.js'
import type { WindowSummary } from './types.js'

export interface IngestResult {
  readonly accepted: number
  readonly refused: number
  readonly late: number
  readonly duplicates: number
  readonly labels: number
}

export interface Monitor {
  readonly metrics: MonitorMetrics
  /** Validates and counts a batch of parsed JSON values (events or labels). */
  ingest(values: readonly unknown[], source?: string): IngestResult
  /** Counts values that never became JSON (a JSONL line, a body): reason `invalid_json`. */
  refuse(reason: BadEventReason, problem: string, source: string, count?: number): void
  /** Counts stream entries delivered again that the monitor already holds (acknowledged, not counted again). */
  redelivered(count: number): void
  /** Evaluates every window whose end the watermark has passed (called by the timer of `start()`). */
  tick(): WindowSummary[]
  /** Evaluates every open window now (shutdown, tests). */
  flush(): WindowSummary[]
  status(): MonitorStatus
  /** Evaluated windows with `end > since` (epoch ms), oldest first. */
  windows(since?: number): WindowSummary[]
  /** Everything needed to resume after a crash: open windows' state, remembered request ids, totals, history. */
  snapshot(extra?: Readonly<Record<string, unknown>>): MonitorSnapshot
  /** Events accepted since the start (a counter sources and checkpoints compare). */
  readonly accepted: number
  /** Starts the window timer. */
  start(): void
  /** Stops the timer, waits for webhook deliveries in flight and closes the dead letter. */
  close(options?: { readonly flush?: boolean }): Promise<void>
}

/**
 * The monitor's engine, independent of where events come from: validation (the compiled event schema), de-duplication
 * by request id, event-time tumbling windows with a lateness bound, per-window drift state (drift's mergeable
 * state), an HDR latency histogram, the SLO, rules and webhooks, dead letters and metrics.
 *
 * The watermark is the latest event time seen, advanced by the wall clock since that event arrived (so windows close
 * when traffic stops, and a fast replay of old events closes them at its own pace), minus the lateness bound.
 */
export function createMonitor(options: MonitorOptions = {}): Monitor {
  const windowMs = options.windowMs ?? 60_000
  /** The tumbling unit: the hop of a sliding window, or the window itself. */
  const unitMs = options.hopMs ?? windowMs
  const span = windowMs / unitMs
  const latenessMs = options.latenessMs ?? 5_000
  if (!(unitMs >= 10) || !(latenessMs >= 0) || !Number.isInteger(span) || span < 1 || span > 1000) {
    throw new MonitorError(
      'MG_MONITOR_BAD_OPTION',
      `createMonitor: window and hop must be ≥ 10 ms, the window a whole multiple of the hop (at most 1,000), and lateness ≥ 0.`,
    )
  }
  const now = options.now ?? Date.now
  const chunkSize = options.chunkSize ?? 2048
  const maxOpen = options.maxOpenWindows ?? 64
  const historySize = options.historySize ?? 1440
  const baseline = options.baseline
  const budget = options.expectedWindowsBetweenFalseAlarms ?? 1000
  if (!(budget >= 1)) {
    throw new MonitorError(
      'MG_MONITOR_BAD_OPTION',
      `createMonitor: expectedWindowsBetweenFalseAlarms must be ≥ 1, got ${budget}.`,
    )
  }
  const { methods, driftOptions } = driftSettings(1 / budget, 1 / budget, options)
  const metrics = options.metrics ?? createMonitorMetrics()
  const validate = createEventValidator()
  const redact = createRedactor(baseline)
  const deadLetter: DeadLetter | null =
    options.deadLetterPath === undefined ? null : createDeadLetter(options.deadLetterPath)
  const rules = options.rules ?? defaultRules({ slo: options.slo, drift: baseline !== undefined })
  const seen = new RequestIdSet(options.dedupSize ?? 100_000)
  const positiveLabel = options.positiveLabel
  const labelTtlMs = options.labelTtlMs ?? 3_600_000
  const labelJoin = new LabelJoin(
    options.labelBufferSize ?? 100_000,
    labelTtlMs,
    (label) =>
      label === true ||
      label === 1 ||
      label === '1' ||
      label === 'true' ||
      (positiveLabel !== undefined && label === positiveLabel),
  )
  const open = new Map<number, OpenWindow>()
  const startedAt = new Date(now()).toISOString()
  if (options.exportDir !== undefined) mkdirSync(options.exportDir, { recursive: true })
  const publisher = createWindowPublisher({
    slo: options.slo,
    driftOptions,
    rules,
    calibrate: calibrationHook({
      baseline,
      rules,
      budget,
      user: options,
      onProgress: (v) => metrics.calibration.set(v),
    }),
    calibrateNow: options.calibrate?.windowEvents,
    webhooks: (options.webhooks ?? []).map((w): WebhookTarget => (typeof w === 'string' ? { url: w } : w)),
    webhookBackoffMs: options.webhookBackoffMs,
    alertsPath: options.alertsPath,
    exportDir: options.exportDir,
    replica: options.replica ?? `monitor-${process.pid}`,
    historySize,
    labelJoin,
    labelTtlMs,
    metrics,
    now,
    onWindow: options.onWindow,
    onAlert: options.onAlert,
    onDelivery: options.onDelivery,
  })
  const history = publisher.history
  const totals: MonitorTotals = { accepted: 0, late: 0, duplicates: 0, labels: 0, alerts: 0 }
  const refusedTotals: Record<string, number> = {}
  // Counted since the last evaluated window, and reported with the next one.
  let sinceBad: Partial<Record<BadEventReason, number>> = {}
  let sinceLate = 0
  let sinceDuplicates = 0
  let maxEventTime = Number.NEGATIVE_INFINITY
  let wallAtMax = 0
  /** Every window ending at or before this is closed. */
  let closedBefore = Number.NEGATIVE_INFINITY
  let timer: NodeJS.Timeout | undefined

  const refuse = (reason: BadEventReason, problem: string, source: string, count = 1, event?: unknown): void => {
    metrics.badEvents.inc({ reason }, count)
    metrics.events.inc({ result: reason === 'late' ? 'late' : 'invalid' }, count)
    refusedTotals[reason] = (refusedTotals[reason] ?? 0) + count
    sinceBad[reason] = (sinceBad[reason] ?? 0) + count
    if (deadLetter !== null) {
      for (let i = 0; i < count; i++) {
        deadLetter.write({ reason, problem, source, event: event === undefined ? null : redact(event) })
      }
    }
  }

  const empty = (start: number): OpenWindow => ({
    start,
    end: start + unitMs,
    events: 0,
    errors: 0,
    drift: baseline === undefined ? null : createWindowDrift(baseline, { methods }),
    pending: [],
    latency: null,
  })

  const openWindow = (start: number): OpenWindow | null => {
    let w = open.get(start)
    if (w === undefined) {
      if (open.size >= maxOpen) return null
      w = empty(start)
      open.set(start, w)
    }
    return w
  }

  const flushPending = (w: OpenWindow): void => {
    if (w.pending.length === 0) return
    w.drift?.add(w.pending)
    w.pending = []
  }

  const ingest = (values: readonly unknown[], source = 'api'): IngestResult => {
    let accepted = 0
    let refused = 0
    let late = 0
    let duplicates = 0
    let labels = 0
    for (const value of values) {
      const v = validate(value)
      if (v.kind === 'bad') {
        refuse(v.reason, v.problem, source, 1, value)
        refused++
        continue
      }
      if (v.kind === 'label') {
        metrics.labels.inc({ result: labelJoin.addLabel(v.event.request_id, v.event.label) ? 'joined' : 'unmatched' })
        labels++
        continue
      }
      const start = Math.floor(v.time / unitMs) * unitMs
      if (start + unitMs <= closedBefore) {
        refuse('late', `event time is before the open windows (lateness bound ${latenessMs} ms)`, source, 1, value)
        totals.late++
        sinceLate++
        late++
        continue
      }
      if (!seen.add(v.event.request_id)) {
        duplicates++
        continue
      }
      const w = openWindow(start)
      if (w === null) {
        refuse('bad_timestamp', `event time opens more than ${maxOpen} windows at once`, source, 1, value)
        refused++
        continue
      }
      if (v.time > maxEventTime) {
        maxEventTime = v.time
        wallAtMax = now()
      }
      w.events++
      if (v.event.error === true) w.errors++
      const score = v.event.prediction?.score
      if (score !== undefined) labelJoin.addInference(v.event.request_id, score, now(), start)
      const latency = v.event.latency_ms
      if (latency !== undefined) {
        w.latency ??= createLatencyHistogram({ unit: 'ms' })
        w.latency.record(latency)
        metrics.latency.observe(latency / 1000)
      }
      if (w.drift !== null) {
        w.pending.push(v.event)
        if (w.pending.length >= chunkSize) flushPending(w)
      }
      accepted++
    }
    totals.accepted += accepted
    totals.duplicates += duplicates
    totals.labels += labels
    sinceDuplicates += duplicates
    if (accepted > 0) metrics.events.inc({ result: 'accepted' }, accepted)
    if (duplicates > 0) metrics.events.inc({ result: 'duplicate' }, duplicates)
    if (labels > 0) metrics.events.inc({ result: 'label' }, labels)
    return { accepted, refused, late, duplicates, labels }
  }

  const watermark = (): number =>
    maxEventTime === Number.NEGATIVE_INFINITY
      ? Number.NEGATIVE_INFINITY
      : maxEventTime + (now() - wallAtMax) - latenessMs

  /** The last hops (closed, oldest first) of a sliding window. */
  const hops: OpenWindow[] = []
  /** A sliding window ending with hop `w`: the merged states of the hops before it (up to `span`) and `w`. */
  const slide = (w: OpenWindow): WindowParts => {
    const parts = [...hops.filter((h) => h.start >= w.end - windowMs), w]
    hops.push(w)
    if (hops.length >= span) hops.splice(0, hops.length - (span - 1))
    return mergeHops(parts, { baseline, methods })
  }

  const evaluate = (w: OpenWindow): WindowSummary => {
    const startedMs = performance.now()
    flushPending(w)
    const since = { bad: sinceBad, late: sinceLate, duplicates: sinceDuplicates }
    sinceBad = {}
    sinceLate = 0
    sinceDuplicates = 0
    const parts = span === 1 ? w : slide(w)
    const done = publisher.publish({ parts, unit: { ...w, windowMs: unitMs }, since, startedMs })
    totals.alerts += done.alerts.length
    return done
  }

  /** Closes windows up to `until` (exclusive end), in order, with empty windows for gaps after the first. */
  const closeUntil = (until: number): WindowSummary[] => {
    const out: WindowSummary[] = []
    const due = [...open.values()].filter((w) => w.end <= until).sort((a, b) => a.start - b.start)
    // Gaps between windows (no traffic at all) become empty windows, so "events < N" rules can see them; at most
    // a day of them at once.
    let expected = closedBefore
    for (const w of due) {
      if (Number.isFinite(expected)) {
        for (let s = expected; s < w.start && out.length < historySize; s += unitMs) out.push(evaluate(empty(s)))
      }
      open.delete(w.start)
      out.push(evaluate(w))
      expected = w.end
      closedBefore = Math.max(closedBefore, w.end)
    }
    if (Number.isFinite(closedBefore) && open.size === 0) {
      for (let s = closedBefore; s + unitMs <= until && out.length < historySize; s += unitMs) {
        out.push(evaluate(empty(s)))
        closedBefore = s + unitMs
      }
    }
    return out
  }

  const checkpoint = createMonitorCheckpoint({
    unitMs,
    baseline,
    open,
    hops,
    seen,
    labelJoin,
    realized: publisher.realized,
    history,
    totals,
    refused: refusedTotals,
    now,
    flushPending,
  })
  if (options.restore !== undefined) {
    const r = checkpoint.restore(options.restore)
    maxEventTime = r.maxEventTime
    wallAtMax = now()
    closedBefore = r.closedBefore
    sinceBad = r.since.bad
    sinceLate = r.since.late
    sinceDuplicates = r.since.duplicates
  }
  const snapshot = (extra: Readonly<Record<string, unknown>> = {}): MonitorSnapshot =>
    checkpoint.snapshot(
      { maxEventTime, closedBefore, since: { bad: sinceBad, late: sinceLate, duplicates: sinceDuplicates } },
      extra,
    )

  return {
    metrics,
    ingest,
    snapshot,
    get accepted() {
      return totals.accepted
    },
    refuse: (reason, problem, source, count = 1) => refuse(reason, problem, source, count),
    redelivered(count) {
      totals.duplicates += count
      sinceDuplicates += count
      metrics.events.inc({ result: 'duplicate' }, count)
    },
    tick: () => closeUntil(watermark()),
    flush: () => {
      const ends = [...open.values()].map((w) => w.end)
      return ends.length === 0 ? [] : closeUntil(Math.max(...ends))
    },
    status: () => ({
      startedAt,
      windowMs,
      hopMs: unitMs,
      latenessMs,
      baseline: baseline !== undefined,
      slo: options.slo?.source ?? null,
      rules: rules.map((r) => r.name),
      totals: { ...totals, refused: { ...refusedTotals } },
      openWindows: [...open.values()]
        .sort((a, b) => a.start - b.start)
        .map((w) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), events: w.events })),
      watermark: Number.isFinite(watermark()) ? new Date(watermark()).toISOString() : null,
      lastWindow: history.at(-1) ?? null,
      calibration: publisher.calibration,
      calibrationProgress: publisher.calibrationProgress,
    }),
    windows: (since = Number.NEGATIVE_INFINITY) => history.filter((w) => w.end > since),
    start() {
      if (timer !== undefined) return
      timer = setInterval(() => closeUntil(watermark()), Math.max(20, Math.min(250, unitMs / 8)))
      timer.unref()
    },
    async close(closeOptions = {}) {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      if (closeOptions.flush === true) {
        const ends = [...open.values()].map((w) => w.end)
        if (ends.length > 0) closeUntil(Math.max(...ends))
      }
      await publisher.settle()
      await deadLetter?.close()
    },
  }
}
