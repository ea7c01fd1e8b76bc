import type { Table, TableSchema } from '@modelgate/core'
import { datetimePattern, formatDatetime, isDateOnlyFormat, isIsoPattern, tableToRows } from '@modelgate/core'
import type { PayloadRow } from './types.js'

/**
 * A table's rows as the JSON a client sends: datetimes as ISO strings (`date` columns as `YYYY-MM-DD`, by the
 * schema's format), everything else as is.
 */
export function tableToPayloadRows(table: Table, schema: TableSchema): PayloadRow[] {
  const dateOnly = new Set(
    schema.columns.filter((c) => c.format !== undefined && isDateOnlyFormat(c.format)).map((c) => c.name),
  )
  // Columns written another way than ISO 8601 (`MMM d yyyy`) keep their format.
  const written = new Map(
    schema.columns.flatMap((c) =>
      c.kind === 'datetime' && c.format !== undefined && !isIsoPattern(datetimePattern(c.format))
        ? [[c.name, c.format] as const]
        : [],
    ),
  )
  return tableToRows(table).map((row) => {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(row)) {
      const format = written.get(key)
      if (value instanceof Date && format !== undefined) out[key] = formatDatetime(value.getTime(), format)
      else if (value instanceof Date)
        out[key] = dateOnly.has(key) ? value.toISOString().slice(0, 10) : value.toISOString()
      else out[key] = value
    }
    return out as PayloadRow
  })
}
