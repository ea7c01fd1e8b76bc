import type { Column } from '../../Table.js'

/** Number of rows held by a column. */
export function columnLength(column: Column): number {
  switch (column.kind) {
    case 'categorical':
      return column.codes.length
    case 'text':
    case 'id':
      return column.values.length
    default:
      return column.values.length
  }
}

export type MaskedColumn = Exclude<Column, { kind: 'categorical' } | { kind: 'text' | 'id' }>

/** Numeric, integer, datetime and boolean columns: typed `values` plus an optional validity mask. */
export function isMaskedColumn(column: Column): column is MaskedColumn {
  return column.kind !== 'categorical' && column.kind !== 'text' && column.kind !== 'id'
}
