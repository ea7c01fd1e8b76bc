import type { Table } from '../Table.js'
import { detectFormat } from './detectFormat.js'
import { streamCsv } from './internal/streamCsv.js'
import type { ReadOptions } from './ReadOptions.js'

/**
 * Reads a CSV, TSV, JSON, JSONL, Parquet or Arrow IPC file as a stream of tables of about `chunkRows` rows, so a
 * file larger than memory can be processed. Column kinds come from `schema`/`kinds`, else from the first chunk; a
 * later value that contradicts them throws `MG_DATA_TYPE_MISMATCH` naming file, row and column. Categorical codes
 * are stable across chunks (each chunk's dictionary extends the previous one).
 */
export function streamTable(file: string, options: ReadOptions & { chunkRows?: number } = {}): AsyncIterable<Table> {
  return streamTableInternal(file, options, false)
}

/** @internal `widen` is readTable's mode: integer → numeric and all-null columns resolve later instead of failing. */
export async function* streamTableInternal(file: string, options: ReadOptions, widen: boolean): AsyncGenerator<Table> {
  const format = detectFormat(file, options.format, options.displayName)
  switch (format) {
    case 'csv':
      yield* streamCsv(file, options, ',', widen)
      return
    case 'tsv':
      yield* streamCsv(file, options, '\t', widen)
      return
    default: {
      const { streamOther } = await import('./internal/streamOther.js')
      yield* streamOther(file, format, options, widen)
    }
  }
}
