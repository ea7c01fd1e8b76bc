import type { MessagePort, Worker } from 'node:worker_threads'
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads'
import type { Report } from '@modelgate/core'
import { startWorkerThread } from '@modelgate/core'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { ExchangeOutcome } from './shadowMirror.js'
import type { MirroredRequest, MirrorHooks, MirrorSide } from './shadowMirrorSide.js'
import type {
  BatchMessage,
  JobMessage,
  MirrorFinal,
  MirrorQuery,
  MirrorSettings,
  PrimaryMessage,
} from './shadowPairing.js'
import { SHARED } from './shadowPairing.js'
import type { ShadowStoreMessage } from './shadowStore.js'
import { ShadowStore } from './shadowStore.js'

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
  readonly error?: string
}

/** Messages from the mirror thread on its port. */
export type MirrorReply =
  | { readonly type: 'answer'; readonly id: number; readonly value?: unknown; readonly error?: string }
  | { readonly type: 'drift'; readonly reports: ShadowDriftReports }
  | { readonly type: 'problem'; readonly error: string }

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
 * handed over before. If the thread is lost, `onError` says so once, queries answer undefined (the caller falls back
 * to what it last had) and further mirrored requests are counted as `lost`.
 */
export class MirrorThread implements MirrorSide {
  private worker: Worker | null
  private readonly replies: MessagePort
  /** [0]: bumped by the thread after each query answer; [1]: set by the thread as it ends (core's exit flag). */
  private readonly signal = new Int32Array(new SharedArrayBuffer(8))
  /** The figures the thread keeps up to date for this one to read (see SHARED); still readable after it ended. */
  private readonly shared = new Float64Array(new SharedArrayBuffer(8 * SHARED.length))
  private nextId = 0
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
  /** Mirrored requests that found the thread lost (not mirrored; counted as dropped). */
  lost = 0

  constructor(
    settings: Omit<MirrorSettings, 'shared'>,
    private readonly hooks: MirrorHooks,
  ) {
    const { port1, port2 } = new MessageChannel()
    this.replies = port1
    port1.unref()
    this.worker = startWorkerThread(new URL('./shadowMirrorWorker', import.meta.url), {
      workerData: { settings: { ...settings, shared: this.shared }, replies: port2, signal: this.signal },
      transferList: [port2],
      exitFlag: { flags: this.signal, index: 1 },
    })
    this.worker.on('message', (reply: MirrorReply) => this.receive(reply))
    this.worker.on('error', (error) => this.lose(error))
    this.worker.on('exit', () => this.lose(new Error('the shadow mirror thread ended')))
    this.worker.unref()
  }

  /** Hands a mirrored request over (in this turn's batch); its number, for `primaryDone`; -1 when the thread is lost. */
  submit(request: MirroredRequest): number {
    if (this.worker === null) {
      this.lost++
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
    if (this.worker === null || id < 0) return
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

  /** Drops (the thread's, and requests that found it lost), read from shared memory: never waits. */
  get dropped(): number {
    return (this.shared[SHARED.dropped] as number) + this.lost
  }

  /** Pairs kept, read from shared memory: never waits. */
  get pairCount(): number {
    return this.shared[SHARED.size] as number
  }

  query(query: MirrorQuery): unknown {
    const worker = this.worker
    if (worker === null) return undefined
    this.flush()
    const seq = ++this.seq
    worker.postMessage({ type: 'query', seq, query } satisfies MirrorRequest)
    const deadline = performance.now() + QUERY_TIMEOUT_MS
    for (;;) {
      const seen = Atomics.load(this.signal, 0)
      const got = receiveMessageOnPort(this.replies)
      if (got !== undefined) {
        const reply = got.message as QueryReply
        // an answer to a query given up earlier is skipped
        if (reply.seq !== seq) continue
        if (reply.error === undefined) return reply.value
        this.hooks.onError(new Error(`the shadow mirror thread could not answer: ${reply.error}`))
        return undefined
      }
      if (Atomics.load(this.signal, 1) === 1) {
        this.lose(new Error('the shadow mirror thread ended'))
        return undefined
      }
      if (performance.now() > deadline) {
        this.lose(new Error(`the shadow mirror thread did not answer in ${QUERY_TIMEOUT_MS / 1000} s`))
        return undefined
      }
      Atomics.wait(this.signal, 0, seen, 50)
    }
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
        timer = setTimeout(() => reject(new Error('the shadow mirror thread did not close in time')), CLOSE_TIMEOUT_MS)
      }),
    ]).catch((error: unknown) => {
      this.hooks.onError(error)
      return null
    })
    clearTimeout(timer)
    this.worker = null
    await worker.terminate()
    return final
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
    if (worker === null) return Promise.reject(new Error('the shadow mirror thread is not running'))
    this.flush()
    const id = this.nextCall++
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve, reject })
      worker.postMessage(request(id))
    })
  }

  private receive(reply: MirrorReply): void {
    if (reply.type === 'drift') this.hooks.onDrift(reply.reports)
    else if (reply.type === 'problem') this.hooks.onError(new Error(reply.error))
    else {
      const call = this.calls.get(reply.id)
      this.calls.delete(reply.id)
      if (reply.error === undefined) call?.resolve(reply.value)
      else call?.reject(new Error(reply.error))
    }
  }

  private lose(error: Error): void {
    const worker = this.worker
    if (worker === null) return
    this.worker = null
    this.jobs = []
    this.primaries = []
    this.chunks = []
    this.bytes = 0
    // while closing, the close call's rejection says it
    if (!this.closing) this.hooks.onError(error)
    for (const [id, call] of this.calls) {
      this.calls.delete(id)
      call.reject(error)
    }
    void worker.terminate()
  }
}
