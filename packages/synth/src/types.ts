import type { PiiType, Table, TableSchema } from '@modelgate/core'
import type { CtganSettings } from './ctgan/CtganSettings.js'
import type { SynthModelFile } from './modelFile.js'

/** A PII semantic type, or `id` for an opaque unique identifier. */
export type PiiKind = PiiType | 'id'

export interface TrainProgress {
  readonly phase: 'marginals' | 'correlation' | 'done'
  readonly done: number
  readonly total: number
}

export interface TrainSynthesizerOptions {
  readonly synthesizer?: 'copula' | 'ctgan'
  /** CTGAN settings (epochs, backend, checkpoints, progress…) when `synthesizer` is `ctgan`. */
  readonly ctgan?: CtganSettings
  /** Annotated schema: PII tags, bounds, allowed values. Columns it names must exist in the data. */
  readonly schema?: TableSchema
  /** Extra PII tags by column name (added to the schema's). */
  readonly pii?: Readonly<Record<string, PiiKind>>
  /** Flag PII in columns the schema does not describe, from names and value shapes (core's detectPii). Default true. */
  readonly detectPii?: boolean
  /**
   * Seed for every random choice in fitting (tie-breaking, subsampling). Default 0. With `epsilon`, the DP noise
   * comes from the OS unless a seed is given; a given seed makes it reproducible by whoever knows the seed.
   */
  readonly seed?: number
  /** Categories (and point masses) seen fewer than k times are never stored. Default 5. */
  readonly k?: number
  /** What rare categories become: dropped (default) or collapsed into one `otherLabel` bucket. */
  readonly rareCategories?: 'drop' | 'other'
  /** Label of the collapsed bucket. Default `__other__`. */
  readonly otherLabel?: string
  /** A non-PII categorical with more kept categories than this is a "category explosion" error. Default 1000. */
  readonly maxCategories?: number
  /**
   * Differential privacy budget ε (neighbours: one row added or removed). Every stored quantity then comes from the
   * schema or from a DP mechanism listed in the model file's `privacy.dp`. Copula only.
   */
  readonly epsilon?: number
  /**
   * The δ of (ε, δ)-DP, spent only by categorical columns whose categories come from the data (chosen by noisy
   * counts); with a schema declaring every category the model is pure ε-DP. Default 1e-6.
   */
  readonly delta?: number
  /**
   * Refuse to train (MG_SYNTH_PRIVACY_STRICT, exit 2) when a column looks like PII but is not tagged, or holds
   * quasi-identifier values (the entity-memorization rule). Default false: both are handled and named in warnings.
   */
  readonly strict?: boolean
  /** File the table came from, for error messages. */
  readonly source?: string
  readonly onProgress?: (progress: TrainProgress) => void
  /**
   * Cancels a copula fit (it rejects with MG_CANCELLED). A fit over more than a million cells then runs in a worker
   * thread, so cancelling stops it at once; CTGAN takes its signal in `ctgan.signal`.
   */
  readonly signal?: AbortSignal
}

export type WhereValue = string | number | boolean

export interface SampleOptions {
  /** Same seed ⇒ same rows. Default 0. */
  readonly seed?: number
  /** Fix column values (conditional sampling). Produces exactly n matching rows or throws. */
  readonly where?: Readonly<Record<string, WhereValue>>
  /** Rows per chunk; chunk c draws from a generator derived from (seed, c). Default 65,536. */
  readonly chunkRows?: number
}

export interface Shard {
  /** 0-based shard index. */
  readonly index: number
  readonly count: number
}

export interface StreamProgress {
  readonly rowsDone: number
  readonly rowsTotal: number
}

export interface StreamOptions extends SampleOptions {
  /** Emit only this shard's chunks: a contiguous range, so concatenating shards 0..n-1 equals one run. */
  readonly shard?: Shard
  readonly onProgress?: (progress: StreamProgress) => void
}

export interface SynthModel {
  readonly synthesizer: 'copula' | 'ctgan'
  readonly columnNames: readonly string[]
  /** n rows in memory, the concatenation of the chunks `stream(n)` yields. */
  sample(n: number, options?: SampleOptions): Table
  /** n rows as chunks of `chunkRows` (bounded memory). */
  stream(n: number, options?: StreamOptions): AsyncIterable<Table>
  /** The model file: parameters only, JSON-serializable. */
  toJSON(): SynthModelFile
  /** Writes the model file to `path` atomically (CTGAN: its weights beside it, `<name>.weights.bin`). */
  save(path: string): Promise<void>
  /** Releases what the model holds outside the JS heap (CTGAN: native sessions, worker threads; the copula: nothing). */
  dispose(): void
}
