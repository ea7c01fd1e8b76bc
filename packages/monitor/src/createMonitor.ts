import { mkdirSync } from 'node:fs'
import type { Slo } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import type { LatencyHistogram } from '@modelgate/stats'
import { createLatencyHistogram, decodeLatencyHistogram } from '@modelgate/stats'
import type { CalibrateOption } from './calibrateThresholds.js'
import type { DeadLetter } from './createDeadLetter.js'
import { createDeadLetter } from './createDeadLetter.js'
import type { BadEventReason } from './createEventValidator.js'
import { createEventValidator } from './createEventValidator.js'
import type { MonitorMetrics } from './createMonitorMetrics.js'
import { createMonitorMetrics } from './createMonitorMetrics.js'
import { createRedactor } from './createRedactor.js'
import { MonitorError } from './errors.js'
import { createWindowPublisher } from './internal/createWindowPublisher.js'
import type { WindowDrift } from './internal/driftEngine.js'
import { createWindowDrift, windowDriftFromJSON } from './internal/driftEngine.js'
import { calibrationHook, driftSettings } from './internal/driftSettings.js'
import { LabelJoin } from './internal/LabelJoin.js'
import { RequestIdSet } from './internal/RequestIdSet.js'
import type { WindowParts } from './internal/summarizeWindow.js'
import type { MonitorStatus } from './MonitorStatus.js'
import type { AlertRule, WebhookTarget } from './monitorConfig.js'
import { defaultRules } from './monitorConfig.js'
import type { MonitorSnapshot, SnapshotWindow } from './monitorSnapshot.js'
import { MONITOR_SNAPSHOT_FORMAT, parseMonitorSnapshot } from './monitorSnapshot.js'
import type { WebhookDelivery } from './sendWebhook.js'
import type { Alert, WindowSummary } from './types.js'

export interface MonitorOptions {
  /** The drift baseline (`loadBaseline`); without one only events, latency and the SLO are watched. */
  readonly baseline?: Baseline
  /** Event-time window. Default 60 s. */
  readonly windowMs?: number
  /**
   * Sliding windows: a window of `windowMs` is evaluated every `hopMs` (a whole divisor of it), over the merged states
   * of its hops. Default `windowMs` (tumbling windows).
   */
  readonly hopMs?: number
  /** How long after its end a window still takes events (later ones are counted as late). Default 5 s. */
  readonly latenessMs?: number
  readonly slo?: Slo
  /**
   * N, the false-alarm budget: under no drift, a window alarms at most once in N on average. Sets α = 1/N for drift's
   * p-value methods (Holm across features) and its null-rate test, or, with `calibrate`, the bootstrap. Default 1,000.
   */
  readonly expectedWindowsBetweenFalseAlarms?: number
  /** Thresholds by bootstrap on the reference (`calibrateThresholds`, blocking) instead of α = 1/N; needs a baseline. */
  readonly calibrate?: CalibrateOption
  /**
   * Drift method specs (`amount=psi:0.2`), after the monitor's defaults (`numeric=ks:α`, `categorical=chisquare:α`,
   * `binary=z:α`): p-value tests, whose false-alarm rate does not depend on the window's size as fixed distance
   * thresholds do.
   */
  readonly methods?: readonly string[]
  /** Options passed to drift's `evaluate` (`failOn`, `alpha`, `nullRateIncrease` …). */
  readonly driftOptions?: Readonly<Record<string, unknown>>
  /** Alert rules; default `defaultRules({ slo })`. */
  readonly rules?: readonly AlertRule[]
  /** Where every alert is POSTed (a rule's own webhooks are added). */
  readonly webhooks?: readonly (string | WebhookTarget)[]
  /** Backoff of webhook retries (first wait). Default 500 ms. */
  readonly webhookBackoffMs?: number
  /** Refused events, redacted, as JSON lines. */
  readonly deadLetterPath?: string
  /**
   * Each evaluated window's mergeable state is written here (`window-<start>-<replica>.json`) for
   * `mergeWindowStates` / `modelgate monitor merge`: several replicas on one stream make one fleet verdict.
   */
  readonly exportDir?: string
  /** This replica's name in exported window states. Default `monitor-<pid>`. */
  readonly replica?: string
  /** Every alert with its evidence, as JSON lines. */
  readonly alertsPath?: string
  /** Evaluated windows kept for `/v1/windows`. Default 1,440 (a day of 60 s windows). */
  readonly historySize?: number
  /** Inferences kept waiting for their late label. Default 100,000. */
  readonly labelBufferSize?: number
  /** How long an inference waits for its label. Default 1 h. */
  readonly labelTtlMs?: number
  /** The label value of the positive class (besides `true`, `1`, `"1"`, `"true"`), e.g. `"fraud"`. */
  readonly positiveLabel?: string | number | boolean
  /** Request ids remembered to drop redeliveries. Default 100,000. */
  readonly dedupSize?: number
  /** Events buffered per window before they go into its drift state. Default 2,048. */
  readonly chunkSize?: number
  /** Windows that may be open at once; an event that would open another is refused (`bad_timestamp`). Default 64. */
  readonly maxOpenWindows?: number
  /** Clock (epoch ms). */
  readonly now?: () => number
  readonly metrics?: MonitorMetrics
  readonly onWindow?: (window: WindowSummary) => void
  readonly onAlert?: (alert: Alert) => void
  readonly onDelivery?: (alert: Alert, url: string, delivery: WebhookDelivery) => void
  /** A checkpoint written by `snapshot()` to resume from (open windows, request ids, totals, recent history). */
  readonly restore?: MonitorSnapshot
}

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

interface OpenWindow {
  readonly start: number
  readonly end: number
  events: number
  errors: number
  readonly drift: WindowDrift | null
  pending: unknown[]
  latency: LatencyHistogram | null
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
    calibrate: calibrationHook({ baseline, rules, budget, user: options }),
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
  const totals = { accepted: 0, late: 0, duplicates: 0, labels: 0, alerts: 0 }
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
    let drift: WindowDrift | null = null
    if (baseline !== undefined) {
      drift = createWindowDrift(baseline, { methods })
      for (const p of parts) if (p.drift !== null) drift.merge(p.drift)
    }
    let latency: LatencyHistogram | null = null
    for (const p of parts) {
      if (p.latency === null) continue
      latency ??= createLatencyHistogram({ unit: 'ms' })
      latency.merge(p.latency)
    }
    const first = parts[0] as OpenWindow
    return {
      start: first.start,
      end: w.end,
      events: parts.reduce((a, p) => a + p.events, 0),
      errors: parts.reduce((a, p) => a + p.errors, 0),
      drift,
      latency,
    }
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

  if (options.restore !== undefined) {
    const r = parseMonitorSnapshot(options.restore, { windowMs: unitMs, baseline: baseline !== undefined })
    maxEventTime = r.maxEventTime ?? Number.NEGATIVE_INFINITY
    wallAtMax = now()
    closedBefore = r.closedBefore ?? Number.NEGATIVE_INFINITY
    for (const id of r.seen) seen.add(id)
    Object.assign(totals, r.totals)
    Object.assign(refusedTotals, r.refused)
    sinceBad = { ...r.since.bad }
    sinceLate = r.since.late
    sinceDuplicates = r.since.duplicates
    history.push(...(r.history as WindowSummary[]))
    const restoreWindow = (w: SnapshotWindow): OpenWindow => ({
      start: w.start,
      end: w.start + unitMs,
      events: w.events,
      errors: w.errors,
      drift: baseline === undefined || w.drift === null ? null : windowDriftFromJSON(baseline, w.drift),
      pending: [],
      latency: w.latency === null ? null : decodeLatencyHistogram(w.latency as never, 'ms'),
    })
    for (const w of r.open) open.set(w.start, restoreWindow(w))
    // The closed hops of the sliding window in progress, and the inferences waiting for their labels.
    for (const h of r.hops ?? []) hops.push(restoreWindow(h))
    if (r.labels !== undefined) labelJoin.restore(r.labels)
    if (r.realized !== undefined) publisher.realized.restore(r.realized)
  }

  const snapshot = (extra: Readonly<Record<string, unknown>> = {}): MonitorSnapshot => {
    for (const w of open.values()) flushPending(w)
    return {
      format: MONITOR_SNAPSHOT_FORMAT,
      version: 1,
      writtenAt: new Date(now()).toISOString(),
      windowMs: unitMs,
      maxEventTime: Number.isFinite(maxEventTime) ? maxEventTime : null,
      closedBefore: Number.isFinite(closedBefore) ? closedBefore : null,
      open: [...open.values()].map(snapshotWindow),
      hops: hops.map((h) => closedHops.get(h) ?? (closedHops.set(h, snapshotWindow(h)).get(h) as SnapshotWindow)),
      labels: labelJoin.toJSON(),
      realized: publisher.realized.toJSON(),
      seen: seen.toJSON(),
      totals: { ...totals },
      refused: { ...refusedTotals },
      since: { bad: { ...sinceBad }, late: sinceLate, duplicates: sinceDuplicates },
      history: history.slice(-100),
      extra: { ...extra },
    }
  }

  /** A closed hop's state does not change: serialized once for all the checkpoints that hold it. */
  const closedHops = new WeakMap<OpenWindow, SnapshotWindow>()
  const snapshotWindow = (w: OpenWindow): SnapshotWindow => ({
    start: w.start,
    events: w.events,
    errors: w.errors,
    drift: w.drift === null ? null : w.drift.toJSON(),
    latency: w.latency === null ? null : w.latency.toJSON(),
  })

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
