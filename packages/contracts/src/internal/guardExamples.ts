import type { ColumnSchema, Random, TableSchema } from '@modelgate/core'
import { detectPii, findQuasiIdentifiers, tableFromRows } from '@modelgate/core'
import type { PayloadRow } from '../types.js'
import { replacementValue, schemaValue } from './synthetic.js'

export interface GuardedExamples {
  /** The request schema with every untagged column that looks like PII in the examples tagged as PII. */
  readonly schema: TableSchema
  /** The examples with each value that marks a repeated entity replaced by a synthetic one. */
  readonly examples: readonly PayloadRow[]
  /** One line per column guarded, naming it (never a value). */
  readonly warnings: readonly string[]
}

/**
 * Keeps what examples may carry from real people out of a contract, whatever the request schema says: PII
 * detection runs on each column the schema does not tag (nor mark `notPii`), and a column that looks like PII
 * is synthesized as PII; values that mark a repeated entity (core's `findQuasiIdentifiers`: one customer's name,
 * phone and memo on several rows) are replaced by synthetic values before any example is chosen.
 */
export function guardExamples(schema: TableSchema, examples: readonly PayloadRow[], rng: Random): GuardedExamples {
  if (examples.length === 0) return { schema, examples, warnings: [] }
  const names = schema.columns.map((c) => c.name)
  const table = tableFromRows(examples.map((row) => Object.fromEntries(names.map((n) => [n, row[n] ?? null]))))
  const warnings: string[] = []
  const columns: ColumnSchema[] = schema.columns.map((column, i) => {
    if (column.pii !== undefined || column.notPii === true || column.kind === 'id' || column.kind === 'boolean')
      return column
    const finding = detectPii(table.columns[i] as (typeof table.columns)[number], table.numRows)
    if (finding === undefined) return column
    warnings.push(
      `Column "${column.name}" of the examples looks like PII (${finding.reason}) but the request schema does not tag it: its values are synthesized as ${finding.type}.`,
    )
    return { ...column, pii: { type: finding.type, reason: finding.reason } }
  })
  const guarded: TableSchema = { ...schema, columns }
  const skip = columns
    .filter((c) => c.pii !== undefined || c.kind === 'id' || c.values !== undefined)
    .map((c) => c.name)
  const quasi = findQuasiIdentifiers(table, { skip })
  if (quasi.length === 0) return { schema: guarded, examples, warnings }
  const rows = examples.map((row) => ({ ...row }))
  for (const q of quasi) {
    const column = columns.find((c) => c.name === q.column) as ColumnSchema
    const numeric = column.kind === 'numeric' || column.kind === 'integer' || column.kind === 'datetime'
    const fresh = new Map<unknown, unknown>()
    q.rows.forEach((marked, i) => {
      if (marked !== 1) return
      const row = rows[i] as Record<string, unknown>
      const value = row[q.column]
      // One synthetic value per real one, so the repeated rows stay alike without being anyone's.
      if (!fresh.has(value)) fresh.set(value, numeric ? schemaValue(column, rng) : replacementValue(column, rng))
      row[q.column] = fresh.get(value)
    })
    warnings.push(
      `Column "${q.column}" of the examples is a quasi-identifier: ${q.values.toLocaleString('en-US')} of its values each mark one repeated entity (their rows repeat ${q.partners.join(', ')}); they are replaced by synthetic values.`,
    )
  }
  return { schema: guarded, examples: rows, warnings }
}
