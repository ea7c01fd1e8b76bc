import { ModelGateError } from '../../errors.js'
import type { Column, Table } from '../../Table.js'
import { DEFAULT_CHUNK_ROWS, type ReadOptions } from '../ReadOptions.js'
import { buildColumnFromValues, inferValuesKind } from './buildColumnFromValues.js'
import { type ColumnPlan, chunkContext } from './ColumnPlan.js'
import { JsonArraySplitter } from './JsonArraySplitter.js'
import { emptyFile, fileSize } from './openFile.js'
import { planColumns } from './planColumns.js'
import { readTextChunks } from './readTextChunks.js'
import { selectedIndexes } from './selectedIndexes.js'

/** Deepest object nesting flattened into dotted column names; deeper is refused (MG_JSON_TOO_DEEP). */
const MAX_JSON_DEPTH = 64

/** Thrown by flattenRecord for a record nested deeper than MAX_JSON_DEPTH (the reader adds file and row). */
class TooDeep extends Error {}

/**
 * Nested objects become dotted names (`{"a":{"b":1}}` → column `a.b`); arrays are kept as their JSON text. Bounded:
 * objects nested deeper than MAX_JSON_DEPTH, or an array too deep to write back as text, throw `TooDeep` instead of
 * overflowing the stack.
 */
function flattenRecord(value: unknown, out: Record<string, unknown>, prefix: string, depth = 1): void {
  if (depth > MAX_JSON_DEPTH) throw new TooDeep()
  const record = value as Record<string, unknown>
  for (const key in record) {
    const v = record[key]
    const name = prefix === '' ? key : `${prefix}.${key}`
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flattenRecord(v, out, name, depth + 1)
    else out[name] = Array.isArray(v) ? arrayText(v) : v
  }
}

function arrayText(value: unknown[]): string {
  try {
    return JSON.stringify(value)
  } catch (error) {
    if (error instanceof RangeError) throw new TooDeep()
    throw error
  }
}

/** JSON Lines (`jsonl`) or a JSON array of objects (`json`), streamed in chunks of records. */
export async function* streamJson(
  file: string,
  options: ReadOptions,
  lines: boolean,
  widen: boolean,
): AsyncGenerator<Table> {
  const shown = options.displayName ?? file
  const totalBytes = await fileSize(file, shown)
  const chunkRows = Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS)
  let names: string[] | null = null
  let nameSet: Set<string> | null = null
  let plans: ColumnPlan[] | null = null
  let keep: number[] = []
  let rows: Record<string, unknown>[] = []
  let record = 0
  let rowOffset = 0
  let emitted = 0
  let bytes = 0
  let sawContent = false

  const addRecord = (text: string, where: string): void => {
    record++
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      throw new ModelGateError('MG_JSON_INVALID', `${shown} ${where}: invalid JSON (${(error as Error).message}).`, {
        location: { file: shown, row: record },
        cause: error,
      })
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new ModelGateError(
        'MG_JSON_NOT_OBJECT',
        `${shown} ${where}: expected an object (one row), got ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}.`,
        {
          location: { file: shown, row: record },
        },
      )
    }
    let nested = false
    for (const key in value as Record<string, unknown>) {
      const v = (value as Record<string, unknown>)[key]
      if (v !== null && typeof v === 'object') {
        nested = true
        break
      }
    }
    // Null prototype: a `__proto__` key is a column like any other.
    const flat: Record<string, unknown> = nested
      ? (Object.create(null) as Record<string, unknown>)
      : (value as Record<string, unknown>)
    if (nested) {
      try {
        flattenRecord(value, flat, '')
      } catch (error) {
        if (!(error instanceof TooDeep)) throw error
        throw new ModelGateError(
          'MG_JSON_TOO_DEEP',
          `${shown} ${where}: nested deeper than ${MAX_JSON_DEPTH} levels; rows are flat records (nested objects become dotted column names).`,
          { location: { file: shown, row: record }, hint: 'Flatten the records before reading them.' },
        )
      }
    }
    if (nameSet !== null) {
      for (const key in flat) {
        if (!nameSet.has(key)) {
          throw new ModelGateError(
            'MG_JSON_NEW_COLUMN',
            `${shown} ${where}: key "${key}" does not appear in the first ${(rowOffset + rows.length).toLocaleString('en-US')} rows.`,
            {
              location: { file: shown, row: record, column: key },
              hint: 'The first chunk of rows defines the columns: give every key in the first row (null is fine), or raise chunkRows.',
            },
          )
        }
      }
    }
    rows.push(flat)
  }

  const emit = (): Table => {
    if (names === null) {
      const seen = new Set<string>()
      names = []
      for (const r of rows)
        for (const k in r)
          if (!seen.has(k)) {
            seen.add(k)
            names.push(k)
          }
      nameSet = seen
    }
    const cols = names
    const values: unknown[][] = cols.map(() => new Array(rows.length))
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Record<string, unknown>
      for (let k = 0; k < cols.length; k++) (values[k] as unknown[])[r] = row[cols[k] as string]
    }
    if (plans === null) {
      keep = selectedIndexes(cols, options.columns, shown)
      plans = planColumns(cols, shown, options.schema, options.kinds, (i) => {
        const inferred = inferValuesKind(values[i] as unknown[], false, {
          name: cols[i],
          dayFirst: options.dayFirst,
        })
        return inferred.kind === 'unresolved' && !widen ? { kind: 'text' } : inferred
      })
    }
    const ctx = chunkContext(options, { file: shown, rowOffset, widen, inferredFromRows: chunkRows })
    const columns: Column[] = keep.map((i) =>
      buildColumnFromValues(values[i] as unknown[], (plans as ColumnPlan[])[i] as ColumnPlan, ctx),
    )
    const n = rows.length
    rowOffset += n
    rows = []
    emitted++
    options.onProgress?.({ rows: rowOffset, bytes, totalBytes })
    return { numRows: n, columns }
  }

  const onBytes = (b: number): void => {
    bytes = b
  }
  if (lines) {
    let rest = ''
    let line = 0
    for await (const text of readTextChunks(file, onBytes, shown)) {
      const buffer = rest + text
      let start = 0
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n', start)) {
        line++
        const l = buffer.slice(start, nl).trim()
        start = nl + 1
        if (l === '') continue
        sawContent = true
        addRecord(l, `line ${line}`)
        if (rows.length >= chunkRows) yield emit()
      }
      rest = buffer.slice(start)
    }
    const last = rest.trim()
    if (last !== '') {
      sawContent = true
      addRecord(last, `line ${line + 1}`)
    }
  } else {
    const splitter = new JsonArraySplitter(shown)
    for await (const text of readTextChunks(file, onBytes, shown)) {
      for (const element of splitter.push(text)) {
        sawContent = true
        addRecord(element, `element ${record + 1}`)
        if (rows.length >= chunkRows) yield emit()
      }
    }
    splitter.end()
    sawContent ||= splitter.sawArray
  }
  if (!sawContent) throw emptyFile(shown, lines ? 'one JSON object per line' : 'a JSON array of objects')
  if (rows.length > 0 || emitted === 0) yield emit()
}
