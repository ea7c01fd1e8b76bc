import { cancelledError } from '@modelgate/core'
import type { Dispatcher, Pool } from 'undici'
import type { ArrivalSchedule } from '../createArrivalSchedule.js'
import type { PreparedRequest } from '../createRequestTemplate.js'
import type { LoadProgress } from '../LoadProgress.js'
import type { ErrorClass } from './classifyError.js'
import { classifyError, describeError } from './classifyError.js'
import type { LoadRecorder } from './LoadRecorder.js'

/** A prepared request in the form undici sends without converting: flat header list, body bytes. */
export interface WireRequest {
  readonly method: Dispatcher.HttpMethod
  readonly path: string
  readonly headers: string[]
  readonly body: Buffer | null
}

export function toWire(request: PreparedRequest): WireRequest {
  return {
    method: request.method as Dispatcher.HttpMethod,
    path: request.path,
    headers: Object.entries(request.headers).flat(),
    body: request.body === undefined ? null : Buffer.from(request.body),
  }
}

export interface DriveInput {
  readonly pool: Pool
  readonly schedule: ArrivalSchedule
  readonly requestFor: (k: number) => WireRequest
  readonly recorder: LoadRecorder
  readonly warmupMs: number
  readonly timeoutMs: number
  readonly maxInFlight: number
  readonly okStatus: (status: number) => boolean
  readonly fields: readonly string[][]
  readonly shard: { readonly index: number; readonly count: number } | undefined
  readonly maxLateShare: number
  readonly signal: AbortSignal | undefined
  readonly onProgress: ((progress: LoadProgress) => void) | undefined
  readonly progressIntervalMs: number
}

/**
 * One request on the wire: undici's low-level handler (no response stream, no promise), so the client spends its
 * time on the schedule, not on bookkeeping.
 */
class Exchange implements Dispatcher.DispatchHandler {
  status = 0
  readonly chunks: Buffer[] | null

  constructor(
    private readonly driver: LoadDriver,
    readonly intended: number,
    readonly sentAt: number,
    readonly measured: boolean,
    needBody: boolean,
  ) {
    this.chunks = needBody ? [] : null
  }

  onConnect(): void {}

  onHeaders(statusCode: number): boolean {
    this.status = statusCode
    return true
  }

  onData(chunk: Buffer): boolean {
    this.chunks?.push(chunk)
    return true
  }

  onComplete(): void {
    this.driver.complete(this)
  }

  onError(error: Error): void {
    this.driver.fail(this, error)
  }
}

/**
 * The scheduler: sends each due request at its intended time (a timer until 2 ms before, then setImmediate turns of
 * the event loop), holds due requests beyond `maxInFlight` in a FIFO (their latency runs from their intended time),
 * and records every outcome.
 */
class LoadDriver {
  private readonly t0 = performance.now()
  private k = -1
  private nextOffset: number
  private inFlight = 0
  private readonly waitingK: number[] = []
  private readonly waitingAt: number[] = []
  private waitingHead = 0
  private finished = false
  private timer: NodeJS.Timeout | undefined
  private readonly progress: NodeJS.Timeout
  private readonly needBody: boolean
  private readonly onAbort = (): void => this.finish(cancelledError('the load run was cancelled; nothing was judged.'))
  private readonly tickBound = (): void => this.tick()

  constructor(
    private readonly input: DriveInput,
    private readonly resolve: () => void,
    private readonly reject: (error: unknown) => void,
  ) {
    this.needBody = input.fields.length > 0
    this.nextOffset = this.advance()
    this.progress = setInterval(() => this.report(), input.progressIntervalMs)
    input.signal?.addEventListener('abort', this.onAbort, { once: true })
  }

  start(): void {
    this.tick()
  }

  private advance(): number {
    const { schedule, shard } = this.input
    for (;;) {
      const offset = schedule.next()
      this.k++
      if (offset === Number.POSITIVE_INFINITY) return offset
      if (shard === undefined || this.k % shard.count === shard.index - 1) return offset
    }
  }

  private secondOf(offset: number): number {
    return Math.floor((offset - this.input.warmupMs) / 1000)
  }

  private report(): void {
    const { recorder, onProgress, progressIntervalMs, timeoutMs, maxLateShare } = this.input
    const now = performance.now() - this.t0
    recorder.closeBefore(this.secondOf(now - timeoutMs))
    if (onProgress === undefined) return
    onProgress({
      elapsedMs: now,
      durationMs: this.input.schedule.durationMs,
      sent: recorder.sentCount + recorder.warmup,
      completed: recorder.responses + recorder.errorCount,
      errors: recorder.errorCount,
      inFlight: this.inFlight,
      waiting: this.waitingK.length - this.waitingHead,
      rate: recorder.sentSinceTick / (progressIntervalMs / 1000),
      p99: recorder.latency.percentile(99),
      behind: recorder.veryLate > 0 || (recorder.scheduled >= 100 && recorder.late / recorder.scheduled > maxLateShare),
    })
    recorder.sentSinceTick = 0
  }

  private finish(error?: unknown): void {
    if (this.finished) return
    this.finished = true
    clearInterval(this.progress)
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.input.signal?.removeEventListener('abort', this.onAbort)
    if (error === undefined) this.resolve()
    else this.reject(error)
  }

  private maybeDone(): void {
    if (
      this.nextOffset === Number.POSITIVE_INFINITY &&
      this.inFlight === 0 &&
      this.waitingHead === this.waitingK.length
    )
      this.finish()
  }

  private send(index: number, intended: number, measured: boolean): void {
    const { recorder, pool, warmupMs } = this.input
    const request = this.input.requestFor(index)
    const sentAt = performance.now()
    if (measured) recorder.sendOne(Math.floor((sentAt - this.t0 - warmupMs) / 1000))
    else recorder.warmup++
    this.inFlight++
    pool.dispatch(request, new Exchange(this, intended, sentAt, measured, this.needBody))
  }

  complete(exchange: Exchange): void {
    const end = performance.now()
    if (exchange.measured) {
      const { okStatus, recorder } = this.input
      let failure: ErrorClass | undefined
      let message = ''
      if (!okStatus(exchange.status)) {
        failure = 'http'
        message = `HTTP ${exchange.status}`
      } else if (exchange.chunks !== null) {
        const problem = checkFields(Buffer.concat(exchange.chunks).toString('utf8'), this.input.fields)
        if (problem !== undefined) {
          failure = problem.class
          message = problem.message
        }
      }
      recorder.response(
        this.secondOf(exchange.intended),
        exchange.status,
        end - this.t0 - exchange.intended,
        end - exchange.sentAt,
        failure,
      )
      if (failure !== undefined) recorder.sample(failure, message)
    }
    this.settle()
  }

  fail(exchange: Exchange, error: Error): void {
    if (exchange.measured) {
      // an error after the headers arrived is the body's (unless it is a timeout)
      const errorClass = classifyError(error)
      const settled = exchange.status !== 0 && errorClass !== 'timeout' ? 'body' : errorClass
      this.input.recorder.failure(this.secondOf(exchange.intended), settled, describeError(error))
    }
    this.settle()
  }

  private settle(): void {
    this.inFlight--
    if (this.finished) return
    this.drainWaiting()
    this.maybeDone()
  }

  private drainWaiting(): void {
    const { maxInFlight, timeoutMs, warmupMs, recorder } = this.input
    while (this.waitingHead < this.waitingK.length && this.inFlight < maxInFlight) {
      const index = this.waitingK[this.waitingHead] as number
      const intended = this.waitingAt[this.waitingHead] as number
      this.waitingHead++
      const measured = intended >= warmupMs
      if (performance.now() - this.t0 - intended > timeoutMs) {
        if (measured)
          recorder.failure(
            this.secondOf(intended),
            'timeout',
            `no free connection within ${timeoutMs} ms of the intended send time`,
          )
        continue
      }
      this.send(index, intended, measured)
    }
    if (this.waitingHead > 4096 && this.waitingHead * 2 > this.waitingK.length) {
      this.waitingK.splice(0, this.waitingHead)
      this.waitingAt.splice(0, this.waitingHead)
      this.waitingHead = 0
    }
  }

  private tick(): void {
    this.timer = undefined
    if (this.finished) return
    const { recorder, warmupMs, maxInFlight } = this.input
    let now = performance.now() - this.t0
    while (this.nextOffset <= now) {
      const intended = this.nextOffset
      const measured = intended >= warmupMs
      if (measured) {
        recorder.scheduleOne(this.secondOf(intended))
        recorder.dueOne(now - intended)
      }
      if (this.inFlight < maxInFlight && this.waitingHead === this.waitingK.length)
        this.send(this.k, intended, measured)
      else {
        // waits because the server holds every slot: counted in its latency, not against the generator
        this.waitingK.push(this.k)
        this.waitingAt.push(intended)
      }
      this.nextOffset = this.advance()
      now = performance.now() - this.t0
    }
    if (this.nextOffset === Number.POSITIVE_INFINITY) {
      this.maybeDone()
      return
    }
    const wait = this.nextOffset - now
    if (wait > 2) this.timer = setTimeout(this.tickBound, wait - 1.5)
    else setImmediate(this.tickBound)
  }
}

/** Runs the schedule to its end and until every request has finished (or timed out). */
export function driveLoad(input: DriveInput): Promise<void> {
  return new Promise<void>((resolve, reject) => new LoadDriver(input, resolve, reject).start())
}

function checkFields(text: string, fields: readonly string[][]): { class: ErrorClass; message: string } | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { class: 'body', message: 'the response body is not JSON' }
  }
  for (const path of fields) {
    let v: unknown = json
    for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined
    if (v === undefined) return { class: 'check', message: `the response lacks the field "${path.join('.')}"` }
  }
  return undefined
}
