import { ModelGateError } from '../errors.js'
import type { Column, Table } from '../Table.js'

/** The column called `name`; throws `MG_TABLE_NO_COLUMN` listing the available columns when there is none. */
export function getColumn(table: Table, name: string): Column {
  for (const column of table.columns) if (column.name === name) return column
  throw new ModelGateError(
    'MG_TABLE_NO_COLUMN',
    `No column "${name}". Available columns: ${
      columnNames(table)
        .map((n) => `"${n}"`)
        .join(', ') || '(none)'
    }.`,
    { location: { column: name }, hint: 'Column names are case-sensitive.' },
  )
}

/** Column names in table order. */
export function columnNames(table: Table): string[] {
  return table.columns.map((c) => c.name)
}
