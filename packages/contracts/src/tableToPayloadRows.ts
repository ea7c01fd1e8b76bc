import type { Table, TableSchema } from '@modelgate/core'
import { tableToRows } from '@modelgate/core'
import type { PayloadRow } from './types.js'

/**
 * A table's rows as the JSON a client sends: datetimes as ISO strings (`date` columns as `YYYY-MM-DD`, by the
 * schema's format), everything else as is.
 */
export function tableToPayloadRows(table: Table, schema: TableSchema): PayloadRow[] {
  const dateOnly = new Set(schema.columns.filter((c) => c.format === 'date').map((c) => c.name))
  return tableToRows(table).map((row) => {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(row)) {
      if (value instanceof Date) out[key] = dateOnly.has(key) ? value.toISOString().slice(0, 10) : value.toISOString()
      else out[key] = value
    }
    return out as PayloadRow
  })
}
