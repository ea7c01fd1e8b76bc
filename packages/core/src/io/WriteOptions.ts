import type { Table } from '../Table.js'
import type { FileFormat, IoProgress } from './ReadOptions.js'

/** Parquet compression codecs the writer supports (zstd needs Node ≥ 22 zlib and is not offered on Node 20). */
export type ParquetCodec = 'snappy' | 'gzip' | 'uncompressed'

export interface WriteOptions {
  /** Overrides the format implied by the file extension. */
  readonly format?: FileFormat
  /** CSV delimiter (default `,`; tab for tsv). */
  readonly delimiter?: string
  /** Parquet codec (default `snappy`, which every Parquet reader supports). */
  readonly codec?: ParquetCodec
  /** Parquet rows per row group (default 65,536; each `write` call is split into row groups of at most this size). */
  readonly rowGroupSize?: number
  /**
   * The chunks are handed over: the caller never reads a chunk's arrays again once it is written (a sampler's
   * fresh chunks). The CSV writer then moves large chunks' typed arrays to its encoding thread instead of copying
   * them, and encodes a chunk while the caller makes the next one. Default false (chunks stay the caller's).
   */
  readonly transferChunks?: boolean
  readonly onProgress?: (progress: IoProgress) => void
  /** Name used for the file in error messages (default: the path as given). */
  readonly displayName?: string
  /**
   * Stops `writeTable` between chunks once aborted (Ctrl-C in the CLI): it throws MG_CANCELLED (exit 1)
   * and removes the temp file, so nothing is written.
   */
  readonly signal?: AbortSignal
}

/** What a finished write produced. */
export interface WriteSummary {
  readonly path: string
  readonly format: FileFormat
  readonly rows: number
  readonly bytes: number
}

/**
 * An open, atomic table writer: chunks go to a hidden temp file beside the target, `close()` renames it into place,
 * `abort()` (or any failed `write`) removes it, so no partial output is ever visible under the target name.
 */
export interface TableWriter {
  write(chunk: Table): Promise<void>
  close(): Promise<WriteSummary>
  abort(): Promise<void>
}
