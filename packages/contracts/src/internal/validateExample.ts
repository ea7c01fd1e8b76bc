import type { ColumnSchema, TableSchema } from '@modelgate/core'
import { redactValue } from '@modelgate/core'
import { ContractsError } from '../errors.js'

/**
 * Shows a value in an error message, unless the column holds PII (then only its type is named) or the value looks
 * personal (core's redactValue: an email, a phone, a name… in a column nobody tagged shows only its shape).
 */
function show(column: ColumnSchema, value: unknown): string {
  if (column.pii !== undefined)
    return `a ${value === null ? 'null' : typeof value} (value hidden: ${column.pii.type} column)`
  return redactValue(value, { column: column.name, maxLength: 60 })
}

function expected(column: ColumnSchema): string {
  switch (column.kind) {
    case 'numeric':
      return 'a number'
    case 'integer':
      return 'an integer'
    case 'boolean':
      return 'true or false'
    case 'datetime':
      return 'an ISO date-time string'
    case 'categorical':
      return column.values !== undefined
        ? `one of ${column.values.map((v) => JSON.stringify(v)).join(', ')}`
        : 'a string'
    default:
      return 'a string'
  }
}

/** Why `value` does not fit `column`, or undefined when it fits. */
function describeMismatch(column: ColumnSchema, value: unknown): string | undefined {
  if (value === undefined) return `field is missing; expected ${expected(column)}${column.nullable ? ' or null' : ''}`
  if (value === null)
    return column.nullable ? undefined : `expected ${expected(column)}, got null (the schema says nullable: false)`
  switch (column.kind) {
    case 'numeric':
    case 'integer': {
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (column.kind === 'integer' && !Number.isInteger(value))
      ) {
        return `expected ${expected(column)}, got ${show(column, value)}`
      }
      if (typeof column.min === 'number' && value < column.min)
        return `expected a number ≥ ${column.min}, got ${show(column, value)}`
      if (typeof column.max === 'number' && value > column.max)
        return `expected a number ≤ ${column.max}, got ${show(column, value)}`
      return undefined
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `expected ${expected(column)}, got ${show(column, value)}`
    case 'datetime': {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value)))
        return `expected ${expected(column)}, got ${show(column, value)}`
      const t = Date.parse(value)
      if (typeof column.min === 'string' && t < Date.parse(column.min))
        return `expected a date-time ≥ ${column.min}, got ${show(column, value)}`
      if (typeof column.max === 'string' && t > Date.parse(column.max))
        return `expected a date-time ≤ ${column.max}, got ${show(column, value)}`
      return undefined
    }
    case 'categorical':
      if (typeof value !== 'string') return `expected ${expected(column)}, got ${show(column, value)}`
      if (column.values !== undefined && !column.values.includes(value))
        return `expected ${expected(column)}, got ${show(column, value)}`
      return undefined
    default:
      return typeof value === 'string' ? undefined : `expected ${expected(column)}, got ${show(column, value)}`
  }
}

/**
 * Checks example rows against the request schema before any contract is written, so that a contract never
 * encodes examples the schema forbids. Throws `MG_CONTRACTS_EXAMPLE_MISMATCH` naming file, row and column.
 */
export function validateExamples(
  schema: TableSchema,
  rows: readonly Readonly<Record<string, unknown>>[],
  source: string,
): void {
  const known = new Set(schema.columns.map((c) => c.name))
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as Readonly<Record<string, unknown>>
    const rowNumber = i + 1
    for (const column of schema.columns) {
      const problem = describeMismatch(column, row[column.name])
      if (problem !== undefined) {
        throw new ContractsError(
          'MG_CONTRACTS_EXAMPLE_MISMATCH',
          `Column "${column.name}" in ${source} row ${rowNumber.toLocaleString('en-US')}: ${problem}.`,
          {
            location: { file: source, row: rowNumber, column: column.name },
            hint: 'the examples and the request schema disagree: regenerate the examples from this schema, or fix the schema',
          },
        )
      }
    }
    for (const key of Object.keys(row)) {
      if (!known.has(key)) {
        throw new ContractsError(
          'MG_CONTRACTS_EXAMPLE_MISMATCH',
          `Column "${key}" in ${source} row ${rowNumber.toLocaleString('en-US')}: field is not in the request schema (schema columns: ${[...known].join(', ')}).`,
          {
            location: { file: source, row: rowNumber, column: key },
            hint: 'add the field to the schema, or drop it from the examples',
          },
        )
      }
    }
  }
}
