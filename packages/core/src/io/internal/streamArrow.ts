import { open } from 'node:fs/promises'
import { DataType, type Field, RecordBatchReader, type Vector } from 'apache-arrow'
import { ModelGateError } from '../../errors.js'
import type { Column, ColumnKind, Table } from '../../Table.js'
import { ISO_DATE_FORMAT, ISO_DATETIME_FORMAT } from '../parseDatetime.js'
import type { ReadOptions } from '../ReadOptions.js'
import { arrowColumn } from './arrowColumn.js'
import { buildColumnFromValues, stringColumnKind } from './buildColumnFromValues.js'
import type { ColumnPlan } from './ColumnPlan.js'
import { chunkContext } from './ColumnPlan.js'
import { KINDS_METADATA_KEY, parseKindsMetadata } from './kindsMetadata.js'
import { emptyFile, fileSize } from './openFile.js'
import { planColumns } from './planColumns.js'
import { selectedIndexes } from './selectedIndexes.js'

function kindOfField(field: Field): { kind: ColumnKind | 'string'; format?: string } {
  const t = field.type
  if (DataType.isDictionary(t)) return { kind: 'categorical' }
  if (DataType.isFloat(t) || DataType.isDecimal(t)) return { kind: 'numeric' }
  if (DataType.isInt(t)) return { kind: 'integer' }
  if (DataType.isBool(t)) return { kind: 'boolean' }
  if (DataType.isDate(t)) return { kind: 'datetime', format: ISO_DATE_FORMAT }
  if (DataType.isTimestamp(t)) return { kind: 'datetime', format: ISO_DATETIME_FORMAT }
  if (DataType.isUtf8(t) || DataType.isLargeUtf8(t)) return { kind: 'string' }
  return { kind: 'text' }
}

function vectorValues(vector: Vector): ArrayLike<unknown> {
  const t = vector.type
  if (vector.nullCount === 0 && (DataType.isFloat(t) || (DataType.isInt(t) && t.bitWidth <= 32)))
    return vector.toArray() as ArrayLike<unknown>
  const n = vector.length
  const out: unknown[] = new Array(n)
  for (let i = 0; i < n; i++) out[i] = vector.get(i)
  return out
}

/** Arrow IPC, file or stream format, one record batch at a time (dictionary columns → categorical). */
export async function* streamArrow(file: string, options: ReadOptions, widen: boolean): AsyncGenerator<Table> {
  const shown = options.displayName ?? file
  const size = await fileSize(file, shown)
  if (size === 0) throw emptyFile(shown, 'an Arrow IPC file')
  const handle = await open(file, 'r')
  try {
    let reader: Awaited<ReturnType<typeof RecordBatchReader.from>>
    try {
      reader = await RecordBatchReader.from(handle)
      await reader.open()
    } catch (error) {
      throw new ModelGateError(
        'MG_ARROW_INVALID',
        `${shown} is not a readable Arrow IPC file: ${(error as Error).message}.`,
        {
          location: { file: shown },
          cause: error,
        },
      )
    }
    const fields = reader.schema.fields
    const names = fields.map((f) => f.name)
    const keep = selectedIndexes(names, options.columns, shown)
    const stored = parseKindsMetadata(reader.schema.metadata.get(KINDS_METADATA_KEY))
    let plans: ColumnPlan[] | null = null
    let rowOffset = 0
    let emitted = 0
    for await (const batch of reader) {
      const n = batch.numRows
      const values: (ArrayLike<unknown> | undefined)[] = keep.map((i) =>
        plans === null &&
        kindOfField(fields[i] as Field).kind === 'string' &&
        stored?.[names[i] as string] === undefined &&
        options.kinds?.[names[i] as string] === undefined &&
        options.schema?.columns.find((c) => c.name === names[i]) === undefined
          ? vectorValues(batch.getChildAt(i) as Vector)
          : undefined,
      )
      if (plans === null) {
        plans = planColumns(names, shown, options.schema, options.kinds, (i) => {
          const given = stored?.[names[i] as string]
          if (given !== undefined) return given
          const base = kindOfField(fields[i] as Field)
          if (base.kind !== 'string')
            return base.format === undefined ? { kind: base.kind } : { kind: base.kind, format: base.format }
          const k = keep.indexOf(i)
          return stringColumnKind(k >= 0 ? (values[k] as ArrayLike<unknown>) : [], widen, {
            name: names[i],
            dayFirst: options.dayFirst,
          })
        })
      }
      const ctx = chunkContext(options, { file: shown, rowOffset, widen, inferredFromRows: n })
      const columns: Column[] = keep.map((i, k) => {
        const plan = (plans as ColumnPlan[])[i] as ColumnPlan
        const vector = batch.getChildAt(i) as Vector
        return (
          (plan.kind === 'unresolved' ? null : arrowColumn(vector, plan, ctx)) ??
          buildColumnFromValues(values[k] ?? vectorValues(vector), plan, ctx)
        )
      })
      rowOffset += n
      emitted++
      options.onProgress?.({ rows: rowOffset, bytes: size, totalBytes: size })
      yield { numRows: n, columns }
    }
    if (emitted === 0) {
      const columns = keep.map((i) => {
        const base = stored?.[names[i] as string] ?? kindOfField(fields[i] as Field)
        const kind: ColumnKind = base.kind === 'string' ? 'text' : base.kind
        const plan: ColumnPlan = {
          name: names[i] as string,
          kind,
          format: base.format ?? '',
          fromSchema: true,
          dictionary: [],
          index: new Map(),
        }
        return buildColumnFromValues([], plan, {
          file: shown,
          rowOffset: 0,
          allowNonFinite: false,
          widen,
          inferredFromRows: 0,
        })
      })
      yield { numRows: 0, columns }
    }
  } finally {
    await handle.close()
  }
}
