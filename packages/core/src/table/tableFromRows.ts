import { buildColumnFromValues, createColumnPlan, inferValuesKind } from '../io/internal/buildColumnFromValues.js'
import type { ConvertContext } from '../io/internal/ColumnPlan.js'
import type { Column, ColumnKind, Table } from '../Table.js'

export interface TableFromRowsOptions {
  /** Kinds per column; other columns are inferred (numbers → integer/numeric, booleans, Dates → datetime, strings →
   * datetime/categorical/text; strings are not parsed as numbers unless the kind says so). */
  readonly kinds?: Readonly<Record<string, ColumnKind>>
  /** Keep NaN/Infinity in numeric columns instead of throwing `MG_DATA_NOT_FINITE`. */
  readonly allowNonFinite?: boolean
}

/**
 * Builds a table from plain row objects (columns in first-seen key order; a missing key is null).
 * An all-null column is text.
 */
export function tableFromRows(rows: readonly Record<string, unknown>[], options: TableFromRowsOptions = {}): Table {
  const names: string[] = []
  const seen = new Set<string>()
  for (const row of rows)
    for (const key of Object.keys(row))
      if (!seen.has(key)) {
        seen.add(key)
        names.push(key)
      }
  for (const key of Object.keys(options.kinds ?? {}))
    if (!seen.has(key)) {
      seen.add(key)
      names.push(key)
    }
  const ctx: ConvertContext = {
    file: 'rows',
    rowOffset: 0,
    allowNonFinite: options.allowNonFinite ?? false,
    widen: false,
    inferredFromRows: rows.length,
  }
  const columns: Column[] = names.map((name) => {
    const values = rows.map((r) => r[name])
    const given = options.kinds?.[name]
    const guessed = given === undefined || given === 'datetime' ? inferValuesKind(values, false) : undefined
    const inferred =
      given === undefined
        ? (guessed as ReturnType<typeof inferValuesKind>)
        : given === 'datetime' && guessed?.kind === 'datetime'
          ? guessed
          : { kind: given }
    const kind = inferred.kind === 'unresolved' ? 'text' : inferred.kind
    const format =
      'format' in inferred && inferred.format !== undefined ? inferred.format : kind === 'datetime' ? 'iso' : ''
    return buildColumnFromValues(values, createColumnPlan(name, kind, format, given !== undefined), ctx)
  })
  return { numRows: rows.length, columns }
}
