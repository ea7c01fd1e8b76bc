import type { TableSchema } from '../schema/Schema.js'
import type { ColumnKind } from '../Table.js'

/** File formats ModelGate reads and writes. */
export type FileFormat = 'csv' | 'tsv' | 'json' | 'jsonl' | 'parquet' | 'arrow'

/** Progress of a read or write, reported through `onProgress`. */
export interface IoProgress {
  /** Data rows read (or written) so far. */
  readonly rows: number
  /** Bytes of the file consumed so far (reads; compressed bytes for `.gz`). */
  readonly bytes: number
  /** File size in bytes, when known. */
  readonly totalBytes?: number
}

export interface ReadOptions {
  /** Overrides the format implied by the file extension. */
  readonly format?: FileFormat
  /** Column kinds (and datetime formats, categorical values) to read with, instead of inferring them. */
  readonly schema?: TableSchema
  /** Per-column kinds; win over `schema` and inference. */
  readonly kinds?: Readonly<Record<string, ColumnKind>>
  /** CSV field delimiter (one character). Default `,` for csv and tab for tsv. */
  readonly delimiter?: string
  /** Text read as null (after trimming). Default `['', 'NA', 'N/A', 'null', 'NULL']`. `NaN` is not null by default. */
  readonly nullValues?: readonly string[]
  /** Trim spaces around unquoted CSV fields and around quotes (default true; the text inside quotes is kept). */
  readonly trim?: boolean
  /** Keep `NaN`/`Infinity` in numeric columns instead of failing with `MG_DATA_NOT_FINITE` (default false). */
  readonly allowNonFinite?: boolean
  /**
   * Read dates written with day and month as numbers (`01/02/2000`) day first when the data does not prove the
   * order (a first field above 12 proves day first, a second above 12 month first). Default false: month first.
   */
  readonly dayFirst?: boolean
  /** Rows per chunk while reading (default 65,536); kinds are inferred from the first chunk. */
  readonly chunkRows?: number
  /** Read only these columns (Parquet and Arrow skip the others on disk; text formats parse and drop them). */
  readonly columns?: readonly string[]
  readonly onProgress?: (progress: IoProgress) => void
  /** readTable stops between chunks once this is aborted (MG_CANCELLED). */
  readonly signal?: AbortSignal
  /** Name used for the file in error messages (default: the path as given). */
  readonly displayName?: string
}

export interface StreamOptions extends ReadOptions {}

export const DEFAULT_NULL_VALUES: readonly string[] = ['', 'NA', 'N/A', 'null', 'NULL']
export const DEFAULT_CHUNK_ROWS = 65_536
