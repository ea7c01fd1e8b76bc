import type { Column, ColumnKind } from '../../Table.js'
import { inferTextKind } from '../inferTextKind.js'
import { type ColumnPlan, type ConvertContext, createColumnPlan } from './ColumnPlan.js'
import { convertTextColumn } from './convertTextColumn.js'

/** Text form of a JS value for conversion (`null` for null/undefined). */
export function valueToText(v: unknown): string | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'string') return v
  if (typeof v === 'number' || typeof v === 'bigint') return String(v)
  if (typeof v === 'boolean') return v ? 'true' : 'false'
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString()
  return JSON.stringify(v)
}

/**
 * Kind of a column of JS values: numbers → integer/numeric, booleans → boolean, Dates → datetime (`iso`),
 * strings → datetime/categorical/text (`numbersFromText` also allows integer/numeric/boolean), mixed → text.
 */
export function inferValuesKind(values: readonly unknown[], numbersFromText: boolean): { kind: ColumnKind | 'unresolved'; format?: string } {
  let types = 0 // bit flags: 1 number, 2 boolean, 4 date, 8 string, 16 other
  let allInteger = true
  for (const v of values) {
    if (v === null || v === undefined) continue
    switch (typeof v) {
      case 'number':
        types |= 1
        if (Number.isFinite(v) && !Number.isInteger(v)) allInteger = false
        break
      case 'bigint':
        types |= 1
        break
      case 'boolean':
        types |= 2
        break
      case 'string':
        types |= 8
        break
      default:
        types |= v instanceof Date ? 4 : 16
    }
  }
  if (types === 0) return { kind: 'unresolved' }
  if (types === 1) return { kind: allInteger ? 'integer' : 'numeric' }
  if (types === 2) return { kind: 'boolean' }
  if (types === 4) return { kind: 'datetime', format: 'iso' }
  if (types === 8) {
    const inferred = inferTextKind(values as readonly (string | null)[], { numbers: numbersFromText })
    return inferred.format === undefined ? { kind: inferred.kind } : { kind: inferred.kind, format: inferred.format }
  }
  return { kind: 'text' }
}

/** Converts JS values to a column following `plan` (see `convertTextColumn` for errors). */
export function buildColumnFromValues(values: readonly unknown[], plan: ColumnPlan, ctx: ConvertContext): Column {
  const text = values.map(valueToText)
  return convertTextColumn(text, text.length, plan, ctx)
}

export { createColumnPlan }
