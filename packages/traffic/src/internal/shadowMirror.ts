import type { Dispatcher, Pool } from 'undici'
import type { ExchangeError } from './shadowAnswer.js'

/** How one upstream exchange ended: its status, latency and (bounded) body, or why there is none. */
export interface ExchangeOutcome {
  readonly status: number
  readonly latencyMs: number
  readonly body: Buffer | null
  readonly error?: ExchangeError | 'parse'
}

/** One mirrored request: sent to every mirror target at once; `done` is called once per target. */
export interface MirrorJob {
  /** The request's number on the proxy thread (pairs its primary's outcome with the mirrors'). */
  readonly id: number
  readonly method: Dispatcher.HttpMethod
  /** Path and query as the client sent them (the target's base path is prefixed). */
  readonly path: string
  /** End-to-end request headers plus the shadow mark. */
  readonly headers: string[]
  readonly body: Buffer | null
  /** `performance.now()` when the job was queued. */
  queuedAt: number
  done(target: string, outcome: ExchangeOutcome): void
}

interface MirrorTarget {
  readonly name: string
  readonly pool: Pool
  /** The target URL's path without its trailing slash ('' for the root). */
  readonly basePath: string
}

interface MirrorQueueOptions {
  readonly targets: readonly MirrorTarget[]
  /** Jobs in flight at once (each holds one request per target). */
  readonly maxInFlight: number
  /** Jobs waiting for a slot; beyond it a job is dropped. */
  readonly queueSize: number
  readonly timeoutMs: number
  readonly maxBodyBytes: number
  /** A job dropped: the queue was full, or it waited longer than the timeout for a slot. */
  readonly onDrop: (job: MirrorJob, reason: 'queue_full' | 'stale') => void
}

/**
 * The mirror side of the proxy: a bounded FIFO of jobs and at most `maxInFlight` of them on the wire. It never
 * waits on anything the primary path needs: `submit` returns at once (false = dropped), every exchange has its own
 * deadline, and whatever a target does (hang, reset, garbage, a body too long) ends as an outcome, never as a throw.
 */
export class MirrorQueue {
  private readonly waiting: MirrorJob[] = []
  private head = 0
  private active = 0
  private closed = false
  private readonly exchanges = new Set<MirrorExchange>()
  /** Cancels the exchanges past their deadline (started with the first exchange). */
  private sweeper: NodeJS.Timeout | undefined

  constructor(private readonly options: MirrorQueueOptions) {}

  get depth(): number {
    return this.waiting.length - this.head
  }

  get inFlight(): number {
    return this.active
  }

  /** Queues a job (sent at once when a slot is free); false when it was dropped (the queue full, or closed). */
  submit(job: MirrorJob): boolean {
    if (this.closed) {
      this.options.onDrop(job, 'stale')
      return false
    }
    if (this.active < this.options.maxInFlight && this.depth === 0) {
      this.start(job)
      return true
    }
    if (this.depth >= this.options.queueSize) {
      this.options.onDrop(job, 'queue_full')
      return false
    }
    this.waiting.push(job)
    return true
  }

  /** Stops sending: queued jobs are dropped as stale, exchanges on the wire are aborted (their outcome: timeout). */
  close(): void {
    this.closed = true
    if (this.sweeper !== undefined) clearInterval(this.sweeper)
    while (this.depth > 0) this.options.onDrop(this.waiting[this.head++] as MirrorJob, 'stale')
    for (const exchange of [...this.exchanges]) exchange.cancel()
  }

  /**
   * One timer for every exchange's deadline instead of a timer each (a timer each was an allocation, a timer-list
   * insert and a removal per exchange): every 1/10 of the timeout (5–250 ms) the exchanges on the wire — at most
   * `maxInFlight` per target; an ended one leaves the set at once — are checked, so an exchange is cancelled between
   * its timeout and a tenth after it.
   */
  private sweep(): void {
    const now = performance.now()
    for (const exchange of this.exchanges) if (exchange.overdue(now)) exchange.cancel()
  }

  private start(job: MirrorJob): void {
    if (this.sweeper === undefined) {
      const tick = Math.min(250, Math.max(5, this.options.timeoutMs / 10))
      this.sweeper = setInterval(() => this.sweep(), tick)
      this.sweeper.unref()
    }
    this.active++
    let pending = this.options.targets.length
    for (const target of this.options.targets) {
      const exchange = new MirrorExchange(target.name, this.options.maxBodyBytes, (outcome) => {
        this.exchanges.delete(exchange)
        try {
          job.done(target.name, outcome)
        } finally {
          if (--pending === 0) this.release()
        }
      })
      this.exchanges.add(exchange)
      exchange.send(target, job, this.options.timeoutMs)
    }
  }

  private release(): void {
    this.active--
    const now = performance.now()
    while (!this.closed && this.depth > 0 && this.active < this.options.maxInFlight) {
      const job = this.waiting[this.head++] as MirrorJob
      if (now - job.queuedAt > this.options.timeoutMs) this.options.onDrop(job, 'stale')
      else this.start(job)
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head)
      this.head = 0
    }
  }
}

/** One request to one mirror target (undici's low-level handler: no stream, no promise). */
class MirrorExchange implements Dispatcher.DispatchHandler {
  private status = 0
  private readonly chunks: Buffer[] = []
  private bytes = 0
  private sentAt = 0
  private deadline = Number.POSITIVE_INFINITY
  private abort: ((error?: Error) => void) | undefined
  private ended = false

  constructor(
    readonly target: string,
    private readonly maxBodyBytes: number,
    private readonly finish: (outcome: ExchangeOutcome) => void,
  ) {}

  send(target: MirrorTarget, job: MirrorJob, timeoutMs: number): void {
    this.sentAt = performance.now()
    this.deadline = this.sentAt + timeoutMs
    try {
      target.pool.dispatch(
        {
          method: job.method,
          path: target.basePath + job.path,
          headers: job.headers,
          body: job.body,
          headersTimeout: timeoutMs + 1000,
          bodyTimeout: timeoutMs + 1000,
        },
        this,
      )
    } catch {
      this.end({ status: 0, latencyMs: Number.NaN, body: null, error: 'connection' })
    }
  }

  /** Past its deadline (the queue's sweep cancels it). */
  overdue(now: number): boolean {
    return now > this.deadline
  }

  /** The timeout (or the queue closing): abort the request; its outcome is a timeout. */
  cancel(): void {
    if (this.ended) return
    const abort = this.abort
    this.end({ status: this.status, latencyMs: Number.NaN, body: null, error: 'timeout' })
    abort?.(new Error('the mirror request timed out'))
  }

  private end(outcome: ExchangeOutcome): void {
    if (this.ended) return
    this.ended = true
    this.chunks.length = 0
    this.finish(outcome)
  }

  onConnect(abort: (error?: Error) => void): void {
    this.abort = abort
  }

  onHeaders(statusCode: number): boolean {
    this.status = statusCode
    return true
  }

  onData(chunk: Buffer): boolean {
    this.bytes += chunk.length
    if (this.bytes > this.maxBodyBytes) {
      const abort = this.abort
      this.end({ status: this.status, latencyMs: performance.now() - this.sentAt, body: null, error: 'parse' })
      abort?.(new Error('the mirror answer is longer than the body limit'))
      return false
    }
    this.chunks.push(chunk)
    return true
  }

  onComplete(): void {
    const body = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks)
    this.end({ status: this.status, latencyMs: performance.now() - this.sentAt, body })
  }

  onError(error: Error): void {
    const code = (error as { code?: unknown }).code
    const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
    this.end({ status: this.status, latencyMs: Number.NaN, body: null, error: timedOut ? 'timeout' : 'connection' })
  }
}
