import { ModelGateError } from '../../errors.js'
import type { Column, Table } from '../../Table.js'
import { formatDatetime } from '../parseDatetime.js'

/** Text of row `i` of a column for CSV (`null` for null). Numbers use JS's shortest round-trip form. */
function cellText(column: Column, i: number): string | null {
  switch (column.kind) {
    case 'categorical': {
      const c = column.codes[i] as number
      return c < 0 ? null : (column.dictionary[c] as string)
    }
    case 'text':
    case 'id':
      return column.values[i] ?? null
    case 'boolean':
      return column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1 ? 'true' : 'false'
    case 'datetime':
      return column.valid !== null && column.valid[i] === 0
        ? null
        : formatDatetime(column.values[i] as number, column.format)
    default:
      return column.valid !== null && column.valid[i] === 0 ? null : String(column.values[i])
  }
}

/** RFC 4180 quoting: quote fields holding the delimiter, a quote, CR/LF, or leading/trailing spaces (readers trim). */
export function quoteCsv(value: string, delimiter: string): string {
  if (value === '') return value
  const needs =
    value.includes(delimiter) ||
    value.includes('"') ||
    value.includes('\n') ||
    value.includes('\r') ||
    value.charCodeAt(0) === 32 ||
    value.charCodeAt(value.length - 1) === 32 ||
    value.charCodeAt(0) === 9 ||
    value.charCodeAt(value.length - 1) === 9
  return needs ? `"${value.replaceAll('"', '""')}"` : value
}

export function csvHeader(table: Table, delimiter: string): string {
  return `${table.columns.map((c) => quoteCsv(c.name, delimiter)).join(delimiter)}\n`
}

/** JSON value of a cell: numbers, booleans, strings, datetimes as formatted text, null. Non-finite numbers throw. */
function cellJson(column: Column, i: number, file: string, rowOffset: number): unknown {
  switch (column.kind) {
    case 'numeric':
    case 'integer': {
      if (column.valid !== null && column.valid[i] === 0) return null
      const v = column.values[i] as number
      if (!Number.isFinite(v)) {
        throw new ModelGateError(
          'MG_DATA_NOT_FINITE',
          `Column "${column.name}" row ${(rowOffset + i + 1).toLocaleString('en-US')}: ${v} cannot be written to JSON (${file}).`,
          {
            location: { file, row: rowOffset + i + 1, column: column.name },
            hint: 'JSON has no NaN/Infinity; write CSV, Parquet or Arrow, or replace the values with null.',
          },
        )
      }
      return v
    }
    case 'boolean':
      return column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1
    case 'datetime':
      // Epoch seconds / milliseconds stay numbers in JSON, as they were read.
      if ((column.format === 't' || column.format === 'T') && !(column.valid !== null && column.valid[i] === 0))
        return Number(cellText(column, i))
      return cellText(column, i)
    default:
      return cellText(column, i)
  }
}

/** The rows of `table` as JSON object texts (keys in column order). Built column by column, joined once per row. */
export function jsonRows(table: Table, file: string, rowOffset: number): string[] {
  const n = table.numRows
  const cols = table.columns
  const cells: string[][] = cols.map((column) => {
    const key = `${JSON.stringify(column.name)}:`
    const out: string[] = new Array(n)
    if (column.kind === 'categorical') {
      const texts = column.dictionary.map((v) => key + JSON.stringify(v))
      for (let i = 0; i < n; i++) {
        const c = column.codes[i] as number
        out[i] = c < 0 ? `${key}null` : (texts[c] as string)
      }
    } else {
      for (let i = 0; i < n; i++) out[i] = key + JSON.stringify(cellJson(column, i, file, rowOffset))
    }
    return out
  })
  const rows: string[] = new Array(n)
  const parts: string[] = new Array(cols.length)
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < cols.length; k++) parts[k] = (cells[k] as string[])[i] as string
    rows[i] = `{${parts.join(',')}}`
  }
  return rows
}
