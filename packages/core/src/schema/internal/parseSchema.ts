import type { ZodIssue } from 'zod'
import { ModelGateError } from '../../errors.js'
import { compileDatetimePattern } from '../../io/compileDatetimePattern.js'
import { datetimePattern } from '../../io/parseDatetime.js'
import type { TableSchema } from '../Schema.js'
import { SCHEMA_VERSION, tableSchema } from '../Schema.js'

/**
 * Validates untrusted schema input (a `defineSchema` argument or a parsed schema file) and returns the
 * typed schema. Every error names the source, the column (by name where it has one) and the problem.
 */
export function parseSchema(input: unknown, source: string | undefined): TableSchema {
  const prefix = source === undefined ? 'Schema' : `Schema ${source}`
  if (input !== null && typeof input === 'object' && 'version' in input) {
    const version = (input as { version: unknown }).version
    if (typeof version === 'number' && Number.isInteger(version) && version > SCHEMA_VERSION) {
      throw new ModelGateError(
        'MG_SCHEMA_VERSION',
        `${prefix} has version ${version}, but this ModelGate reads schema versions 1 and ${SCHEMA_VERSION}.`,
        {
          hint: 'Upgrade ModelGate, or re-create the schema with inferSchema().',
          ...(source === undefined ? {} : { location: { file: source } }),
        },
      )
    }
  }
  const parsed = tableSchema.safeParse(input)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    const more = parsed.error.issues.length - 1
    const message =
      first === undefined
        ? `${prefix} is invalid.`
        : `${prefix}: ${describeIssue(first, input)}${more > 0 ? ` (and ${more} more problem${more === 1 ? '' : 's'})` : ''}`
    throw new ModelGateError('MG_SCHEMA_INVALID', message, {
      hint: 'See tableSchemaJsonSchema() or the schema section of the @modelgate/core README.',
      cause: parsed.error,
      ...(source === undefined ? {} : { location: { file: source } }),
    })
  }
  checkSemantics(parsed.data, prefix, source)
  return parsed.data
}

function describeIssue(issue: ZodIssue, input: unknown): string {
  const path = issue.path
  let where = path.length === 0 ? 'top level' : formatPath(path)
  if (path[0] === 'columns' && typeof path[1] === 'number') {
    const name = columnNameAt(input, path[1])
    const rest = path.slice(2)
    const field = rest.length === 0 ? '' : ` field "${formatPath(rest)}"`
    where = `${name === undefined ? `column #${path[1] + 1}` : `column "${name}"`}${field} (${formatPath(path)})`
  }
  return `${where}: ${issueText(issue)}`
}

function issueText(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_enum_value':
      return `expected one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}, got ${JSON.stringify(issue.received)}`
    case 'invalid_literal':
      return `expected ${JSON.stringify(issue.expected)}, got ${JSON.stringify(issue.received)}`
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `is required (expected ${issue.expected})`
        : `expected ${issue.expected}, got ${issue.received}`
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
    default:
      return issue.message
  }
}

function formatPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`
  return out
}

function columnNameAt(input: unknown, index: number): string | undefined {
  if (input === null || typeof input !== 'object') return undefined
  const columns = (input as { columns?: unknown }).columns
  if (!Array.isArray(columns)) return undefined
  const column: unknown = columns[index]
  if (column === null || typeof column !== 'object') return undefined
  const name = (column as { name?: unknown }).name
  return typeof name === 'string' && name !== '' ? name : undefined
}

/** Rules zod's shape cannot say: unique names, bounds that fit the kind, values only for categoricals. */
function checkSemantics(schema: TableSchema, prefix: string, source: string | undefined): void {
  const seen = new Set<string>()
  const fail = (column: string, problem: string): never => {
    throw new ModelGateError('MG_SCHEMA_INVALID', `${prefix}: column "${column}": ${problem}`, {
      location: { ...(source === undefined ? {} : { file: source }), column },
    })
  }
  for (const column of schema.columns) {
    if (seen.has(column.name)) fail(column.name, 'is defined twice; column names must be unique')
    seen.add(column.name)
    const { kind, min, max } = column
    if (min !== undefined || max !== undefined) {
      if (kind === 'numeric' || kind === 'integer') {
        if ((min !== undefined && typeof min !== 'number') || (max !== undefined && typeof max !== 'number')) {
          fail(column.name, `min and max of a ${kind} column must be numbers`)
        }
      } else if (kind === 'datetime') {
        for (const bound of [min, max]) {
          if (bound !== undefined && (typeof bound !== 'string' || Number.isNaN(Date.parse(bound)))) {
            fail(column.name, `min and max of a datetime column must be ISO date strings, got ${JSON.stringify(bound)}`)
          }
        }
      } else {
        fail(column.name, `min/max are only allowed on numeric, integer and datetime columns, not ${kind}`)
      }
      if (min !== undefined && max !== undefined && boundValue(min) > boundValue(max)) {
        fail(column.name, `min ${JSON.stringify(min)} is greater than max ${JSON.stringify(max)}`)
      }
    }
    if (kind === 'datetime' && column.format !== undefined) {
      try {
        compileDatetimePattern(datetimePattern(column.format))
      } catch (error) {
        fail(column.name, (error as Error).message)
      }
    }
    if (column.values !== undefined) {
      if (kind !== 'categorical') fail(column.name, `allowed values are only for categorical columns, not ${kind}`)
      if (new Set(column.values).size !== column.values.length) fail(column.name, 'allowed values contain duplicates')
    }
    if (column.pii !== undefined && kind === 'boolean') fail(column.name, 'a boolean column cannot hold PII')
    if (column.pii !== undefined && column.notPii === true)
      fail(column.name, 'a column cannot both be tagged "pii" and marked "notPii"')
  }
}

function boundValue(bound: number | string): number {
  return typeof bound === 'number' ? bound : Date.parse(bound)
}
