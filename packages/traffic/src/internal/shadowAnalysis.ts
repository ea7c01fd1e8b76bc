import type { Worker } from 'node:worker_threads'
import type { Report, ThreadError } from '@modelgate/core'
import { startWorkerThread } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import { TrafficError } from '../errors.js'
import type { JudgeCanaryOptions } from '../judgeCanary.js'
import { judgeCanary } from '../judgeCanary.js'
import type { ShadowDriftReports } from '../ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { ShadowStoreMessage } from './shadowStore.js'
import { errorName, fromThreadError } from './threadError.js'

/** What the analysis thread starts with. */
export interface AnalysisSettings {
  readonly drift: {
    readonly baseline: Baseline
    readonly featuresField: string | undefined
    readonly predictionField: string
    readonly methods: readonly string[] | undefined
  } | null
}

/** Messages to the analysis thread. */
export type AnalysisMessage =
  | {
      readonly type: 'rows'
      /** Request bodies as text (null: none, or not a mirrored body). */
      readonly bodies: readonly (string | null)[]
      /** Each model's prediction score per row (NaN: the answer held none). */
      readonly primary: Float64Array
      readonly candidate: Float64Array
    }
  | {
      readonly type: 'judge'
      readonly id: number
      readonly counts: ShadowCounts
      readonly options: JudgeCanaryOptions
      /** The pairs kept, as the store's columns (copied by the structured clone of postMessage). */
      readonly pairs: ShadowStoreMessage
    }

export type AnalysisReply =
  | { readonly type: 'verdict'; readonly id: number; readonly report?: Report; readonly error?: ThreadError }
  | { readonly type: 'drift'; readonly reports: ShadowDriftReports }
  | { readonly type: 'problem'; readonly error: ThreadError }

/** Rows waiting for the drift thread beyond which they are sent before the interval is up (memory stays bounded). */
const MAX_PENDING_ROWS = 8192

/**
 * The proxy's analysis off its event loop, on a worker thread that works only when there is analysis to do — never
 * per request, so it does not compete with the primary's exchanges for the machine's cores:
 * - the canary verdict: `judge` posts the kept pairs (the store's typed columns, copied once by postMessage) and the
 *   thread judges them;
 * - drift (with a baseline): the request bodies and both models' prediction scores are collected on the proxy's
 *   thread and sent every `driftIntervalMs` (or at 8,192 rows); the thread parses the bodies, feeds drift's window
 *   states and sends the reports back (`drift()` is the last of them).
 * The thread is started with the proxy (its modules load before traffic comes, not at the first verdict) and idles
 * between. If it cannot start or dies, verdicts are judged on the caller's thread from `pairs()` (without drift), and
 * `onError` says so once (`MG_SHADOW_ANALYSIS_LOST`); a drift evaluation that fails there is reported through `onError`
 * (`MG_SHADOW_ANALYSIS_FAILED`), a judgement that fails rejects the verdict.
 */
export class ShadowAnalysis {
  /** null: closed or lost (or it could not start). */
  private worker: Worker | null
  /** Messages posted to the thread. */
  private posted = 0
  private bodies: (string | null)[] = []
  private primaryScores: number[] = []
  private candidateScores: number[] = []
  private readonly timer: NodeJS.Timeout | undefined
  private nextId = 0
  private readonly waiting = new Map<number, { resolve: (r: Report) => void; reject: (e: Error) => void }>()
  private lastDrift: ShadowDriftReports | null = null
  /** The error the thread was lost with (the verdicts waiting then are judged on this thread instead). */
  private lostWith: Error | undefined

  constructor(
    private readonly settings: AnalysisSettings & { readonly driftIntervalMs: number },
    private readonly source: { readonly pairs: () => ShadowPair[]; readonly columns: () => ShadowStoreMessage },
    private readonly onError: (error: unknown) => void,
    private readonly onDrift: (reports: ShadowDriftReports) => void,
  ) {
    this.worker = this.startThread()
    if (settings.drift !== null) {
      this.timer = setInterval(() => this.flush(), settings.driftIntervalMs)
      this.timer.unref()
    }
  }

  /** A new pair's drift row: its request body (as text) and each model's prediction score; nothing without drift. */
  add(pair: ShadowPair, body: string | null): void {
    const drift = this.settings.drift
    if (drift === null || this.worker === null) return
    this.bodies.push(body)
    this.primaryScores.push(pair.primary.scores[drift.predictionField] ?? Number.NaN)
    this.candidateScores.push(pair.candidate.scores[drift.predictionField] ?? Number.NaN)
    if (this.bodies.length >= MAX_PENDING_ROWS) this.flush()
  }

  /** Messages posted to the thread so far (none per request: only verdicts and drift rows every interval). */
  get messages(): number {
    return this.posted
  }

  /** The last drift reports the thread sent (null without a baseline or before the first). */
  drift(): ShadowDriftReports | null {
    return this.lastDrift
  }

  judge(counts: ShadowCounts, options: JudgeCanaryOptions): Promise<Report> {
    const fallback = () => judgeCanary(this.source.pairs(), counts, options)
    const worker = this.worker
    if (worker === null) return Promise.resolve(fallback())
    // the drift rows so far go first: the verdict folds in drift up to now
    this.flush()
    const id = this.nextId++
    return new Promise<Report>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      this.posted++
      worker.postMessage({
        type: 'judge',
        id,
        counts,
        options,
        pairs: this.source.columns(),
      } satisfies AnalysisMessage)
    }).catch((error: unknown) => {
      if (error === this.lostWith) return fallback()
      throw error
    })
  }

  async close(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer)
    const worker = this.worker
    this.worker = null
    await worker?.terminate()
  }

  /** The thread, listened to (null: it could not start, and `onError` was told). */
  private startThread(): Worker | null {
    try {
      const worker = startAnalysisThread(this.settings)
      worker.on('message', (reply: AnalysisReply) => this.receive(reply))
      worker.on('error', (error) => this.lose(analysisLost(`failed (${errorName(error)})`, error)))
      worker.on('exit', () => this.lose(analysisLost('ended')))
      worker.unref()
      return worker
    } catch (error) {
      this.onError(analysisLost(`could not start (${errorName(error)})`, error))
      return null
    }
  }

  private receive(reply: AnalysisReply): void {
    if (reply.type === 'drift') {
      this.lastDrift = reply.reports
      this.onDrift(reply.reports)
    } else if (reply.type === 'problem')
      this.onError(
        fromThreadError(
          reply.error,
          'MG_SHADOW_ANALYSIS_FAILED',
          'The drift of the shadow traffic could not be evaluated',
        ),
      )
    else {
      const waiter = this.waiting.get(reply.id)
      this.waiting.delete(reply.id)
      if (reply.report !== undefined) waiter?.resolve(reply.report)
      else
        waiter?.reject(
          fromThreadError(
            reply.error ?? { message: 'no report' },
            'MG_SHADOW_ANALYSIS_FAILED',
            'The canary judge failed',
          ),
        )
    }
  }

  private flush(): void {
    if (this.bodies.length === 0) return
    const worker = this.worker
    if (worker !== null) {
      this.posted++
      worker.postMessage({
        type: 'rows',
        bodies: this.bodies,
        primary: Float64Array.from(this.primaryScores),
        candidate: Float64Array.from(this.candidateScores),
      } satisfies AnalysisMessage)
    }
    this.bodies = []
    this.primaryScores = []
    this.candidateScores = []
  }

  private lose(error: Error): void {
    if (this.worker === null) return
    this.worker = null
    this.bodies = []
    this.primaryScores = []
    this.candidateScores = []
    this.lostWith = error
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
  return startWorkerThread(new URL('./shadowAnalysisWorker', import.meta.url), {
    workerData: { drift: settings.drift } satisfies AnalysisSettings,
  })
}

function analysisLost(what: string, cause?: unknown): TrafficError {
  return new TrafficError(
    'MG_SHADOW_ANALYSIS_LOST',
    `The shadow analysis thread ${what}: verdicts are judged on the proxy's thread from now on, without drift.`,
    cause === undefined ? {} : { cause },
  )
}
