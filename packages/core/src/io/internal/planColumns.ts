import { ModelGateError } from '../../errors.js'
import type { TableSchema } from '../../schema/Schema.js'
import type { ColumnKind } from '../../Table.js'
import { type ColumnPlan, createColumnPlan } from './ColumnPlan.js'

/**
 * Column plans for the given names from `kinds`, then `schema`; columns in neither are left to `infer`
 * (called with the column index). Throws `MG_IO_MISSING_COLUMN` when the schema names a column the file lacks.
 */
export function planColumns(
  names: readonly string[],
  file: string,
  schema: TableSchema | undefined,
  kinds: Readonly<Record<string, ColumnKind>> | undefined,
  infer: (index: number) => { kind: ColumnKind | 'unresolved'; format?: string },
): ColumnPlan[] {
  if (schema !== undefined) {
    const missing = schema.columns.filter((c) => !names.includes(c.name)).map((c) => c.name)
    if (missing.length > 0) {
      throw new ModelGateError(
        'MG_IO_MISSING_COLUMN',
        `${file} has no column ${missing.map((m) => `"${m}"`).join(', ')} required by the schema. Columns in the file: ${names.map((n) => `"${n}"`).join(', ')}.`,
        { location: { file, column: missing[0] as string } },
      )
    }
  }
  return names.map((name, i) => {
    const declared = schema?.columns.find((c) => c.name === name)
    const kind = kinds?.[name]
    if (kind !== undefined)
      return createColumnPlan(name, kind, declared?.format ?? (kind === 'datetime' ? 'iso' : ''), true)
    if (declared !== undefined) {
      return createColumnPlan(
        name,
        declared.kind,
        declared.format ?? (declared.kind === 'datetime' ? 'iso' : ''),
        true,
        declared.kind === 'categorical' ? declared.values : undefined,
      )
    }
    const inferred = infer(i)
    return createColumnPlan(name, inferred.kind, inferred.format ?? '', false)
  })
}
