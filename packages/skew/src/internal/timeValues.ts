import type { Table } from '@modelgate/core'
import { SkewError } from '../errors.js'

/** Times of a datetime (epoch ms) or numeric column as a Float64Array; throws on nulls or other kinds. */
export function timeValues(table: Table, name: string, where: string): { values: Float64Array; isDatetime: boolean } {
  const column = table.columns.find((c) => c.name === name)
  if (column === undefined) {
    throw new SkewError(
      'MG_SKEW_NO_TIME_COLUMN',
      `${where} has no column "${name}". Columns: ${table.columns.map((c) => c.name).join(', ')}.`,
      {
        location: { column: name },
        hint: 'Name the column holding the prediction (event) time as the time column.',
      },
    )
  }
  if (column.kind !== 'datetime' && column.kind !== 'numeric' && column.kind !== 'integer') {
    throw new SkewError(
      'MG_SKEW_TIME_KIND',
      `Column "${name}" in ${where} is ${column.kind}; expected a datetime or a number (epoch).`,
      {
        location: { column: name },
        hint: 'Use ISO 8601 timestamps (2024-03-01T12:00:00Z) or epoch milliseconds.',
      },
    )
  }
  if (column.valid !== null) {
    const row = column.valid.indexOf(0)
    if (row >= 0) {
      throw new SkewError(
        'MG_SKEW_NULL_TIME',
        `Column "${name}" in ${where} row ${(row + 1).toLocaleString('en-US')} is empty; every row needs a time.`,
        {
          location: { row: row + 1, column: name },
        },
      )
    }
  }
  return { values: column.values, isDatetime: column.kind === 'datetime' }
}

export function formatTime(v: number, isDatetime: boolean): string | number {
  return isDatetime ? new Date(v).toISOString() : v
}
