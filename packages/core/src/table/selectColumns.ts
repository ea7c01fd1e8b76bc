import type { Table } from '../Table.js'
import { getColumn } from './getColumn.js'

/** A table holding only the named columns, in the order given (columns are shared, not copied). */
export function selectColumns(table: Table, names: readonly string[]): Table {
  return { numRows: table.numRows, columns: names.map((name) => getColumn(table, name)) }
}
