import type { Column, Table } from '../Table.js'

/** Rows `[start, end)` of a table (clamped like `Array.prototype.slice`; typed arrays are copied). */
export function sliceTable(table: Table, start: number, end: number = table.numRows): Table {
  const n = table.numRows
  const from = clamp(start < 0 ? n + start : start, n)
  const to = Math.max(from, clamp(end < 0 ? n + end : end, n))
  return { numRows: to - from, columns: table.columns.map((c) => sliceColumn(c, from, to)) }
}

function clamp(i: number, n: number): number {
  return Math.min(Math.max(Math.trunc(i), 0), n)
}

export function sliceColumn(column: Column, from: number, to: number): Column {
  switch (column.kind) {
    case 'categorical':
      return { ...column, codes: column.codes.slice(from, to) }
    case 'text':
    case 'id':
      return { ...column, values: column.values.slice(from, to) }
    case 'boolean':
      return { ...column, values: column.values.slice(from, to), valid: sliceValid(column.valid, from, to) }
    default:
      return { ...column, values: column.values.slice(from, to), valid: sliceValid(column.valid, from, to) }
  }
}

function sliceValid(valid: Uint8Array | null, from: number, to: number): Uint8Array | null {
  if (valid === null) return null
  const out = valid.slice(from, to)
  return out.includes(0) ? out : null
}
