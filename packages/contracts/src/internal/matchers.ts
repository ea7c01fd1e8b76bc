import type { ColumnSchema, TableSchema } from '@modelgate/core'
import { datetimePattern, isDateOnlyFormat, isIsoPattern } from '@modelgate/core'
import type { MatchersV3 } from '@pact-foundation/pact'
import { numberRangeRegex } from './rangeRegex.js'
import { piiPattern } from './synthetic.js'

/** A matching rule for one JSON path, in pact-js `Rules` shape (`{ path, rules: Matcher[] }`). */
export interface PathRule {
  readonly path: string
  readonly rules: readonly unknown[]
}

/** pact-js's V3 matchers, from the loaded Pact module. */
export type Matchers = typeof MatchersV3

export interface MatchedBody {
  /** The body with MatchersV3 matchers in place of values. Plain JSON: safe to serialize into a test file. */
  readonly body: Record<string, unknown>
  /** Extra rules (number + range regex) for bounded numbers; added with the builder's `matchingRules`. */
  readonly rules: readonly PathRule[]
  /** Fields whose bounds Pact cannot express exactly (checked by `contracts check` instead). */
  readonly unenforcedBounds: readonly string[]
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

const ISO_DATETIME = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?(?:Z|[+-][0-9]{2}:?[0-9]{2})$'

/** The `$.a.b` or `$['odd key']` JSON path Pact uses for a field. */
function jsonPath(prefix: string, name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${prefix}.${name}` : `${prefix}['${name.replace(/'/g, "\\'")}']`
}

function columnMatcher(
  MatchersV3: Matchers,
  column: ColumnSchema,
  value: unknown,
  path: string,
  rules: PathRule[],
  unenforced: string[],
): unknown {
  if (value === null) return MatchersV3.nullValue()
  switch (column.kind) {
    case 'numeric':
    case 'integer': {
      const v = value as number
      const integer = column.kind === 'integer'
      const bounded = typeof column.min === 'number' && typeof column.max === 'number'
      const range = bounded ? numberRangeRegex(column.min as number, column.max as number, integer) : undefined
      if (range !== undefined) {
        rules.push({
          path,
          rules: [integer ? MatchersV3.integer(v) : MatchersV3.number(v), MatchersV3.regex(range, String(v))],
        })
        return v
      }
      if (typeof column.min === 'number' || typeof column.max === 'number') unenforced.push(column.name)
      return integer ? MatchersV3.integer(v) : MatchersV3.number(v)
    }
    case 'boolean':
      return MatchersV3.boolean(value as boolean)
    case 'datetime':
      // A column written another way than ISO 8601 (`MMM d yyyy`) is matched by type only.
      if (column.format !== undefined && !isIsoPattern(datetimePattern(column.format)))
        return MatchersV3.string(value as string)
      return column.format !== undefined && isDateOnlyFormat(column.format)
        ? MatchersV3.date('yyyy-MM-dd', value as string)
        : MatchersV3.regex(ISO_DATETIME, value as string)
    case 'categorical':
      return column.values !== undefined && column.values.length > 0
        ? MatchersV3.regex(`^(?:${column.values.map(escapeRegex).join('|')})$`, value as string)
        : MatchersV3.string(value as string)
    default: {
      const pattern = column.pii !== undefined ? piiPattern(column.pii.type) : undefined
      return pattern !== undefined ? MatchersV3.regex(pattern, value as string) : MatchersV3.string(value as string)
    }
  }
}

/** Turns one example row into a Pact body whose matchers follow the annotated schema (fields under `prefix`). */
export function matchBody(
  matchers: Matchers,
  schema: TableSchema,
  row: Readonly<Record<string, unknown>>,
  prefix = '$',
): MatchedBody {
  const rules: PathRule[] = []
  const unenforced: string[] = []
  const body: Record<string, unknown> = {}
  for (const column of schema.columns) {
    body[column.name] = columnMatcher(
      matchers,
      column,
      row[column.name] ?? null,
      jsonPath(prefix, column.name),
      rules,
      unenforced,
    )
  }
  return { body, rules, unenforcedBounds: unenforced }
}
