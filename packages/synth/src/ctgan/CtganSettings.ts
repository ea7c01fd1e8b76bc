import type { CtganBackend } from './internal/engine/MatrixEngine.js'

export type { CtganBackend }

/** Per-epoch progress of CTGAN training. */
export interface CtganProgress {
  readonly phase: 'transform' | 'epoch' | 'done'
  readonly epoch: number
  readonly epochs: number
  /** Mean generator / discriminator loss over the epoch's steps. */
  readonly lossG: number
  readonly lossD: number
  readonly seconds: number
  readonly backend: CtganBackend
  /** Training threads: data-parallel replicas, each on its share of every batch (1: one thread). */
  readonly replicas: number
}

/** The GAN-specific settings (`trainSynthesizer(table, { synthesizer: 'ctgan', ctgan: {…} })`). */
export interface CtganSettings {
  /** Default 300. */
  readonly epochs?: number
  /** Rows per step, a multiple of `pac`. Default 500. */
  readonly batchSize?: number
  /** Noise dimension. Default 128. */
  readonly embeddingDim?: number
  /** Residual block widths. Default [256, 256]. */
  readonly generatorDims?: readonly number[]
  /** Hidden layer widths. Default [256, 256]. */
  readonly discriminatorDims?: readonly number[]
  /** PacGAN pack size. Default 10. */
  readonly pac?: number
  /** Adam learning rate (both networks). Default 2e-4. */
  readonly learningRate?: number
  /** Adam betas. Default [0.5, 0.9]. */
  readonly betas?: readonly [number, number]
  /** L2 weight decay. Default 1e-6 for both. */
  readonly generatorDecay?: number
  readonly discriminatorDecay?: number
  /** WGAN-GP λ. Default 10. */
  readonly gradientPenalty?: number
  /** Gumbel-softmax temperature. Default 0.2. */
  readonly tau?: number
  /** Discriminator updates per generator update. Default 1. */
  readonly discriminatorSteps?: number
  /** Discriminator dropout. Default 0.5. */
  readonly dropout?: number
  /**
   * Sample from an exponential moving average of the generator's weights with this decay (Yazıcı et al.
   * 2019); 0 samples from the last weights, as the reference does. Default 0.999.
   */
  readonly generatorAverage?: number
  /**
   * After training, shift the output logits so that generated category, null and mode shares match the
   * training data's (logit adjustment fitted on a pilot of generated rows; see calibrateOutputBias), then, per
   * condition "column C = c" held by at least 100 rows, the shares of every other column among rows generated
   * under it (see calibrateConditionals). `'marginal'` does only the first. Default true.
   */
  readonly calibrate?: boolean | 'marginal'
  /**
   * Data-parallel training only: batch-norm statistics over the whole batch, exactly as one thread computes
   * them (true, the default), or per replica's share ("ghost" batch norm, as data-parallel PyTorch without
   * SyncBatchNorm; measured ~7% faster per epoch on 2 cores).
   */
  readonly syncBatchNorm?: boolean
  /** Bayesian GMM per numeric column: at most this many modes (default 10), modes under `modeWeightThreshold` (default 0.005) dropped. */
  readonly maxModes?: number
  readonly modeWeightThreshold?: number
  /**
   * Where the matrix products run. `auto` (default): ONNX Runtime (native, multi-threaded), else tfjs-node
   * if installed, else tfjs-wasm, else the pure-JS cpu backend.
   */
  readonly backend?: CtganBackend | 'auto'
  /**
   * Threads the CTGAN may use (default: the machine's cores, at most 4). With ONNX Runtime and 2 or more, the work
   * is spread over worker threads (see `workerThreads`): training is data-parallel — one replica per thread, each
   * on its share of every batch (the batch must split into whole pac groups, else fewer replicas), weights and
   * optimizer state in shared memory — and sampling draws every other chunk in a worker thread. 1 keeps training
   * and sampling on the calling thread.
   */
  readonly threads?: number
  /**
   * Whether training and sampling may use worker threads when `threads` is 2 or more. Default true; false keeps
   * them on the calling thread, ONNX Runtime then using `threads` threads inside each product. Rows and losses
   * do not depend on it for sampling; training with replicas draws its batches differently.
   */
  readonly workerThreads?: boolean
  /** Stop training after this many seconds (whole epochs; the model keeps what it learned). */
  readonly timeBudgetSeconds?: number
  /** Cancels training: the promise rejects with `MG_CANCELLED` and nothing is written. */
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: CtganProgress) => void
  /** Writes a resumable checkpoint (model file + weights + optimizer state) every `every` epochs. */
  readonly checkpoint?: { readonly path: string; readonly every: number }
  /** Resume from a checkpoint written with the same data and options. */
  readonly resumeFrom?: string
}
