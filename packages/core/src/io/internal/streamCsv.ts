import type { Column, Table } from '../../Table.js'
import { inferTextKind } from '../inferTextKind.js'
import { DEFAULT_CHUNK_ROWS, DEFAULT_NULL_VALUES, type ReadOptions } from '../ReadOptions.js'
import { type ColumnPlan, chunkContext } from './ColumnPlan.js'
import { CsvParser } from './CsvParser.js'
import { convertTextColumn } from './convertTextColumn.js'
import { emptyFile, fileSize } from './openFile.js'
import { planColumns } from './planColumns.js'
import { readByteChunks } from './readTextChunks.js'
import { selectedIndexes } from './selectedIndexes.js'

/** Fields per chunk of a wide file (65,536 rows × 64 columns): narrower files keep 65,536-row chunks. */
const CHUNK_CELLS = 4_194_304
const MIN_CHUNK_ROWS = 64

/** CSV/TSV as a stream of tables of `chunkRows` rows (the last may be shorter; a header-only file gives one empty table). */
export async function* streamCsv(
  file: string,
  options: ReadOptions,
  defaultDelimiter: string,
  widen: boolean,
): AsyncGenerator<Table> {
  const shown = options.displayName ?? file
  const totalBytes = await fileSize(file, shown)
  // Without an explicit chunkRows, a wide file's chunks hold at most CHUNK_CELLS fields (the first chunk, parsed as one
  // string per field for kind inference, would otherwise be 65,536 rows × every column: gigabytes at 100k columns).
  let chunkRows = Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS)
  let bounded = options.chunkRows !== undefined
  const bound = (): void => {
    if (bounded || parser.header === null) return
    bounded = true
    const width = Math.max(1, (parser.header as string[]).length)
    chunkRows = Math.min(chunkRows, Math.max(MIN_CHUNK_ROWS, Math.floor(CHUNK_CELLS / width)))
  }
  const parser = new CsvParser({
    file: shown,
    delimiter: options.delimiter ?? defaultDelimiter,
    trim: options.trim ?? true,
    nullValues: new Set(options.nullValues ?? DEFAULT_NULL_VALUES),
  })
  let plans: ColumnPlan[] | null = null
  let keep: number[] = []
  let inferredFromRows = 0
  let emitted = 0
  let bytes = 0

  const emit = (): Table => {
    const n = parser.rows
    const rowOffset = parser.rowsBefore
    const raw = parser.take()
    const header = parser.header as string[]
    if (plans === null) {
      keep = selectedIndexes(header, options.columns, shown)
      inferredFromRows = n
      plans = planColumns(header, shown, options.schema, options.kinds, (i) => {
        const values = raw[i] as (string | null)[]
        if (widen && values.every((v) => v === null)) return { kind: 'unresolved' }
        return inferTextKind(values, { name: header[i] as string, dayFirst: options.dayFirst === true })
      })
    }
    const ctx = chunkContext(options, { file: shown, rowOffset, widen, inferredFromRows })
    const columns: Column[] = keep.map((i) => {
      const part = raw[i] as (string | null)[] | Column
      if (!Array.isArray(part)) return part as Column
      const plan = (plans as ColumnPlan[])[i] as ColumnPlan
      const wasUnresolved = plan.kind === 'unresolved'
      const column = convertTextColumn(part, n, plan, ctx)
      if (wasUnresolved && plan.kind !== 'unresolved' && emitted > 0) parser.resolveColumn(i)
      return column
    })
    if (emitted === 0) parser.enableTyped(plans, ctx, chunkRows, keep)
    emitted++
    options.onProgress?.({ rows: rowOffset + n, bytes, totalBytes })
    return { numRows: n, columns }
  }

  let pending: Buffer | null = null
  let first = true
  for await (const chunk of readByteChunks(
    file,
    (b) => {
      bytes = b
    },
    shown,
  )) {
    const buf: Buffer = pending === null ? chunk : Buffer.concat([pending, chunk])
    let from = 0
    if (first && buf.length >= 3) {
      first = false
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) from = 3 // UTF-8 BOM
    }
    for (;;) {
      from = parser.parse(buf, from, false, chunkRows)
      bound()
      if (parser.rows >= chunkRows) yield emit()
      else break
    }
    pending = from < buf.length ? buf.subarray(from) : null
  }
  let rest: Buffer = pending ?? Buffer.alloc(0)
  if (first && rest.length >= 3 && rest[0] === 0xef && rest[1] === 0xbb && rest[2] === 0xbf) rest = rest.subarray(3)
  let from = 0
  for (;;) {
    const before = from
    from = parser.parse(rest, from, true, chunkRows)
    bound()
    if (parser.rows >= chunkRows) yield emit()
    else if (from === before) break
    if (from >= rest.length) break
  }
  if (parser.header === null) throw emptyFile(shown)
  if (parser.rows > 0 || emitted === 0) yield emit()
}
