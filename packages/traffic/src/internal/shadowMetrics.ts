import type { Metric } from 'prom-client'
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client'
import type { ShadowPair } from '../ShadowPair.js'
import type { ShadowMirrorThreadStatus } from '../ShadowStatus.js'

/** Prometheus buckets for latency, in seconds (1 ms … 10 s). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Buckets of the proxy's own time, in seconds (50 µs … 1 s: the ≤ 2 ms target falls on a bucket edge). */
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.1, 1]
/** Score fields named in labels at most; the rest are counted under `(other)` (label cardinality stays bounded). */
const MAX_FIELD_LABELS = 32
const OTHER = '(other)'

/** The proxy thread's metrics: what it sees of every request (the primary's side). */
export interface ProxyMetrics {
  readonly registry: Registry
  /** A request forwarded to the primary. */
  countRequest(): void
  /** A request chosen for mirroring. */
  countMirrored(): void
  readonly skipped: Counter<'reason'>
  /** The primary's latency of every forwarded request, in seconds. */
  observePrimary(seconds: number): void
  /** The proxy's own time on a forwarded request (received → answered, minus the primary's time), in seconds. */
  observeOverhead(seconds: number): void
}

/** The mirror thread's metrics: the mirror queue and the pairs (their comparison, the candidate's latency, drift). */
interface PairMetrics {
  readonly registry: Registry
  readonly dropped: Counter<'reason'>
  readonly queueDepth: Gauge
  readonly inFlight: Gauge
  readonly driftVerdict: Gauge<'model'>
  /** Counts one finished pair: latencies, errors, score and label comparisons, field differences. */
  recordPair(pair: ShadowPair, tolerance: number): void
}

const DROPPED_HELP =
  'Mirrored requests dropped: queue_full (the mirror queue was full), stale (waited past the timeout), lost (with a lost mirror thread).'

/** 0 pass, 1 warn, 2 inconclusive, 3 fail (as the monitor's verdict gauges). */
export const VERDICT_CODE = { pass: 0, warn: 1, inconclusive: 2, fail: 3, skip: -1 } as const

/** A histogram as prom-client's `get()` gives it (what its registries read and AggregatorRegistry merges). */
interface HistogramExport {
  readonly name: string
  readonly help: string
  readonly type: 'histogram'
  readonly aggregator: 'sum'
  readonly values: readonly {
    readonly value: number
    readonly metricName: string
    readonly labels: Readonly<Record<string, string | number>>
  }[]
}

/** One series of a TalliedHistogram: counts per bucket (the last one `+Inf`), sum and count, in plain numbers. */
interface HistogramSeries {
  observe(value: number): void
}

/**
 * A Prometheus histogram counted in a typed array per series and handed to prom-client only when the registry is read.
 * prom-client's own `observe` builds a label object, validates and hashes it and turns the bucket bound into a property
 * key on every call — with three observations per proxied request, the largest share of the proxy's own work in its
 * CPU profile (bench/RESULTS.md, "Shadow proxy: per-request cost"). The registry reads it through `get()`, which
 * gives exactly what prom-client's Histogram gives (cumulative `_bucket` values with `le`, then `_sum` and `_count`,
 * per series; aggregator `sum`, so that the two threads' series merge); a series with a label appears once observed,
 * one without a label from the start (as prom-client's). Registered as a duck-typed metric (as prom-client's own
 * AggregatorRegistry registers its merged ones).
 */
class TalliedHistogram {
  readonly type = 'histogram'
  readonly aggregator = 'sum'
  private readonly series = new Map<string | undefined, { counts: Float64Array; sum: number; count: number }>()

  constructor(
    registers: readonly Registry[],
    readonly name: string,
    readonly help: string,
    private readonly buckets: readonly number[],
    private readonly labelName?: string,
  ) {
    if (labelName === undefined) this.bind(undefined)
    for (const registry of registers) registry.registerMetric(this as unknown as Metric)
  }

  /** The series of one label value (none for a histogram without a label), bound once. */
  bind(labelValue: string | undefined): HistogramSeries {
    let state = this.series.get(labelValue)
    if (state === undefined) {
      state = { counts: new Float64Array(this.buckets.length + 1), sum: 0, count: 0 }
      this.series.set(labelValue, state)
    }
    const own = state
    const bounds = this.buckets
    return {
      observe(value) {
        let i = 0
        while (i < bounds.length && value > (bounds[i] as number)) i++
        own.counts[i] = (own.counts[i] as number) + 1
        own.sum += value
        own.count++
      },
    }
  }

  reset(): void {
    for (const state of this.series.values()) {
      state.counts.fill(0)
      state.sum = 0
      state.count = 0
    }
  }

  async get(): Promise<HistogramExport> {
    const values: HistogramExport['values'][number][] = []
    for (const [labelValue, state] of this.series) {
      if (labelValue !== undefined && state.count === 0) continue
      const labels: Record<string, string> =
        labelValue === undefined || this.labelName === undefined ? {} : { [this.labelName]: labelValue }
      let cumulative = 0
      for (let i = 0; i <= this.buckets.length; i++) {
        cumulative += state.counts[i] as number
        values.push({
          value: cumulative,
          metricName: `${this.name}_bucket`,
          labels: { le: i < this.buckets.length ? (this.buckets[i] as number) : '+Inf', ...labels },
        })
      }
      values.push({ value: state.sum, metricName: `${this.name}_sum`, labels })
      values.push({ value: state.count, metricName: `${this.name}_count`, labels })
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator }
  }
}

/** Both threads' `modelgate_shadow_latency_seconds` (by target): the scrape merges their series into one family. */
const latencyHistogram = (registers: Registry[]) =>
  new TalliedHistogram(
    registers,
    'modelgate_shadow_latency_seconds',
    'Latency from the request leaving the proxy to the last byte of the answer, by target.',
    LATENCY_BUCKETS,
    'target',
  )

/** A counter whose value is read from a plain number when the registry is collected. */
const tallied = (registers: Registry[], name: string, help: string, read: () => number) =>
  new Counter({
    name,
    help,
    registers,
    collect(this: Counter) {
      this.reset()
      this.inc(read())
    },
  })

/**
 * The proxy thread's metrics on a registry of its own (importing registers nothing); `pairMetrics` are the mirror
 * thread's, merged at each scrape. Labels are bounded sets — a target (primary, candidate, secondary), an error kind,
 * a drop reason, a score or label field NAME from the configuration or the answers (at most 32, then `(other)`) —
 * never a value from a request or an answer.
 */
export function createProxyMetrics(
  options: {
    readonly processMetrics?: boolean
    /** With the mirror on its own thread: its losses, read at each scrape. */
    readonly mirrorThread?: () => ShadowMirrorThreadStatus | null
  } = {},
): ProxyMetrics {
  const registry = new Registry()
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'modelgate_shadow_' })
  const registers = [registry]
  // The counters touched on every request are plain numbers here, copied into prom-client when the registry is read
  // (its `inc` with labels hashes them on every call: a cost per request for nothing)
  const tally = { requests: 0, mirrored: 0 }
  tallied(
    registers,
    'modelgate_shadow_requests_total',
    'Requests answered by the primary through the proxy.',
    () => tally.requests,
  )
  tallied(
    registers,
    'modelgate_shadow_mirrored_total',
    'Requests chosen for mirroring (by sample, method and path), dropped ones included.',
    () => tally.mirrored,
  )
  const skipped = new Counter({
    name: 'modelgate_shadow_skipped_total',
    help: 'Requests chosen for mirroring but not mirrored: body_too_large.',
    labelNames: ['reason'] as const,
    registers,
  })
  const overhead = new TalliedHistogram(
    registers,
    'modelgate_shadow_proxy_overhead_seconds',
    "The proxy's own time per forwarded request: from the request received to the answer's last byte written, minus the primary's latency.",
    OVERHEAD_BUCKETS,
  ).bind(undefined)
  const thread = options.mirrorThread
  if (thread !== undefined) {
    tallied(
      registers,
      'modelgate_shadow_mirror_thread_losses_total',
      'Mirror threads lost (mirrorThread): each is reported once; a new one takes over unless the lost one had finished no request.',
      () => thread()?.losses ?? 0,
    )
    // the same family as the mirror thread's drops (merged at the scrape): the requests lost with a thread
    new Counter({
      name: 'modelgate_shadow_dropped_total',
      help: DROPPED_HELP,
      labelNames: ['reason'] as const,
      registers,
      collect(this: Counter<'reason'>) {
        this.reset()
        const lost = thread()?.lostRequests ?? 0
        if (lost > 0) this.inc({ reason: 'lost' }, lost)
      },
    })
  }
  // bound once: the primary's observation runs on every request
  const primaryLatency = latencyHistogram(registers).bind('primary')
  return {
    registry,
    countRequest: () => {
      tally.requests++
    },
    countMirrored: () => {
      tally.mirrored++
    },
    skipped,
    observePrimary: (seconds) => primaryLatency.observe(seconds),
    observeOverhead: (seconds) => overhead.observe(seconds),
  }
}

/** The mirror thread's metrics (see createProxyMetrics), on a registry of its own. */
export function createPairMetrics(): PairMetrics {
  const registry = new Registry()
  const registers = [registry]
  let pairs = 0
  const byField = {
    scoreCompared: new Map<string, number>(),
    scoreExceeded: new Map<string, number>(),
    labelCompared: new Map<string, number>(),
    labelMismatch: new Map<string, number>(),
  }
  const bump = (map: Map<string, number>, field: string): void => {
    map.set(field, (map.get(field) ?? 0) + 1)
  }
  const fromFields = (map: Map<string, number>) =>
    function (this: Counter<'field'>) {
      this.reset()
      for (const [field, n] of map) this.inc({ field }, n)
    }
  const dropped = new Counter({
    name: 'modelgate_shadow_dropped_total',
    help: DROPPED_HELP,
    labelNames: ['reason'] as const,
    registers,
  })
  tallied(
    registers,
    'modelgate_shadow_pairs_total',
    'Mirrored requests answered (or failed) on every side: one pair each.',
    () => pairs,
  )
  const latency = latencyHistogram(registers)
  const errors = new Counter({
    name: 'modelgate_shadow_errors_total',
    help: 'Answers of mirrored requests without a usable body, by target and kind (timeout, connection, status, parse).',
    labelNames: ['target', 'kind'] as const,
    registers,
  })
  new Counter({
    name: 'modelgate_shadow_score_comparisons_total',
    help: 'Pairs in which both answers hold the score field.',
    labelNames: ['field'] as const,
    registers,
    collect: fromFields(byField.scoreCompared),
  })
  new Counter({
    name: 'modelgate_shadow_score_differences_total',
    help: 'Pairs whose |candidate − primary| exceeds the tolerance (and, with a secondary, |secondary − primary|).',
    labelNames: ['field'] as const,
    registers,
    collect: fromFields(byField.scoreExceeded),
  })
  new Counter({
    name: 'modelgate_shadow_label_comparisons_total',
    help: 'Pairs in which both answers hold the label field.',
    labelNames: ['field'] as const,
    registers,
    collect: fromFields(byField.labelCompared),
  })
  new Counter({
    name: 'modelgate_shadow_label_mismatches_total',
    help: 'Pairs whose candidate label differs from the primary (and, with a secondary, the secondary agrees with the primary).',
    labelNames: ['field'] as const,
    registers,
    collect: fromFields(byField.labelMismatch),
  })
  const fieldDiffs = new Counter({
    name: 'modelgate_shadow_field_differences_total',
    help: 'Pairs whose candidate answer added or lost fields of the primary answer, by kind (added, missing).',
    labelNames: ['kind'] as const,
    registers,
  })
  const queueDepth = new Gauge({
    name: 'modelgate_shadow_queue_depth',
    help: 'Mirrored requests waiting for a slot.',
    registers,
  })
  const inFlight = new Gauge({
    name: 'modelgate_shadow_mirror_in_flight',
    help: 'Mirrored requests on the wire.',
    registers,
  })
  const driftVerdict = new Gauge({
    name: 'modelgate_shadow_drift_verdict',
    help: 'Drift verdict of the window against the baseline (0 pass, 1 warn, 2 inconclusive, 3 fail), by model.',
    labelNames: ['model'] as const,
    registers,
  })
  const fieldNames = new Set<string>()
  const fieldLabel = (name: string): string => {
    if (fieldNames.has(name)) return name
    if (fieldNames.size >= MAX_FIELD_LABELS) return OTHER
    fieldNames.add(name)
    return name
  }
  const candidateLatency = latency.bind('candidate')
  const secondaryLatency = latency.bind('secondary')
  return {
    registry,
    dropped,
    queueDepth,
    inFlight,
    driftVerdict,
    recordPair(pair, tolerance) {
      pairs++
      if (Number.isFinite(pair.candidate.latencyMs)) candidateLatency.observe(pair.candidate.latencyMs / 1000)
      if (pair.candidate.error !== undefined) errors.inc({ target: 'candidate', kind: pair.candidate.error })
      if (pair.secondary !== undefined) {
        if (Number.isFinite(pair.secondary.latencyMs)) secondaryLatency.observe(pair.secondary.latencyMs / 1000)
        if (pair.secondary.error !== undefined) errors.inc({ target: 'secondary', kind: pair.secondary.error })
      }
      if (pair.primary.error !== undefined) errors.inc({ target: 'primary', kind: pair.primary.error })
      const { primary, candidate, secondary } = pair
      for (const field in primary.scores) {
        const p = primary.scores[field] as number
        const c = candidate.scores[field]
        if (c === undefined) continue
        const label = fieldLabel(field)
        bump(byField.scoreCompared, label)
        const s = secondary?.scores[field]
        const noise = s === undefined ? 0 : Math.abs(s - p)
        if (Math.abs(c - p) > Math.max(tolerance, noise)) bump(byField.scoreExceeded, label)
      }
      for (const field in primary.labels) {
        const p = primary.labels[field] as string
        const c = candidate.labels[field]
        if (c === undefined) continue
        const label = fieldLabel(field)
        bump(byField.labelCompared, label)
        const s = secondary?.labels[field]
        if (c !== p && (s === undefined || s === p)) bump(byField.labelMismatch, label)
      }
      if ((candidate.addedFields?.length ?? 0) > 0) fieldDiffs.inc({ kind: 'added' })
      if ((candidate.missingFields?.length ?? 0) > 0) fieldDiffs.inc({ kind: 'missing' })
    },
  }
}
