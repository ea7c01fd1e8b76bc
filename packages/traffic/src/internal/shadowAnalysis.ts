import { Worker } from 'node:worker_threads'
import type { Report } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import type { JudgeCanaryOptions } from '../judgeCanary.js'
import { judgeCanary } from '../judgeCanary.js'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { ShadowStoreMessage } from './shadowStore.js'
import { ShadowStore } from './shadowStore.js'

/** What the analysis thread starts with. */
export interface AnalysisSettings {
  readonly capacity: number
  readonly driftIntervalMs: number
  readonly drift: {
    readonly baseline: Baseline
    readonly featuresField: string | undefined
    readonly predictionField: string
    readonly methods: readonly string[] | undefined
  } | null
}

/** Messages to the analysis thread. */
export type AnalysisMessage =
  | { readonly type: 'pairs'; readonly batch: ShadowStoreMessage; readonly bodies: readonly (string | null)[] }
  | { readonly type: 'judge'; readonly id: number; readonly counts: ShadowCounts; readonly options: JudgeCanaryOptions }

type Reply =
  | { readonly type: 'verdict'; readonly id: number; readonly report?: Report; readonly error?: string }
  | { readonly type: 'drift'; readonly reports: ShadowDriftReports }
  | { readonly type: 'problem'; readonly error: string }

const BATCH = 256
const FLUSH_MS = 100

/**
 * The proxy's analysis off its event loop: a worker thread keeps a copy of the pairs (sent in batches of up to 256,
 * or every 100 ms, as the typed columns of a small ShadowStore whose buffers are transferred, not cloned: no object
 * per pair lives on the proxy's heap past its request), feeds
 * drift's window states from the request bodies, pushes the drift reports back every `driftIntervalMs` while pairs
 * come in (`drift()` is the last of them), and judges the canary when asked. If the thread cannot start or dies,
 * verdicts are judged on the caller's thread from `pairs()` (without drift), and `onError` says so.
 */
export class ShadowAnalysis {
  private worker: Worker | null
  private pending = new ShadowStore(BATCH)
  private pendingBodies: (string | null)[] = []
  private readonly timer: NodeJS.Timeout
  private nextId = 0
  private readonly waiting = new Map<number, { resolve: (r: Report) => void; reject: (e: Error) => void }>()
  private lastDrift: ShadowDriftReports | null = null

  constructor(
    settings: AnalysisSettings,
    private readonly pairs: () => ShadowPair[],
    private readonly onError: (error: unknown) => void,
    private readonly onDrift: (reports: ShadowDriftReports) => void,
  ) {
    this.worker = startAnalysisThread(settings)
    this.worker.on('message', (reply: Reply) => this.receive(reply))
    this.worker.on('error', (error) => this.lose(error))
    this.worker.on('exit', () => this.lose(new Error('the shadow analysis thread ended')))
    this.worker.unref()
    this.timer = setInterval(() => this.flush(), FLUSH_MS)
    this.timer.unref()
  }

  /** A new pair, with its request body (as text) when drift needs it. */
  add(pair: ShadowPair, body: string | null): void {
    if (this.worker === null) return
    this.pending.add(pair)
    this.pendingBodies.push(body)
    if (this.pending.total >= BATCH) this.flush()
  }

  /** The last drift reports the thread sent (null without a baseline or before the first). */
  drift(): ShadowDriftReports | null {
    return this.lastDrift
  }

  judge(counts: ShadowCounts, options: JudgeCanaryOptions): Promise<Report> {
    if (this.worker === null) return Promise.resolve(judgeCanary(this.pairs(), counts, options))
    this.flush()
    const id = this.nextId++
    return new Promise<Report>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker?.postMessage({ type: 'judge', id, counts, options } satisfies AnalysisMessage)
    }).catch(() => judgeCanary(this.pairs(), counts, options))
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  private receive(reply: Reply): void {
    if (reply.type === 'drift') {
      this.lastDrift = reply.reports
      this.onDrift(reply.reports)
    } else if (reply.type === 'problem') this.onError(new Error(reply.error))
    else {
      const waiter = this.waiting.get(reply.id)
      this.waiting.delete(reply.id)
      if (reply.report !== undefined) waiter?.resolve(reply.report)
      else waiter?.reject(new Error(reply.error ?? 'the canary judge failed'))
    }
  }

  private flush(): void {
    if (this.worker === null || this.pending.total === 0) return
    const { message, transfer } = this.pending.toMessage()
    this.worker.postMessage(
      { type: 'pairs', batch: message, bodies: this.pendingBodies } satisfies AnalysisMessage,
      transfer,
    )
    this.pending = new ShadowStore(BATCH)
    this.pendingBodies = []
  }

  private lose(error: Error): void {
    if (this.worker === null) return
    this.worker = null
    this.pending = new ShadowStore(BATCH)
    this.pendingBodies = []
    this.onError(error)
    // verdicts asked for meanwhile are judged on this thread instead (judge's catch)
    for (const [id, waiter] of this.waiting) {
      this.waiting.delete(id)
      waiter.reject(error)
    }
  }
}

/**
 * Starts shadowAnalysisWorker: the compiled `.js`, or, when ModelGate runs from its TypeScript sources (tests,
 * benchmarks), the `.ts` with tsx's loader registered inside the worker first (as synth's startWorkerThread does).
 */
function startAnalysisThread(settings: AnalysisSettings): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = JSON.stringify(new URL(`./shadowAnalysisWorker${fromSource ? '.ts' : '.js'}`, import.meta.url).href)
  const load = fromSource
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}) })`
    : `import(${entry})`
  return new Worker(load, { eval: true, workerData: settings })
}
