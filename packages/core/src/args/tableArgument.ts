import { z } from 'zod'
import type { ColumnKind, Table } from '../Table.js'

const KINDS: readonly ColumnKind[] = ['numeric', 'integer', 'categorical', 'boolean', 'datetime', 'text', 'id']

/**
 * A `Table` argument (as `readTable` returns): `numRows`, and columns with a name, a kind and one value (or code) per
 * row. Checks the shape only, never the values, so it costs the same for 10 rows or 10 million.
 */
export const tableArgument: z.ZodType<Table, z.ZodTypeDef, unknown> = z.custom<Table>().superRefine((value, ctx) => {
  const problem = tableProblem(value)
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
})

function tableProblem(value: unknown): string | null {
  if (Array.isArray(value)) return 'expected a Table, got an array (rows? tableFromRows(rows) makes a Table of them)'
  if (typeof value === 'string') return 'expected a Table, got a string (a file? readTable(path) reads one)'
  if (typeof value !== 'object' || value === null)
    return `expected a Table ({ numRows, columns }), got ${value === null ? 'null' : typeof value}`
  const { numRows, columns } = value as { numRows?: unknown; columns?: unknown }
  if (typeof numRows !== 'number' || !Number.isInteger(numRows) || numRows < 0)
    return 'expected a Table ({ numRows, columns }), but numRows is not a non-negative integer'
  if (!Array.isArray(columns)) return 'expected a Table ({ numRows, columns }), but columns is not an array'
  for (const [i, column] of columns.entries()) {
    const c = column as { name?: unknown; kind?: unknown; values?: { length?: unknown }; codes?: { length?: unknown } }
    if (typeof c !== 'object' || c === null) return `columns[${i}] is not a column object`
    if (typeof c.name !== 'string') return `columns[${i}] has no name`
    if (!KINDS.includes(c.kind as ColumnKind))
      return `column "${c.name}" has kind ${JSON.stringify(c.kind)}; expected one of ${KINDS.join(', ')}`
    const length = c.kind === 'categorical' ? c.codes?.length : c.values?.length
    if (length !== numRows)
      return `column "${c.name}" holds ${String(length)} ${c.kind === 'categorical' ? 'codes' : 'values'} for numRows ${numRows}`
  }
  return null
}
