import { ModelGateError } from '../errors.js'
import type { Column, Table } from '../Table.js'
import { columnLength, isMaskedColumn } from './internal/columnLength.js'

/**
 * Builds a table from columns, checking that every column has the same length and a unique, non-empty name.
 * Throws `MG_TABLE_LENGTH_MISMATCH` or `MG_TABLE_DUPLICATE_COLUMN`.
 */
export function tableFromColumns(columns: readonly Column[]): Table {
  const seen = new Set<string>()
  let numRows = -1
  for (const column of columns) {
    if (column.name === '') throw new ModelGateError('MG_TABLE_EMPTY_COLUMN_NAME', 'A column has an empty name.')
    if (seen.has(column.name)) {
      throw new ModelGateError('MG_TABLE_DUPLICATE_COLUMN', `Column "${column.name}" appears more than once.`, {
        location: { column: column.name },
      })
    }
    seen.add(column.name)
    const length = columnLength(column)
    if (numRows === -1) numRows = length
    else if (length !== numRows) {
      throw new ModelGateError(
        'MG_TABLE_LENGTH_MISMATCH',
        `Column "${column.name}" has ${length} rows, expected ${numRows} like column "${columns[0]?.name ?? ''}".`,
        { location: { column: column.name } },
      )
    }
    if (isMaskedColumn(column) && column.valid !== null) {
      if (column.valid.length !== length) {
        throw new ModelGateError(
          'MG_TABLE_LENGTH_MISMATCH',
          `Column "${column.name}" has a validity mask of ${column.valid.length} entries for ${length} values.`,
          { location: { column: column.name } },
        )
      }
    }
  }
  return { numRows: Math.max(numRows, 0), columns: [...columns] }
}
