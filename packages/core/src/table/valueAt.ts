import type { Column } from '../Table.js'

/** Whether row `i` of `column` is null. */
export function isNullAt(column: Column, i: number): boolean {
  switch (column.kind) {
    case 'categorical':
      return (column.codes[i] ?? -1) < 0
    case 'text':
    case 'id':
      return (column.values[i] ?? null) === null
    default:
      return column.valid !== null && column.valid[i] === 0
  }
}

/**
 * The value at row `i`: numbers for numeric/integer, `boolean` for boolean, a `Date` (UTC) for datetime,
 * the category string for categorical, the string for text/id, and `null` for nulls.
 */
export function valueAt(column: Column, i: number): number | string | boolean | Date | null {
  if (isNullAt(column, i)) return null
  switch (column.kind) {
    case 'categorical':
      return column.dictionary[column.codes[i] as number] ?? null
    case 'text':
    case 'id':
      return column.values[i] ?? null
    case 'boolean':
      return column.values[i] === 1
    case 'datetime':
      return new Date(column.values[i] as number)
    default:
      return column.values[i] ?? null
  }
}
