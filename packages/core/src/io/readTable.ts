import { cancelledError } from '../errors.js'
import type { Table } from '../Table.js'
import { concatTables } from '../table/concatTables.js'
import { detectFormat } from './detectFormat.js'
import type { ReadOptions } from './ReadOptions.js'
import { streamTableInternal } from './streamTable.js'

/**
 * Reads a whole CSV, TSV, JSON, JSONL, Parquet or Arrow IPC file into one table (format from the extension or
 * `options.format`). Without a schema, kinds are inferred from the first chunk and widened where lossless
 * (integer → numeric; a column null in the first chunk takes the kind of its first values).
 */
export async function readTable(file: string, options: ReadOptions = {}): Promise<Table> {
  const chunks: Table[] = []
  // Parquet and Arrow are already chunked by row group / record batch: no need to re-slice them for readTable.
  const format = detectFormat(file, options.format, options.displayName)
  const whole =
    options.chunkRows === undefined && (format === 'parquet' || format === 'arrow')
      ? { ...options, chunkRows: Number.MAX_SAFE_INTEGER }
      : options
  for await (const chunk of streamTableInternal(file, whole, true)) {
    if (options.signal?.aborted === true)
      throw cancelledError(`Reading ${options.displayName ?? file} was cancelled; nothing was written.`)
    chunks.push(chunk)
  }
  return concatTables(chunks)
}
