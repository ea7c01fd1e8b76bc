import type { Column, TableSchema } from '@modelgate/core'
import { detectPii } from '@modelgate/core'
import type { RedactedColumn } from '../types.js'

/**
 * The columns to redact: those named in `redactColumns`, those the schema tags as PII, and those core's detectPii
 * flags (unless the schema marks them `notPii`). In the order of `columns`.
 */
export function findPiiColumns(
  columns: readonly Column[],
  numRows: number,
  options: { readonly schema?: TableSchema | undefined; readonly redactColumns?: readonly string[] | undefined },
): RedactedColumn[] {
  const named = new Set(options.redactColumns ?? [])
  const specs = new Map((options.schema?.columns ?? []).map((c) => [c.name, c]))
  const out: RedactedColumn[] = []
  for (const column of columns) {
    const spec = specs.get(column.name)
    if (named.has(column.name)) out.push({ column: column.name, reason: 'redactColumns' })
    else if (spec?.pii !== undefined) out.push({ column: column.name, reason: `tagged ${spec.pii.type} in the schema` })
    else if (spec?.notPii !== true) {
      const finding = detectPii(column, numRows)
      if (finding !== undefined) out.push({ column: column.name, reason: `detected: ${finding.reason}` })
    }
  }
  return out
}

/** The placeholder shown for a redacted value. */
export const REDACTED = '[redacted]'
