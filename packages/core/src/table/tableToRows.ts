import type { Table } from '../Table.js'
import { valueAt } from './valueAt.js'

/** One plain object per row (see `valueAt` for the value types). For small tables and tests; hot paths stay columnar. */
export function tableToRows(table: Table): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = new Array(table.numRows)
  for (let i = 0; i < table.numRows; i++) {
    const row: Record<string, unknown> = {}
    for (const column of table.columns) row[column.name] = valueAt(column, i)
    rows[i] = row
  }
  return rows
}
