import type { Dispatcher, Pool } from 'undici'
import type { ExchangeError } from './shadowAnswer.js'

/** How one upstream exchange ended: its status, latency and (bounded) body, or why there is none. */
export interface ExchangeOutcome {
  readonly status: number
  readonly latencyMs: number
  readonly body: Buffer | null
  readonly error?: ExchangeError | 'parse'
}

/** One mirrored request: sent to every mirror target at once; the queue's `onDone` is called once per target. */
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
  /** Targets whose exchange has not ended yet (set by the queue when it sends the job). */
  targetsLeft: number
}

interface MirrorTarget {
  readonly name: string
  readonly pool: Pool
  /** The target URL's path without its trailing slash ('' for the root). */
  readonly basePath: string
}

interface MirrorQueueOptions<J extends MirrorJob> {
  readonly targets: readonly MirrorTarget[]
  /** Jobs in flight at once (each holds one request per target). */
  readonly maxInFlight: number
  /** Jobs waiting for a slot; beyond it a job is dropped. */
  readonly queueSize: number
  readonly timeoutMs: number
  readonly maxBodyBytes: number
  /** A job dropped: the queue was full, or it waited longer than the timeout for a slot. */
  readonly onDrop: (job: J, reason: 'queue_full' | 'stale') => void
  /** A target's exchange of a job ended (once per target and job). */
  readonly onDone: (job: J, target: string, outcome: ExchangeOutcome) => void
}

/**
 * The mirror side of the proxy: a bounded FIFO of jobs and at most `maxInFlight` of them on the wire. It never
 * waits on anything the primary path needs: `submit` returns at once (false = dropped), every exchange has its own
 * deadline, and whatever a target does (hang, reset, garbage, a body too long) ends as an outcome, never as a throw.
 */
export class MirrorQueue<J extends MirrorJob> {
  private readonly waiting: J[] = []
  private head = 0
  private active = 0
  private closed = false
  private readonly exchanges = new Set<MirrorExchange<J>>()
  /** Cancels the exchanges past their deadline (started with the first exchange). */
  private sweeper: NodeJS.Timeout | undefined

  constructor(private readonly options: MirrorQueueOptions<J>) {}

  get depth(): number {
    return this.waiting.length - this.head
  }

  get inFlight(): number {
    return this.active
  }

  /** Queues a job (sent at once when a slot is free); false when it was dropped (the queue full, or closed). */
  submit(job: J): boolean {
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
    while (this.depth > 0) this.options.onDrop(this.waiting[this.head++] as J, 'stale')
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

  private start(job: J): void {
    if (this.sweeper === undefined) {
      const tick = Math.min(250, Math.max(5, this.options.timeoutMs / 10))
      this.sweeper = setInterval(() => this.sweep(), tick)
      this.sweeper.unref()
    }
    this.active++
    job.targetsLeft = this.options.targets.length
    for (const target of this.options.targets) {
      const exchange = new MirrorExchange<J>(target.name, job, this)
      this.exchanges.add(exchange)
      exchange.send(target, this.options.timeoutMs, this.options.maxBodyBytes)
    }
  }

  /** An exchange ended (called once by each). */
  finished(exchange: MirrorExchange<J>, outcome: ExchangeOutcome): void {
    this.exchanges.delete(exchange)
    const job = exchange.job
    try {
      this.options.onDone(job, exchange.target, outcome)
    } finally {
      if (--job.targetsLeft === 0) this.release()
    }
  }

  private release(): void {
    this.active--
    const now = performance.now()
    while (!this.closed && this.depth > 0 && this.active < this.options.maxInFlight) {
      const job = this.waiting[this.head++] as J
      if (now - job.queuedAt > this.options.timeoutMs) this.options.onDrop(job, 'stale')
      else this.start(job)
    }
    if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting.splice(0, this.head)
      this.head = 0
    }
  }
}

/**
 * One request to one mirror target (undici's low-level handler: no stream, no promise; its end goes to the queue —
 * no closure per exchange). The answer's body is kept as its first chunk, and as a list only from a second one on.
 */
class MirrorExchange<J extends MirrorJob> implements Dispatcher.DispatchHandler {
  private status = 0
  private first: Buffer | null = null
  private rest: Buffer[] | null = null
  private bytes = 0
  private maxBodyBytes = 0
  private sentAt = 0
  private deadline = Number.POSITIVE_INFINITY
  private abort: ((error?: Error) => void) | undefined
  private ended = false

  constructor(
    readonly target: string,
    readonly job: J,
    private readonly queue: MirrorQueue<J>,
  ) {}

  send(target: MirrorTarget, timeoutMs: number, maxBodyBytes: number): void {
    const job = this.job
    this.maxBodyBytes = maxBodyBytes
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
    this.first = null
    this.rest = null
    this.queue.finished(this, outcome)
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
    if (this.first === null) this.first = chunk
    else if (this.rest === null) this.rest = [this.first, chunk]
    else this.rest.push(chunk)
    return true
  }

  onComplete(): void {
    const body = this.rest !== null ? Buffer.concat(this.rest) : (this.first ?? Buffer.alloc(0))
    this.end({ status: this.status, latencyMs: performance.now() - this.sentAt, body })
  }

  onError(error: Error): void {
    const code = (error as { code?: unknown }).code
    const timedOut = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT'
    this.end({ status: this.status, latencyMs: Number.NaN, body: null, error: timedOut ? 'timeout' : 'connection' })
  }
}
