import { availableParallelism } from 'node:os'
import { SynthError } from '../../errors.js'

/** How a CTGAN training or model uses the threads it may take. */
export interface ThreadPlan {
  /** Threads the CTGAN may use in all (the `threads` setting, or the machine's cores, at most 4). */
  readonly threads: number
  /** Data-parallel training replicas, one per thread (1: this thread alone). */
  readonly replicas: number
  /** Sampling draws every other chunk in a worker thread. */
  readonly chunkWorker: boolean
  /**
   * ONNX Runtime's threads inside each product on the calling thread: one when another thread works beside it
   * (a training replica, the sampling worker), else all of them.
   */
  readonly engineThreads: number
}

export interface PlanThreadsOptions {
  readonly threads?: number | undefined
  /** Worker threads allowed (training replicas, the sampling worker). Default true. */
  readonly workerThreads?: boolean | undefined
  /** Whether the engine is ONNX Runtime (the only one whose threads split between workers). */
  readonly onnx: boolean
  /** Training only: the batch, which replicas split into whole packs. */
  readonly batch?: { readonly batchSize: number; readonly pac: number }
}

/**
 * With ONNX Runtime, 2 or more threads and worker threads allowed, the work is spread over JavaScript threads that
 * each run one-thread products — measured on 2 cores: two one-thread training replicas step faster than one on a
 * two-thread GEMM, and two one-thread sampling pipelines draw ~1.5× the rows of one on two threads, since half of
 * the work is host loops a GEMM's threads do not speed up. Otherwise one thread does everything, with `threads`
 * intra-op threads in each product.
 */
export function planThreads(options: PlanThreadsOptions): ThreadPlan {
  const threads = options.threads ?? Math.min(availableParallelism(), 4)
  if (!Number.isInteger(threads) || threads < 1) {
    throw new SynthError('MG_SYNTH_BAD_OPTION', `CTGAN threads must be a positive integer, got ${threads}.`, {
      hint: "The default is the machine's cores, at most 4.",
    })
  }
  const spread = options.onnx && (options.workerThreads ?? true) && Math.min(threads, availableParallelism()) >= 2
  const replicas = spread && options.batch !== undefined ? replicasFor(threads, options.batch) : 1
  const chunkWorker = spread
  const engineThreads = replicas > 1 || (chunkWorker && options.batch === undefined) ? 1 : threads
  return { threads, replicas, chunkWorker, engineThreads }
}

/** The most replicas, up to `threads`, that split a batch into whole packs (1: no data parallelism). */
function replicasFor(threads: number, batch: { readonly batchSize: number; readonly pac: number }): number {
  for (let r = Math.min(threads, availableParallelism()); r > 1; r--)
    if (batch.batchSize % (batch.pac * r) === 0) return r
  return 1
}
