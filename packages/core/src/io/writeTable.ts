import { cancelledError } from '../errors.js'
import type { Table } from '../Table.js'
import { createTableWriter } from './createTableWriter.js'
import type { WriteOptions, WriteSummary } from './WriteOptions.js'

function isTable(value: Table | AsyncIterable<Table> | Iterable<Table>): value is Table {
  return typeof (value as Table).numRows === 'number' && Array.isArray((value as Table).columns)
}

/**
 * Writes a table, or a stream of tables, to `file` atomically (temp file + rename; nothing is left behind on error
 * or when `options.signal` is aborted).
 * Format from the extension (csv, tsv, json, jsonl, parquet, arrow) or `options.format`.
 */
export async function writeTable(
  file: string,
  data: Table | AsyncIterable<Table> | Iterable<Table>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const writer = await createTableWriter(file, options)
  let rows = 0
  const check = (): void => {
    if (options.signal?.aborted !== true) return
    throw cancelledError(
      `Writing ${options.displayName ?? file} was cancelled after ${rows.toLocaleString('en-US')} rows; nothing was written.`,
      { location: { file: options.displayName ?? file } },
    )
  }
  try {
    if (isTable(data)) await writer.write(data)
    else {
      for await (const chunk of data) {
        check()
        await writer.write(chunk)
        rows += chunk.numRows
      }
    }
    check()
  } catch (error) {
    await writer.abort()
    throw error
  }
  return writer.close()
}
