import type { Table } from '../../Table.js'
import type { FileFormat, ReadOptions } from '../ReadOptions.js'
import { streamArrow } from './streamArrow.js'
import { streamJson } from './streamJson.js'
import { streamParquet } from './streamParquet.js'

/** JSON, JSONL, Parquet and Arrow readers (loaded lazily so CSV-only users never load hyparquet or apache-arrow). */
export async function* streamOther(
  file: string,
  format: FileFormat,
  options: ReadOptions,
  widen: boolean,
): AsyncGenerator<Table> {
  if (format === 'json' || format === 'jsonl') yield* streamJson(file, options, format === 'jsonl', widen)
  else if (format === 'parquet') yield* streamParquet(file, options, widen)
  else yield* streamArrow(file, options, widen)
}
