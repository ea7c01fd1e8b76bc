import { Worker } from 'node:worker_threads'
import type { Report } from '@modelgate/core'
import type { JudgeCanaryOptions } from '../judgeCanary.js'
import { judgeCanary } from '../judgeCanary.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'

/** Messages to the judge's thread. */
export type JudgeMessage =
  | { readonly type: 'pairs'; readonly pairs: readonly ShadowPair[] }
  | { readonly type: 'judge'; readonly id: number; readonly counts: ShadowCounts; readonly options: JudgeCanaryOptions }

const BATCH = 256
const FLUSH_MS = 100

/**
 * The canary judge off the proxy's event loop: a worker thread keeps a copy of the pairs (sent in batches of up to
 * 256, or every 100 ms: small structured clones spread over time instead of one of the whole store per verdict)
 * and judges them when asked. If the thread cannot start or dies, verdicts are judged on the caller's thread from
 * `pairs()` instead (slower for the proxied requests while it runs, never wrong).
 */
export class ShadowJudge {
  private worker: Worker | null
  private pending: ShadowPair[] = []
  private readonly timer: NodeJS.Timeout
  private nextId = 0
  private readonly waiting = new Map<number, { resolve: (r: Report) => void; reject: (e: Error) => void }>()

  constructor(
    capacity: number,
    private readonly pairs: () => ShadowPair[],
    private readonly onError: (error: unknown) => void,
  ) {
    this.worker = startJudgeThread(capacity)
    this.worker.on('message', (reply: { id: number; report?: Report; error?: string }) => {
      const waiter = this.waiting.get(reply.id)
      this.waiting.delete(reply.id)
      if (reply.report !== undefined) waiter?.resolve(reply.report)
      else waiter?.reject(new Error(reply.error ?? 'the canary judge failed'))
    })
    this.worker.on('error', (error) => this.lose(error))
    this.worker.on('exit', () => this.lose(new Error('the canary judge thread ended')))
    this.worker.unref()
    this.timer = setInterval(() => this.flush(), FLUSH_MS)
    this.timer.unref()
  }

  add(pair: ShadowPair): void {
    if (this.worker === null) return
    this.pending.push(pair)
    if (this.pending.length >= BATCH) this.flush()
  }

  judge(counts: ShadowCounts, options: JudgeCanaryOptions): Promise<Report> {
    if (this.worker === null) return Promise.resolve(judgeCanary(this.pairs(), counts, options))
    this.flush()
    const id = this.nextId++
    return new Promise<Report>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.worker?.postMessage({ type: 'judge', id, counts, options } satisfies JudgeMessage)
    }).catch(() => judgeCanary(this.pairs(), counts, options))
  }

  async close(): Promise<void> {
    clearInterval(this.timer)
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  private flush(): void {
    if (this.worker === null || this.pending.length === 0) return
    this.worker.postMessage({ type: 'pairs', pairs: this.pending } satisfies JudgeMessage)
    this.pending = []
  }

  private lose(error: Error): void {
    if (this.worker === null) return
    this.worker = null
    this.pending = []
    this.onError(error)
    // the verdicts asked for meanwhile are judged on this thread instead (judge's catch)
    for (const [id, waiter] of this.waiting) {
      this.waiting.delete(id)
      waiter.reject(error)
    }
  }
}

/**
 * Starts shadowJudgeWorker: the compiled `.js`, or, when ModelGate runs from its TypeScript sources (tests,
 * benchmarks), the `.ts` with tsx's loader registered inside the worker first (as synth's startWorkerThread does).
 */
function startJudgeThread(capacity: number): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = JSON.stringify(new URL(`./shadowJudgeWorker${fromSource ? '.ts' : '.js'}`, import.meta.url).href)
  const load = fromSource
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}) })`
    : `import(${entry})`
  return new Worker(load, { eval: true, workerData: { capacity } })
}
