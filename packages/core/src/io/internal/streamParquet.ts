import { asyncBufferFromFile, parquetMetadataAsync, parquetRead, parquetSchema } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { ModelGateError } from '../../errors.js'
import type { Column, ColumnKind, Table } from '../../Table.js'
import { sliceColumn } from '../../table/sliceTable.js'
import { ISO_DATE_FORMAT, ISO_DATETIME_FORMAT } from '../parseDatetime.js'
import { DEFAULT_CHUNK_ROWS, type ReadOptions } from '../ReadOptions.js'
import { buildColumnFromValues, stringColumnKind } from './buildColumnFromValues.js'
import { type ColumnPlan, chunkContext, dictionaryCode, dictionarySnapshot } from './ColumnPlan.js'
import type { KindsMetadata } from './kindsMetadata.js'
import { KINDS_METADATA_KEY, parseKindsMetadata } from './kindsMetadata.js'
import { numericColumn } from './numericColumn.js'
import { emptyFile, fileSize } from './openFile.js'
import { planColumns } from './planColumns.js'
import { type FlatTarget, isFlatParquetColumn, readFlatParquetColumn } from './readFlatParquetColumn.js'
import { selectedIndexes } from './selectedIndexes.js'

interface SchemaElementLike {
  name: string
  type?: string
  converted_type?: string
  logical_type?: { type: string; unit?: string }
}

/** Parquet physical/logical type → column kind (byte-array strings are decided from data: categorical or text). */
function kindOfElement(e: SchemaElementLike): { kind: ColumnKind | 'string'; format?: string } {
  const logical = e.logical_type?.type
  if (logical === 'DATE' || e.converted_type === 'DATE') return { kind: 'datetime', format: ISO_DATE_FORMAT }
  if (
    logical === 'TIMESTAMP' ||
    e.converted_type === 'TIMESTAMP_MILLIS' ||
    e.converted_type === 'TIMESTAMP_MICROS' ||
    e.type === 'INT96'
  )
    return { kind: 'datetime', format: ISO_DATETIME_FORMAT }
  if (logical === 'STRING' || logical === 'ENUM' || e.converted_type === 'UTF8' || e.converted_type === 'ENUM')
    return { kind: 'string' }
  if (logical === 'DECIMAL' || e.converted_type === 'DECIMAL') return { kind: 'numeric' }
  switch (e.type) {
    case 'BOOLEAN':
      return { kind: 'boolean' }
    case 'INT32':
    case 'INT64':
      return { kind: 'integer' }
    case 'FLOAT':
    case 'DOUBLE':
      return { kind: 'numeric' }
    default:
      return { kind: 'text' }
  }
}

const PARSERS = {
  timestampFromMilliseconds: (v: bigint): number => Number(v),
  timestampFromMicroseconds: (v: bigint): number => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint): number => Number(v / 1_000_000n),
  dateFromDays: (days: number): number => days * 86_400_000,
}

/**
 * Parquet, one row group at a time (snappy, gzip, zstd, brotli, lz4 via hyparquet-compressors). A row group larger
 * than `chunkRows` is read in slices of `chunkRows` rows.
 */
export async function* streamParquet(file: string, options: ReadOptions, widen: boolean): AsyncGenerator<Table> {
  const shown = options.displayName ?? file
  const size = await fileSize(file, shown)
  if (size === 0) throw emptyFile(shown, 'a Parquet file')
  const buffer = await asyncBufferFromFile(file)
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>
  try {
    metadata = await parquetMetadataAsync(buffer)
  } catch (error) {
    throw new ModelGateError(
      'MG_PARQUET_INVALID',
      `${shown} is not a readable Parquet file: ${(error as Error).message}.`,
      {
        location: { file: shown },
        cause: error,
      },
    )
  }
  const tree = parquetSchema(metadata)
  const elements = tree.children.map((c) => c.element as unknown as SchemaElementLike)
  const names = elements.map((e) => e.name)
  const keep = selectedIndexes(names, options.columns, shown)
  const stored = parseKindsMetadata(metadata.key_value_metadata?.find((kv) => kv.key === KINDS_METADATA_KEY)?.value)
  const chunkRows = Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS)
  const keptNames = keep.map((i) => names[i] as string)
  let plans: ColumnPlan[] | null = null
  let rowOffset = 0
  let emitted = 0
  const totalRows = Number(metadata.num_rows)

  if (keep.every((i) => isFlatParquetColumn(metadata, names[i] as string))) {
    yield* streamFlatParquet(buffer, metadata, names, elements, keep, stored, options, widen, shown, size)
    return
  }

  const groups: { start: number; end: number }[] = []
  let acc = 0
  for (const g of metadata.row_groups) {
    const rows = Number(g.num_rows)
    if (rows > 0) groups.push({ start: acc, end: acc + rows })
    acc += rows
  }
  if (groups.length === 0) groups.push({ start: 0, end: 0 })

  for (const group of groups) {
    // one row group decoded at a time, then handed out in slices of at most chunkRows rows
    const data = new Map<string, { start: number; values: ArrayLike<unknown> }[]>()
    if (group.end > group.start) {
      try {
        await parquetRead({
          file: buffer,
          metadata,
          columns: keptNames,
          rowStart: group.start,
          rowEnd: group.end,
          compressors,
          parsers: PARSERS,
          onChunk: (chunk) => {
            const list = data.get(chunk.columnName) ?? []
            list.push({ start: chunk.rowStart, values: chunk.columnData as ArrayLike<unknown> })
            data.set(chunk.columnName, list)
          },
        })
      } catch (error) {
        throw new ModelGateError(
          'MG_PARQUET_INVALID',
          `${shown}: cannot decode rows ${group.start + 1}-${group.end}: ${(error as Error).message}.`,
          {
            location: { file: shown, row: group.start + 1 },
            cause: error,
            hint: 'Supported codecs: uncompressed, snappy, gzip, zstd, brotli, lz4.',
          },
        )
      }
    }
    const groupValues = keep.map((i) => sliceRows(data.get(names[i] as string) ?? [], group.start, group.end))
    data.clear()
    for (
      let start = group.start;
      start < group.end || (start === group.end && group.end === 0 && emitted === 0);
      start += chunkRows
    ) {
      const end = Math.min(group.end, start + chunkRows)
      const n = end - start
      const whole = start === group.start && end === group.end
      const columnValues = whole
        ? groupValues
        : groupValues.map((v) => sliceArrayLike(v, start - group.start, end - group.start))
      if (plans === null) {
        plans = planColumns(names, shown, options.schema, options.kinds, (i) => {
          const given = stored?.[names[i] as string]
          if (given !== undefined) return given
          const base = kindOfElement(elements[i] as SchemaElementLike)
          const k = keep.indexOf(i)
          if (base.kind === 'string') {
            return stringColumnKind(k >= 0 ? (columnValues[k] as ArrayLike<unknown>) : [], widen, {
              name: names[i],
              dayFirst: options.dayFirst,
            })
          }
          return base.format === undefined ? { kind: base.kind } : { kind: base.kind, format: base.format }
        })
      }
      const ctx = chunkContext(options, { file: shown, rowOffset, widen, inferredFromRows: chunkRows })
      const columns: Column[] = keep.map((i, k) =>
        buildColumnFromValues(columnValues[k] as ArrayLike<unknown>, (plans as ColumnPlan[])[i] as ColumnPlan, ctx),
      )
      rowOffset += n
      emitted++
      options.onProgress?.({
        rows: rowOffset,
        bytes: Math.round((size * rowOffset) / Math.max(totalRows, 1)),
        totalBytes: size,
      })
      yield { numRows: n, columns }
      if (n === 0) break
    }
  }
}

function sliceArrayLike(values: ArrayLike<unknown>, from: number, to: number): ArrayLike<unknown> {
  return (values as unknown[]).slice(from, to)
}

function sliceRows(
  parts: readonly { start: number; values: ArrayLike<unknown> }[],
  start: number,
  end: number,
): ArrayLike<unknown> {
  if (parts.length === 1) {
    const p = parts[0] as { start: number; values: ArrayLike<unknown> }
    if (p.start === start && p.values.length === end - start) return p.values
  }
  const out: unknown[] = new Array(end - start).fill(null)
  for (const p of parts) {
    const from = Math.max(start, p.start)
    const to = Math.min(end, p.start + p.values.length)
    for (let row = from; row < to; row++) out[row - start] = p.values[row - p.start]
  }
  return out
}

const NUMERIC_PHYSICAL = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE'])

function targetFor(plan: ColumnPlan, physical: string | undefined): FlatTarget {
  if (
    physical !== undefined &&
    NUMERIC_PHYSICAL.has(physical) &&
    (plan.kind === 'numeric' || plan.kind === 'integer' || plan.kind === 'datetime')
  )
    return 'number'
  if (physical === 'BOOLEAN' && plan.kind === 'boolean') return 'boolean'
  if (physical === 'BYTE_ARRAY' && plan.kind === 'categorical') return 'codes'
  return 'strings'
}

/** Row groups of flat columns, decoded by `readFlatParquetColumn` straight into typed columns. */
async function* streamFlatParquet(
  buffer: Awaited<ReturnType<typeof asyncBufferFromFile>>,
  metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>,
  names: readonly string[],
  elements: readonly SchemaElementLike[],
  keep: readonly number[],
  stored: KindsMetadata | undefined,
  options: ReadOptions,
  widen: boolean,
  shown: string,
  size: number,
): AsyncGenerator<Table> {
  const chunkRows = Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS)
  const totalRows = Number(metadata.num_rows)
  let plans: ColumnPlan[] | null = null
  let rowOffset = 0
  let emitted = 0
  const readOptions = { compressors, parsers: PARSERS }
  for (let g = 0; g < metadata.row_groups.length || (g === 0 && emitted === 0); g++) {
    const groupRows = g < metadata.row_groups.length ? Number(metadata.row_groups[g]?.num_rows ?? 0) : 0
    if (groupRows === 0 && !(emitted === 0 && g >= metadata.row_groups.length - 1)) continue
    const read = async (i: number, target: FlatTarget, plan?: ColumnPlan) => {
      if (groupRows === 0) return { valid: null, numbers: new Float64Array(0), strings: [], codes: new Int32Array(0) }
      try {
        return await readFlatParquetColumn(
          buffer,
          metadata,
          g,
          names[i] as string,
          target,
          plan === undefined ? readOptions : { ...readOptions, codeOf: (v: string) => dictionaryCode(plan, v) },
        )
      } catch (error) {
        throw new ModelGateError(
          'MG_PARQUET_INVALID',
          `${shown}: cannot decode column "${names[i]}" in row group ${g + 1}: ${(error as Error).message}.`,
          {
            location: { file: shown, column: names[i] as string },
            cause: error,
            hint: 'Supported codecs: uncompressed, snappy, gzip, zstd, brotli, lz4.',
          },
        )
      }
    }
    const ctx = chunkContext(options, { file: shown, rowOffset, widen, inferredFromRows: groupRows })
    const prefetched = new Map<number, (string | null)[]>()
    if (plans === null) {
      for (const i of keep) {
        const declared = options.kinds?.[names[i] as string] ?? options.schema?.columns.find((c) => c.name === names[i])
        if (
          declared === undefined &&
          stored?.[names[i] as string] === undefined &&
          kindOfElement(elements[i] as SchemaElementLike).kind === 'string'
        ) {
          prefetched.set(i, (await read(i, 'strings')).strings ?? [])
        }
      }
      plans = planColumns(names, shown, options.schema, options.kinds, (i) => {
        const given = stored?.[names[i] as string]
        if (given !== undefined) return given
        const base = kindOfElement(elements[i] as SchemaElementLike)
        if (base.kind === 'string')
          return stringColumnKind(prefetched.get(i) ?? [], widen, { name: names[i], dayFirst: options.dayFirst })
        return base.format === undefined ? { kind: base.kind } : { kind: base.kind, format: base.format }
      })
    }
    const columns: Column[] = []
    for (const i of keep) {
      const plan = (plans as ColumnPlan[])[i] as ColumnPlan
      const name = plan.name
      const pre = prefetched.get(i)
      const target = pre !== undefined ? 'strings' : targetFor(plan, elements[i]?.type)
      const result = pre !== undefined ? { strings: pre, valid: null } : await read(i, target, plan)
      if (target === 'strings' || plan.kind === 'unresolved') {
        columns.push(buildColumnFromValues(result.strings ?? [], plan, ctx))
      } else if (target === 'codes') {
        columns.push({
          kind: 'categorical',
          name,
          codes: result.codes as Int32Array,
          dictionary: dictionarySnapshot(plan),
        })
      } else if (target === 'boolean') {
        columns.push({
          kind: 'boolean',
          name,
          values: Uint8Array.from(result.numbers as Float64Array),
          valid: result.valid,
        })
      } else {
        columns.push(numericColumn(result.numbers as Float64Array, result.valid, plan, ctx))
      }
    }
    for (let from = 0; from < groupRows || (groupRows === 0 && from === 0); from += chunkRows) {
      const to = Math.min(groupRows, from + chunkRows)
      const part = from === 0 && to === groupRows ? columns : columns.map((c) => sliceColumn(c, from, to))
      rowOffset += to - from
      emitted++
      options.onProgress?.({
        rows: rowOffset,
        bytes: Math.round((size * rowOffset) / Math.max(totalRows, 1)),
        totalBytes: size,
      })
      yield { numRows: to - from, columns: part }
      if (groupRows === 0) break
    }
    if (groupRows === 0) break
  }
}
