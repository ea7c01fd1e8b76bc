import { z } from 'zod'
import { isIsoPattern, LEGACY_DATETIME_FORMATS, parseDatetimeAs } from '../io/parseDatetime.js'
import type { ColumnSchema, TableSchema } from './Schema.js'

export interface RowValidatorOptions {
  /** Whether fields the schema does not name are allowed (default `false`: a row has exactly the schema's columns). */
  readonly allowExtraFields?: boolean
}

/**
 * A zod validator for ONE ROW (a JSON object, e.g. an inference request payload) described by the schema:
 * types, nullability, bounds, allowed values and the formats of email / IP / datetime columns.
 */
export function rowValidator(
  schema: TableSchema,
  options: RowValidatorOptions = {},
): z.ZodType<Record<string, unknown>> {
  // No prototype: a column named `__proto__` or `constructor` is an ordinary field.
  const shape = Object.create(null) as Record<string, z.ZodTypeAny>
  for (const column of schema.columns) {
    const field = columnValidator(column)
    shape[column.name] = column.nullable ? field.nullable() : field
  }
  const object = z.object(shape)
  return options.allowExtraFields === true ? object.passthrough() : object.strict()
}

/** The validator of one non-null value of a column. */
export function columnValidator(column: ColumnSchema): z.ZodTypeAny {
  const described = <T extends z.ZodTypeAny>(t: T): T =>
    column.description === undefined ? t : t.describe(column.description)
  switch (column.kind) {
    case 'numeric':
    case 'integer': {
      let n = z.number().finite()
      if (column.kind === 'integer') n = n.int()
      if (typeof column.min === 'number') n = n.gte(column.min)
      if (typeof column.max === 'number') n = n.lte(column.max)
      return described(n)
    }
    case 'boolean':
      return described(z.boolean())
    case 'categorical': {
      const [first, ...rest] = column.values ?? []
      return described(first === undefined ? z.string() : z.enum([first, ...rest]))
    }
    case 'datetime': {
      const base = datetimeText(column.format)
      const min = typeof column.min === 'string' ? Date.parse(column.min) : undefined
      const max = typeof column.max === 'string' ? Date.parse(column.max) : undefined
      if (min === undefined && max === undefined) return described(base)
      const format = column.format
      return described(
        base.refine(
          (s) => {
            const t = format === undefined ? Date.parse(s) : parseDatetimeAs(s, format)
            return (min === undefined || t >= min) && (max === undefined || t <= max)
          },
          { message: `expected a datetime between ${String(column.min ?? '-∞')} and ${String(column.max ?? '+∞')}` },
        ),
      )
    }
    case 'text':
    case 'id': {
      const s = stringForPii(column)
      return described(column.kind === 'id' && column.pii === undefined ? z.union([s, z.number().int()]) : s)
    }
  }
}

/**
 * Text of a datetime in the column's format: the legacy names `date` (2025-03-01), `iso` (with Z or an offset),
 * `iso-local` (2025-03-01T10:00:00) or `datetime` (2025-03-01 10:00:00); an ISO 8601 pattern or no format accepts any
 * ISO form; any other pattern (`MMM d yyyy`) accepts text written in it.
 */
function datetimeText(format: string | undefined): z.ZodType<string> {
  if (format !== undefined && !(format in LEGACY_DATETIME_FORMATS) && !isIsoPattern(format)) {
    return z.string().refine((s) => !Number.isNaN(parseDatetimeAs(s, format)), {
      message: `expected a datetime written ${JSON.stringify(format)}`,
    })
  }
  switch (format) {
    case 'date':
      return z.string().date()
    case 'iso':
      return z.string().datetime({ offset: true })
    case 'iso-local':
      return z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/, 'expected a local ISO datetime (no zone)')
    case 'datetime':
      return z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/, 'expected a datetime like 2025-03-01 10:00:00')
    default:
      return z
        .string()
        .regex(
          /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/,
          'expected an ISO 8601 date or datetime',
        )
  }
}

function stringForPii(column: ColumnSchema): z.ZodString {
  switch (column.pii?.type) {
    case 'email':
      return z.string().email()
    case 'ip_address':
      return z.string().ip()
    default:
      return z.string()
  }
}
