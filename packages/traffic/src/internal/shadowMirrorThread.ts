import type { MessagePort, ResourceLimits, Worker } from 'node:worker_threads'
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads'
import type { Report, ThreadError } from '@modelgate/core'
import { startWorkerThread } from '@modelgate/core'
import { TrafficError } from '../errors.js'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { ShadowMirrorThreadStatus } from '../ShadowStatus.js'
import type { ExchangeOutcome } from './shadowMirror.js'
import type { MirroredRequest, MirrorHooks, MirrorSide } from './shadowMirrorSide.js'
import { MirrorGone } from './shadowMirrorSide.js'
import type {
  BatchMessage,
  JobMessage,
  MirrorFinal,
  MirrorQuery,
  MirrorSettings,
  PrimaryMessage,
  StatusPart,
} from './shadowPairing.js'
import { SHARED } from './shadowPairing.js'
import type { ShadowStoreMessage } from './shadowStore.js'
import { ShadowStore } from './shadowStore.js'
import { errorName, fromThreadError } from './threadError.js'

/** Messages to the mirror thread, in order on its port. */
export type MirrorRequest =
  | BatchMessage
  | { readonly type: 'query'; readonly seq: number; readonly query: MirrorQuery }
  | { readonly type: 'verdict'; readonly id: number; readonly counts: Omit<ShadowCounts, 'dropped'> }
  | { readonly type: 'metrics'; readonly id: number }
  | { readonly type: 'close'; readonly id: number }

/** The answer to a synchronous query, on the reply port. */
export interface QueryReply {
  readonly seq: number
  readonly value?: unknown
  readonly error?: ThreadError
}

/** Messages from the mirror thread on its port. */
export type MirrorReply =
  | { readonly type: 'answer'; readonly id: number; readonly value?: unknown; readonly error?: ThreadError }
  | { readonly type: 'drift'; readonly reports: ShadowDriftReports }
  | { readonly type: 'problem'; readonly error: ThreadError }

/**
 * Not an option (no `ShadowProxyOptions` field): `createShadowProxy` reads the mirror thread's `resourceLimits` under
 * this registered symbol, so that a test can give the thread a small heap and lose it to a real out-of-memory.
 */
export const MIRROR_THREAD_LIMITS = Symbol.for('modelgate.shadow.mirrorThreadLimits')

/** A synchronous query waits this long for the thread before it is given up as lost. */
const QUERY_TIMEOUT_MS = 30_000
/** A closing thread hands its pairs back within this long, or they are lost (and `onError` says so). */
const CLOSE_TIMEOUT_MS = 15_000

/**
 * The proxy thread's side of the mirror thread (shadowPairing.ts does the work there). Per request it only records:
 * each mirrored request and, when the primary has answered, the primary's outcome go into the current batch, whose
 * bodies are copied into one buffer and transferred with one message per turn of the event loop (setImmediate) —
 * the candidate's exchange, the comparison, the pair ring, the pair metrics and their garbage are the other
 * thread's, on its own heap and collector.
 *
 * The thread keeps the state, so reading it (`query`: counts, status, pairs) is a round trip: the question is posted
 * after the pending batch, the answer comes on a port of its own and the proxy thread blocks until it is there
 * (Atomics.wait on a shared word the thread bumps; `receiveMessageOnPort` takes it) — the answer covers every request
 * handed over before.
 *
 * A thread that is lost (it dies — out of memory, say — or stops answering) takes its pairs and the requests it had
 * not finished with it; the primary's path never waits for it. `onError` gets one `MG_SHADOW_MIRROR_LOST` per loss,
 * the lost requests count as dropped (reason `lost`), and a new thread takes over with an empty ring — unless the lost
 * one had not finished a single request (it could not work at all: a new one would be lost the same way), then
 * mirroring stops and every further mirrored request counts as lost.
 */
export class MirrorThread implements MirrorSide {
  private worker: Worker | null = null
  private replies: MessagePort | null = null
  /** [0]: bumped by the thread after each query answer; [1]: set by the thread as it ends (core's exit flag). */
  private readonly signal = new Int32Array(new SharedArrayBuffer(8))
  /** The figures the running thread keeps up to date for this one to read (see SHARED); one array per thread. */
  private shared = new Float64Array(new SharedArrayBuffer(8 * SHARED.length))
  private nextId = 0
  /** The first request number handed to the running thread. */
  private firstId = 0
  private seq = 0
  private jobs: JobMessage[] = []
  private primaries: PrimaryMessage[] = []
  private chunks: Buffer[] = []
  private bytes = 0
  private scheduled = false
  private readonly flushNow = () => this.flush()
  private nextCall = 0
  private readonly calls = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>()
  private closing = false
  private stopped = false
  private losses = 0
  private lostRequests = 0
  private lastLoss: string | null = null
  /** Pairs recorded by threads lost before the running one (the status counts the whole run's). */
  private pairsBefore = 0
  /** Mirrored requests dropped outside the running thread (see MirrorSide.lost). */
  lost = 0

  constructor(
    private readonly settings: Omit<MirrorSettings, 'shared'>,
    private readonly hooks: MirrorHooks,
    private readonly limits?: ResourceLimits,
  ) {
    this.start()
  }

  /** Hands a mirrored request over (in this turn's batch); its number, for `primaryDone`; -1 when mirroring stopped. */
  submit(request: MirroredRequest): number {
    if (this.worker === null) {
      this.lost++
      this.lostRequests++
      return -1
    }
    const id = this.nextId++
    const [offset, length] = this.add(request.body)
    this.jobs.push({
      id,
      method: request.method,
      path: request.path,
      route: request.route,
      headers: request.headers,
      at: request.at,
      offset,
      length,
    })
    return id
  }

  /** The primary's outcome of request `id` (its latency taken here, where its exchange happened). */
  primaryDone(id: number, outcome: ExchangeOutcome): void {
    // a request handed to a thread lost since is counted as lost already
    if (this.worker === null || id < this.firstId) return
    const [offset, length] = this.add(outcome.body)
    this.primaries.push({
      id,
      status: outcome.status,
      latencyMs: outcome.latencyMs,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      offset,
      length,
    })
  }

  /** Drops (the running thread's, and those outside it: see `lost`), read from shared memory: never waits. */
  get dropped(): number {
    return (this.shared[SHARED.dropped] as number) + this.lost
  }

  /** Pairs kept, read from shared memory: never waits. */
  get pairCount(): number {
    return this.shared[SHARED.size] as number
  }

  thread(): ShadowMirrorThreadStatus {
    return {
      state: this.stopped ? 'stopped' : 'running',
      losses: this.losses,
      lostRequests: this.lostRequests,
      lastLoss: this.lastLoss,
    }
  }

  query(query: MirrorQuery): unknown {
    const worker = this.worker
    const replies = this.replies
    if (worker === null || replies === null) return undefined
    this.flush()
    const seq = ++this.seq
    worker.postMessage({ type: 'query', seq, query } satisfies MirrorRequest)
    const deadline = performance.now() + QUERY_TIMEOUT_MS
    for (;;) {
      const seen = Atomics.load(this.signal, 0)
      const got = receiveMessageOnPort(replies)
      if (got !== undefined) {
        const reply = got.message as QueryReply
        // an answer to a query given up earlier is skipped
        if (reply.seq !== seq) continue
        if (reply.error === undefined) return this.wholeRun(query, reply.value)
        this.hooks.onError(
          fromThreadError(reply.error, 'MG_SHADOW_MIRROR_FAILED', 'The shadow mirror thread could not answer'),
        )
        return undefined
      }
      if (Atomics.load(this.signal, 1) === 1) {
        this.lose(worker, 'ended')
        break
      }
      if (performance.now() > deadline) {
        this.lose(worker, `did not answer in ${QUERY_TIMEOUT_MS / 1000} s`)
        break
      }
      Atomics.wait(this.signal, 0, seen, 50)
    }
    // lost: the thread that took over (if any) answers, from its empty start
    return this.worker === null ? undefined : this.query(query)
  }

  pairs(): ShadowPair[] | undefined {
    const columns = this.query({ kind: 'pairs' }) as ShadowStoreMessage | undefined
    return columns === undefined ? undefined : ShadowStore.fromMessage(columns).pairs()
  }

  verdict(counts: Omit<ShadowCounts, 'dropped'>): Promise<Report> {
    return this.call((id) => ({ type: 'verdict', id, counts })) as Promise<Report>
  }

  metricsJson(): Promise<unknown[]> {
    return this.call((id) => ({ type: 'metrics', id })) as Promise<unknown[]>
  }

  /** Ends the thread after it dropped its queue and aborted its mirrors; what it kept (null: it was lost). */
  async close(): Promise<MirrorFinal | null> {
    this.closing = true
    const worker = this.worker
    if (worker === null) return null
    let timer: NodeJS.Timeout | undefined
    const final = await Promise.race([
      this.call((id) => ({ type: 'close', id })) as Promise<MirrorFinal>,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new MirrorGone()), CLOSE_TIMEOUT_MS)
      }),
    ]).catch((error: unknown) => {
      this.hooks.onError(
        error instanceof MirrorGone
          ? new TrafficError(
              'MG_SHADOW_MIRROR_LOST',
              `The shadow mirror thread did not hand its ${this.pairCount} pairs back as the proxy closed (it ended, or took over ${CLOSE_TIMEOUT_MS / 1000} s): they are lost.`,
            )
          : error,
      )
      return null
    })
    clearTimeout(timer)
    this.worker = null
    await worker.terminate()
    return final
  }

  /** Starts a thread (at construction, and after a loss). */
  private start(): void {
    const { port1, port2 } = new MessageChannel()
    port1.unref()
    this.shared = new Float64Array(new SharedArrayBuffer(8 * SHARED.length))
    Atomics.store(this.signal, 1, 0)
    this.firstId = this.nextId
    const worker = startWorkerThread(new URL('./shadowMirrorWorker', import.meta.url), {
      workerData: { settings: { ...this.settings, shared: this.shared }, replies: port2, signal: this.signal },
      transferList: [port2],
      exitFlag: { flags: this.signal, index: 1 },
      ...(this.limits === undefined ? {} : { resourceLimits: this.limits }),
    })
    worker.on('message', (reply: MirrorReply) => {
      if (this.worker === worker) this.receive(reply)
    })
    worker.on('error', (error) => this.lose(worker, `failed (${errorName(error)})`, error))
    worker.on('exit', (code) => this.lose(worker, `ended (exit code ${code})`))
    worker.unref()
    this.worker = worker
    this.replies = port1
  }

  /** A body into the batch: its place among the batch's bytes ([0, -1]: none). */
  private add(body: Buffer | null): [number, number] {
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(this.flushNow)
    }
    if (body === null) return [0, -1]
    const offset = this.bytes
    this.chunks.push(body)
    this.bytes += body.length
    return [offset, body.length]
  }

  private flush(): void {
    this.scheduled = false
    const worker = this.worker
    if (worker === null || (this.jobs.length === 0 && this.primaries.length === 0)) return
    // one buffer of its own (not Node's shared pool), so that it can be transferred rather than copied again
    const bytes = new Uint8Array(this.bytes)
    let at = 0
    for (const chunk of this.chunks) {
      bytes.set(chunk, at)
      at += chunk.length
    }
    const batch: BatchMessage = { type: 'batch', bytes: bytes.buffer, jobs: this.jobs, primaries: this.primaries }
    worker.postMessage(batch, [bytes.buffer])
    this.jobs = []
    this.primaries = []
    this.chunks = []
    this.bytes = 0
  }

  private call(request: (id: number) => MirrorRequest): Promise<unknown> {
    const worker = this.worker
    if (worker === null) return Promise.reject(new MirrorGone())
    this.flush()
    const id = this.nextCall++
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject })
      worker.postMessage(request(id))
    })
  }

  private receive(reply: MirrorReply): void {
    if (reply.type === 'drift') this.hooks.onDrift(reply.reports)
    else if (reply.type === 'problem')
      this.hooks.onError(fromThreadError(reply.error, 'MG_SHADOW_MIRROR_FAILED', 'The shadow mirror thread failed'))
    else {
      const call = this.calls.get(reply.id)
      this.calls.delete(reply.id)
      if (reply.error === undefined) call?.resolve(reply.value)
      else
        call?.reject(
          fromThreadError(reply.error, 'MG_SHADOW_MIRROR_FAILED', 'The shadow mirror thread could not answer'),
        )
    }
  }

  /** The pairs ever recorded in the status count those of lost threads too. */
  private wholeRun(query: MirrorQuery, value: unknown): unknown {
    if (query.kind !== 'status' || this.pairsBefore === 0) return value
    const part = value as StatusPart
    return { ...part, pairsTotal: part.pairsTotal + this.pairsBefore }
  }

  private lose(worker: Worker, what: string, cause?: unknown): void {
    if (this.worker !== worker) return
    this.worker = null
    this.replies = null
    const pairs = this.shared[SHARED.total] as number
    const dropped = this.shared[SHARED.dropped] as number
    const kept = this.shared[SHARED.size] as number
    // handed over (this turn's batch too) and neither paired nor dropped by the thread
    const unfinished = Math.max(0, this.nextId - this.firstId - pairs - dropped)
    this.jobs = []
    this.primaries = []
    this.chunks = []
    this.bytes = 0
    this.lost += dropped + unfinished
    this.lostRequests += unfinished
    this.pairsBefore += pairs
    // mirroring may stop here: what the lost thread counted is in `lost` now
    this.shared = new Float64Array(new SharedArrayBuffer(8 * SHARED.length))
    for (const [id, call] of this.calls) {
      this.calls.delete(id)
      call.reject(new MirrorGone())
    }
    void worker.terminate()
    // while closing, close() says what was lost
    if (this.closing) return
    this.losses++
    const restart = pairs + dropped > 0
    const gone =
      kept + unfinished === 0
        ? ''
        : ` the ${kept} pairs it kept and the ${unfinished} mirrored requests it had not finished are lost (counted as dropped, reason "lost").`
    const next = restart
      ? 'A new mirror thread took over; its pairs start from none.'
      : 'Mirroring stopped: the thread was lost before it finished any request, so a new one would be too. The primary is still served.'
    const error = new TrafficError('MG_SHADOW_MIRROR_LOST', `The shadow mirror thread ${what}:${gone} ${next}`, {
      cause,
    })
    this.lastLoss = error.message
    this.hooks.onError(error)
    if (!restart) {
      this.stopped = true
      return
    }
    try {
      this.start()
    } catch (failure) {
      this.stopped = true
      this.hooks.onError(
        new TrafficError(
          'MG_SHADOW_MIRROR_LOST',
          `A new shadow mirror thread could not start (${errorName(failure)}): mirroring stopped. The primary is still served.`,
          { cause: failure },
        ),
      )
    }
  }
}
