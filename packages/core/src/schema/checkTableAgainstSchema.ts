import type { ErrorLocation } from '../errors.js'
import { ModelGateError } from '../errors.js'
import { formatCount } from '../format/formatNumber.js'
import type { Column, Table } from '../Table.js'
import { isNullAt } from '../table/valueAt.js'
import { textAt } from './internal/columnValues.js'
import type { ColumnSchema, TableSchema } from './Schema.js'

export interface CheckTableOptions {
  /** File name used in messages. */
  readonly file?: string
  /** Throw a `ModelGateError` for the first problem instead of returning the list (default false). */
  readonly throwOnProblem?: boolean
}

export type SchemaProblemCode =
  | 'MG_SCHEMA_MISSING_COLUMN'
  | 'MG_SCHEMA_WRONG_KIND'
  | 'MG_SCHEMA_OUT_OF_BOUNDS'
  | 'MG_SCHEMA_VALUE_NOT_ALLOWED'
  | 'MG_SCHEMA_UNEXPECTED_NULL'

/** One way the data breaks the schema, per column: the first offending row and how many rows do. */
export interface SchemaProblem {
  readonly code: SchemaProblemCode
  readonly column: string
  /** 1-based first offending row, when the problem is in rows. */
  readonly row?: number
  /** How many rows have the problem. */
  readonly count?: number
  readonly expected: string
  readonly message: string
  readonly location: ErrorLocation
}

/**
 * Checks data against an annotated schema: columns the schema names that the data lacks, columns of the
 * wrong kind, values out of bounds, values not among the allowed ones, nulls in non-nullable columns. One
 * problem per column and kind of problem, naming file, first row, column and what was expected. Values of
 * PII columns and categorical values are never quoted.
 */
export function checkTableAgainstSchema(
  table: Table,
  schema: TableSchema,
  options: CheckTableOptions = {},
): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  const byName = new Map(table.columns.map((c) => [c.name, c]))
  const file = options.file
  const add: Add = (code, spec, expected, got, row, count) => {
    const location: ErrorLocation = {
      ...(file === undefined ? {} : { file }),
      column: spec.name,
      ...(row === undefined ? {} : { row }),
    }
    const where =
      row === undefined
        ? `Column "${spec.name}"${file === undefined ? '' : ` in ${file}`}`
        : `Column "${spec.name}" in ${file ?? 'the data'} row ${formatCount(row)}`
    const others = count !== undefined && count > 1 ? ` (${formatCount(count)} rows in all)` : ''
    const problem: SchemaProblem = {
      code,
      column: spec.name,
      ...(row === undefined ? {} : { row }),
      ...(count === undefined ? {} : { count }),
      expected,
      message:
        code === 'MG_SCHEMA_MISSING_COLUMN'
          ? `Column "${spec.name}" (${spec.kind}) is in the schema but missing from ${file ?? 'the data'} (columns: ${got})`
          : `${where}: expected ${expected}, got ${got}${others}`,
      location,
    }
    if (options.throwOnProblem === true) throw problemError(problem)
    problems.push(problem)
  }

  for (const spec of schema.columns) {
    const column = byName.get(spec.name)
    if (column === undefined) {
      add('MG_SCHEMA_MISSING_COLUMN', spec, `a column "${spec.name}" (${spec.kind})`, listNames(table))
      continue
    }
    checkColumn(column, spec, table.numRows, add)
  }
  return problems
}

function problemError(problem: SchemaProblem): ModelGateError {
  return new ModelGateError(problem.code, problem.message, {
    location: problem.location,
    ...(problem.code === 'MG_SCHEMA_MISSING_COLUMN'
      ? { hint: 'check the column names in the data, or remove the column from the schema' }
      : {}),
  })
}

type Add = (
  code: SchemaProblemCode,
  spec: ColumnSchema,
  expected: string,
  got: string,
  row?: number,
  count?: number,
) => void

const KIND_NAMES: Readonly<Record<string, string>> = {
  numeric: 'a number',
  integer: 'an integer',
  categorical: 'a category',
  boolean: 'a boolean',
  datetime: 'a datetime',
  text: 'text',
  id: 'an id',
}

function checkColumn(column: Column, spec: ColumnSchema, numRows: number, add: Add): void {
  if (!compatible(column.kind, spec.kind)) {
    add('MG_SCHEMA_WRONG_KIND', spec, `${KIND_NAMES[spec.kind]} column (${spec.kind})`, `a ${column.kind} column`)
    return
  }
  // Nulls.
  if (!spec.nullable) {
    let first = -1
    let count = 0
    for (let i = 0; i < numRows; i++) {
      if (!isNullAt(column, i)) continue
      if (first < 0) first = i
      count++
    }
    if (count > 0)
      add('MG_SCHEMA_UNEXPECTED_NULL', spec, 'a value (the column is not nullable)', 'null', first + 1, count)
  }
  const pii = spec.pii !== undefined
  if (column.kind === 'numeric' || column.kind === 'integer' || column.kind === 'datetime') {
    const datetime = column.kind === 'datetime'
    const min = toBound(spec.min)
    const max = toBound(spec.max)
    const needsInteger = spec.kind === 'integer' || (spec.kind === 'id' && !datetime)
    let firstFraction = -1
    let fractions = 0
    let firstOut = -1
    let out = 0
    const { values, valid } = column
    for (let i = 0; i < numRows; i++) {
      if (valid !== null && valid[i] !== 1) continue
      const v = values[i] as number
      if (needsInteger && !Number.isInteger(v)) {
        if (firstFraction < 0) firstFraction = i
        fractions++
      }
      if ((min !== undefined && v < min) || (max !== undefined && v > max)) {
        if (firstOut < 0) firstOut = i
        out++
      }
    }
    if (fractions > 0) {
      add(
        'MG_SCHEMA_WRONG_KIND',
        spec,
        'an integer',
        pii ? 'a fractional number' : String(values[firstFraction]),
        firstFraction + 1,
        fractions,
      )
    }
    if (out > 0) {
      const shown = pii
        ? 'a value out of bounds'
        : datetime
          ? (textAt(column, firstOut) ?? '')
          : String(values[firstOut])
      add('MG_SCHEMA_OUT_OF_BOUNDS', spec, describeBounds(spec, column.kind === 'datetime'), shown, firstOut + 1, out)
    }
    return
  }
  if (
    spec.kind === 'categorical' &&
    spec.values !== undefined &&
    (column.kind === 'categorical' || column.kind === 'text' || column.kind === 'id')
  ) {
    const allowed = new Set(spec.values)
    let first = -1
    let count = 0
    if (column.kind === 'categorical') {
      const ok = column.dictionary.map((v) => allowed.has(v))
      for (let i = 0; i < numRows; i++) {
        const c = column.codes[i] as number
        if (c < 0 || ok[c] === true) continue
        if (first < 0) first = i
        count++
      }
    } else {
      for (let i = 0; i < numRows; i++) {
        const v = column.values[i]
        if (v == null || allowed.has(v)) continue
        if (first < 0) first = i
        count++
      }
    }
    if (count > 0) {
      const n = spec.values.length
      add(
        'MG_SCHEMA_VALUE_NOT_ALLOWED',
        spec,
        `one of the ${formatCount(n)} allowed value${n === 1 ? '' : 's'}`,
        'a value not in the list',
        first + 1,
        count,
      )
    }
  }
}

function compatible(data: Column['kind'], schema: ColumnSchema['kind']): boolean {
  switch (schema) {
    case 'numeric':
      return data === 'numeric' || data === 'integer'
    case 'integer':
      return data === 'integer' || data === 'numeric'
    case 'boolean':
      return data === 'boolean'
    case 'datetime':
      return data === 'datetime'
    case 'categorical':
    case 'text':
      return data === 'categorical' || data === 'text' || data === 'id'
    case 'id':
      return data === 'id' || data === 'text' || data === 'categorical' || data === 'integer' || data === 'numeric'
  }
}

function toBound(bound: number | string | undefined): number | undefined {
  if (bound === undefined) return undefined
  return typeof bound === 'number' ? bound : Date.parse(bound)
}

function describeBounds(spec: ColumnSchema, datetime: boolean): string {
  const noun = datetime ? 'a datetime' : spec.kind === 'integer' ? 'an integer' : 'a number'
  // written as in the schema file and as the value it is compared with (no digit grouping: "[5, 5,357]" reads as three numbers)
  const show = (b: number | string): string =>
    typeof b === 'number' ? b.toLocaleString('en-US', { maximumFractionDigits: 12, useGrouping: false }) : b
  if (spec.min !== undefined && spec.max !== undefined) return `${noun} in [${show(spec.min)}, ${show(spec.max)}]`
  if (spec.min !== undefined) return `${noun} ≥ ${show(spec.min)}`
  return `${noun} ≤ ${show(spec.max as number | string)}`
}

function listNames(table: Table): string {
  const names = table.columns.map((c) => c.name)
  return names.length <= 8 ? names.join(', ') : `${names.slice(0, 8).join(', ')}, … ${names.length - 8} more`
}
