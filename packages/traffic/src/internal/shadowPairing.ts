import type { Report } from '@modelgate/core'
import type { LatencyHistogram } from '@modelgate/stats'
import { createLatencyHistogram } from '@modelgate/stats'
import type { MetricObjectWithValues, MetricValue } from 'prom-client'
import type { Dispatcher } from 'undici'
import { Pool } from 'undici'
import { TrafficError } from '../errors.js'
import type { JudgeCanaryOptions } from '../judgeCanary.js'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { LatencyFigures } from '../ShadowStatus.js'
import type { AnalysisSettings } from './shadowAnalysis.js'
import { ShadowAnalysis } from './shadowAnalysis.js'
import type { AnswerFields, ExchangeError } from './shadowAnswer.js'
import { readAnswer, withFieldDiff } from './shadowAnswer.js'
import { createPairMetrics, VERDICT_CODE } from './shadowMetrics.js'
import type { ExchangeOutcome, MirrorJob } from './shadowMirror.js'
import { MirrorQueue } from './shadowMirror.js'
import type { ShadowStoreMessage, StoreSummary } from './shadowStore.js'
import { ShadowStore } from './shadowStore.js'
import { errorName } from './threadError.js'

/** The drift rows go to the analysis thread (which evaluates drift and pushes the reports) this often. */
const DRIFT_INTERVAL_MS = 2_000
/** A canary verdict is reused for this long even when new pairs came in. */
const VERDICT_MIN_INTERVAL_MS = 1_000

/** What the mirror thread starts with (cloned to it). */
export interface MirrorSettings {
  readonly targets: readonly {
    readonly name: 'candidate' | 'secondary'
    readonly origin: string
    /** The target URL's path without its trailing slash ('' for the root). */
    readonly basePath: string
  }[]
  /** The header (and its value `1`) every mirrored request carries. */
  readonly markHeader: string
  readonly maxInFlight: number
  readonly queueSize: number
  readonly timeoutMs: number
  readonly maxBodyBytes: number
  readonly storeSize: number
  readonly tolerance: number
  readonly fields: {
    readonly scores: readonly string[] | null
    readonly labels: readonly string[]
    readonly pii: readonly string[]
  }
  readonly drift: AnalysisSettings['drift']
  readonly judgeOptions: JudgeCanaryOptions
  /**
   * Shared with the proxy thread (which reads them without asking, as often as it likes): drops, stale drops, pairs
   * kept, pairs ever recorded — at the indexes of `SHARED`.
   */
  readonly shared: Float64Array
}

/** Where each figure the proxy thread reads without asking sits in `MirrorSettings.shared`. */
export const SHARED = { dropped: 0, droppedStale: 1, size: 2, total: 3, length: 4 } as const

/** A mirrored request as the proxy thread hands it over; its body is `length` bytes at `offset` of the batch's bytes. */
export interface JobMessage {
  readonly id: number
  readonly method: Dispatcher.HttpMethod
  /** Path and query as the client sent them. */
  readonly path: string
  /** The route a pair records (the matching glob, or the path without its query). */
  readonly route: string
  /** End-to-end request headers (the mark is added here). */
  readonly headers: string[]
  /** When the request reached the proxy (epoch ms). */
  readonly at: number
  readonly offset: number
  /** -1: no body. */
  readonly length: number
}

/** The primary's outcome of a mirrored request (timed on the proxy thread, where its exchange happened). */
export interface PrimaryMessage {
  readonly id: number
  readonly status: number
  readonly latencyMs: number
  readonly error?: ExchangeError | 'parse'
  readonly offset: number
  /** -1: no body kept (none, or longer than the limit). */
  readonly length: number
}

/** Everything the proxy thread handed over in one turn of its event loop: one message, one buffer of bytes. */
export interface BatchMessage {
  readonly type: 'batch'
  readonly bytes: ArrayBuffer
  readonly jobs: readonly JobMessage[]
  readonly primaries: readonly PrimaryMessage[]
}

/** The mirror thread's share of the status. */
export interface StatusPart {
  readonly dropped: number
  readonly droppedStale: number
  readonly pairsTotal: number
  readonly queueDepth: number
  readonly inFlight: number
  readonly summary: StoreSummary
  readonly recent: ShadowPair[]
  readonly candidate: LatencyFigures | null
  readonly secondary: LatencyFigures | null
}

/** What the proxy thread asks synchronously (answered at once, in order after every batch posted before). */
export type MirrorQuery =
  | { readonly kind: 'status' }
  | { readonly kind: 'pairs' }
  | { readonly kind: 'recent'; readonly limit: number }

/** What the thread hands back as it closes: the pairs kept and its status share (the proxy answers from them after). */
export interface MirrorFinal {
  readonly pairs: ShadowStoreMessage
  readonly status: StatusPart
}

/**
 * A mirrored request waiting for its answers: the job the mirror queue sends, and each side's outcome as it comes
 * (one object per request: the pending entry, the queue's job and the outcomes' holder).
 */
interface Pending extends MirrorJob {
  readonly at: number
  readonly route: string
  primary: ExchangeOutcome | undefined
  candidate: ExchangeOutcome | undefined
  secondary: ExchangeOutcome | undefined
  /** Sides still to answer. */
  expected: number
}

/** A mirrored request as the proxy thread hands it over (its number apart). */
interface MirrorRequest {
  readonly method: Dispatcher.HttpMethod
  readonly path: string
  readonly route: string
  readonly headers: readonly string[]
  readonly at: number
  readonly body: Buffer | null
}

export function latencyFigures(histogram: LatencyHistogram | null): LatencyFigures | null {
  if (histogram === null) return null
  if (histogram.count === 0) return { count: 0, p50: null, p90: null, p99: null, max: null }
  return {
    count: histogram.count,
    p50: histogram.percentile(50),
    p90: histogram.percentile(90),
    p99: histogram.percentile(99),
    max: histogram.percentile(100),
  }
}

/**
 * The proxy's mirror side, on a thread of its own (shadowMirrorWorker): it sends each mirrored request to the
 * candidate (and the secondary) through the bounded mirror queue, pairs their outcomes with the primary's, reads and
 * compares the answers, keeps the pair ring, the pair metrics and the candidate's latency, and feeds the analysis
 * thread (drift, the canary judge). Every timing is taken on the thread where its exchange happens: the primary's on
 * the proxy thread, the mirrors' here.
 */
export class ShadowPairing {
  private readonly pending = new Map<number, Pending>()
  private readonly store: ShadowStore
  private readonly metrics = createPairMetrics()
  private readonly latency: { readonly candidate: LatencyHistogram; readonly secondary: LatencyHistogram | null }
  private readonly pools: Pool[]
  private readonly queue: MirrorQueue<Pending>
  private readonly analysis: ShadowAnalysis
  private readonly fields: AnswerFields
  private readonly expected: number
  private dropped = 0
  private droppedStale = 0
  private judged: { at: number; total: number; report: Promise<Report> } | undefined

  constructor(
    private readonly settings: MirrorSettings,
    private readonly hooks: {
      readonly onError: (error: unknown) => void
      readonly onDrift: (reports: ShadowDriftReports) => void
    },
  ) {
    const { fields, drift } = settings
    this.fields = {
      scores: fields.scores === null ? undefined : new Set(fields.scores),
      labels: new Set(fields.labels),
      pii: new Set(fields.pii),
    }
    this.store = new ShadowStore(settings.storeSize)
    this.expected = settings.targets.length + 1
    this.latency = {
      candidate: createLatencyHistogram(),
      secondary: settings.targets.length > 1 ? createLatencyHistogram() : null,
    }
    this.pools = settings.targets.map(
      (t) => new Pool(t.origin, { connections: settings.maxInFlight, pipelining: 1, keepAliveTimeout: 30_000 }),
    )
    this.queue = new MirrorQueue({
      targets: settings.targets.map((t, i) => ({ name: t.name, pool: this.pools[i] as Pool, basePath: t.basePath })),
      maxInFlight: settings.maxInFlight,
      queueSize: settings.queueSize,
      timeoutMs: settings.timeoutMs,
      maxBodyBytes: settings.maxBodyBytes,
      onDone: (job, target, outcome) => this.arrive(job.id, target as 'candidate' | 'secondary', outcome),
      onDrop: (job, reason) => {
        this.pending.delete(job.id)
        this.dropped++
        settings.shared[SHARED.dropped] = this.dropped
        if (reason === 'stale') settings.shared[SHARED.droppedStale] = ++this.droppedStale
        this.metrics.dropped.inc({ reason })
      },
    })
    this.analysis = new ShadowAnalysis(
      { driftIntervalMs: DRIFT_INTERVAL_MS, drift },
      { pairs: () => this.store.pairs(), columns: () => this.store.toMessage() },
      hooks.onError,
      (reports) => {
        this.metrics.driftVerdict.set({ model: 'primary' }, VERDICT_CODE[reports.primary.verdict])
        this.metrics.driftVerdict.set({ model: 'candidate' }, VERDICT_CODE[reports.candidate.verdict])
        hooks.onDrift(reports)
      },
    )
  }

  /** Pairs kept. */
  get pairCount(): number {
    return this.store.size
  }

  /** The pairs kept, oldest first (built from the ring's columns). */
  pairs(): ShadowPair[] {
    return this.store.pairs()
  }

  /** Mirrors request `id` (or drops it, counted); its pair waits for the primary's outcome (`primaryDone`). */
  mirror(id: number, request: MirrorRequest): void {
    const entry: Pending = {
      id,
      method: request.method,
      path: request.path,
      headers: [...request.headers, this.settings.markHeader, '1'],
      body: request.body,
      queuedAt: performance.now(),
      targetsLeft: 0,
      at: request.at,
      route: request.route,
      primary: undefined,
      candidate: undefined,
      secondary: undefined,
      expected: this.expected,
    }
    this.pending.set(id, entry)
    this.queue.submit(entry)
  }

  /** The primary's outcome of request `id` (timed where its exchange happened). */
  primaryDone(id: number, outcome: ExchangeOutcome): void {
    this.arrive(id, 'primary', outcome)
  }

  answer(query: MirrorQuery): StatusPart | ShadowStoreMessage | ShadowPair[] {
    switch (query.kind) {
      case 'status':
        return this.status()
      case 'pairs':
        return this.store.toMessage()
      case 'recent':
        return this.store.recent(query.limit)
    }
  }

  /** The canary verdict of the pairs kept (judged again only after new pairs, at most once a second). */
  verdict(counts: Omit<ShadowCounts, 'dropped'>): Promise<Report> {
    const now = performance.now()
    const judged = this.judged
    if (judged !== undefined && (judged.total === this.store.total || now - judged.at < VERDICT_MIN_INTERVAL_MS))
      return judged.report
    // the analysis thread adds its own drift reports
    const report = this.analysis.judge({ ...counts, dropped: this.dropped }, this.settings.judgeOptions)
    this.judged = { at: now, total: this.store.total, report }
    return report
  }

  /** The pair metrics as prom-client's JSON (the proxy thread merges them with its own). */
  metricsJson(): Promise<MetricObjectWithValues<MetricValue<string>>[]> {
    this.metrics.queueDepth.set(this.queue.depth)
    this.metrics.inFlight.set(this.queue.inFlight)
    return this.metrics.registry.getMetricsAsJSON()
  }

  /** Drops the queue (stale), aborts the mirrors on the wire (their outcome: timeout), stops the analysis. */
  async close(): Promise<MirrorFinal> {
    this.queue.close()
    await this.analysis.close()
    await Promise.all(this.pools.map((p) => p.destroy()))
    return { pairs: this.store.toMessage(), status: this.status() }
  }

  private status(): StatusPart {
    return {
      dropped: this.dropped,
      droppedStale: this.droppedStale,
      pairsTotal: this.store.total,
      queueDepth: this.queue.depth,
      inFlight: this.queue.inFlight,
      summary: this.store.summarize(this.settings.tolerance),
      recent: this.store.recent(10),
      candidate: latencyFigures(this.latency.candidate),
      secondary: latencyFigures(this.latency.secondary),
    }
  }

  /** One side's outcome of a request (the primary's may come before or after the mirrors'). */
  private arrive(id: number, side: 'primary' | 'candidate' | 'secondary', outcome: ExchangeOutcome): void {
    const entry = this.pending.get(id)
    // a dropped request's primary outcome comes after its drop: nothing to pair
    if (entry === undefined) return
    entry[side] = outcome
    if (--entry.expected > 0) return
    this.pending.delete(id)
    try {
      this.record(entry)
    } catch (error) {
      // no path or body in the message: either could hold a personal value
      this.hooks.onError(
        new TrafficError(
          'MG_SHADOW_PAIR_FAILED',
          `A mirrored request's answers could not be made a pair (${errorName(error)}); it is not among the pairs.`,
          { cause: error },
        ),
      )
    }
  }

  private record(entry: Pending): void {
    const { at, route, body } = entry
    const fields = this.fields
    const primary = entry.primary as ExchangeOutcome
    const p = readAnswer(primary, fields)
    // an answer byte for byte the primary's is not parsed again
    const like = { outcome: primary, read: p }
    const c = readAnswer(entry.candidate as ExchangeOutcome, fields, like)
    const s = entry.secondary === undefined ? undefined : readAnswer(entry.secondary, fields, like)
    const pair: ShadowPair = {
      at,
      path: route,
      primary: p.answer,
      candidate: withFieldDiff(c, p),
      ...(s === undefined ? {} : { secondary: withFieldDiff(s, p) }),
    }
    this.store.add(pair)
    this.settings.shared[SHARED.size] = this.store.size
    this.settings.shared[SHARED.total] = this.store.total
    this.metrics.recordPair(pair, this.settings.tolerance)
    if (Number.isFinite(c.answer.latencyMs)) this.latency.candidate.record(c.answer.latencyMs)
    if (s !== undefined && Number.isFinite(s.answer.latencyMs)) this.latency.secondary?.record(s.answer.latencyMs)
    this.analysis.add(pair, this.settings.drift === null || body === null ? null : body.toString('utf8'))
  }
}
