import type { ColumnSchema, TableSchema } from '@modelgate/core'
import { tableSchema } from '@modelgate/core'
import { ContractsError } from './errors.js'

/** The parts of a zod (v3) schema this reads, by `_def.typeName` — so a zod copy of the caller's works too. */
interface ZodLike {
  readonly _def: {
    readonly typeName?: string
    readonly innerType?: ZodLike
    readonly checks?: readonly { readonly kind: string; readonly value?: unknown; readonly inclusive?: boolean }[]
    readonly values?: readonly string[] | Readonly<Record<string, string | number>>
    readonly value?: unknown
    readonly shape?: () => Readonly<Record<string, ZodLike>>
    readonly description?: string
  }
}

const isZod = (x: unknown): x is ZodLike =>
  typeof x === 'object' &&
  x !== null &&
  typeof (x as ZodLike)._def === 'object' &&
  typeof (x as ZodLike)._def.typeName === 'string'

/** Whether `value` looks like a zod object schema. */
export function isZodObject(value: unknown): boolean {
  return isZod(value) && value._def.typeName === 'ZodObject'
}

function column(name: string, field: ZodLike): ColumnSchema {
  let node = field
  let nullable = false
  for (;;) {
    const t = node._def.typeName
    if ((t === 'ZodNullable' || t === 'ZodOptional' || t === 'ZodDefault') && node._def.innerType !== undefined) {
      if (t !== 'ZodDefault') nullable = true
      node = node._def.innerType
    } else break
  }
  const checks = node._def.checks ?? []
  const description = node._def.description ?? field._def.description
  const base = { name, nullable, ...(description !== undefined ? { description } : {}) }
  switch (node._def.typeName) {
    case 'ZodNumber': {
      const integer = checks.some((c) => c.kind === 'int')
      const min = checks.find((c) => c.kind === 'min')?.value
      const max = checks.find((c) => c.kind === 'max')?.value
      return {
        ...base,
        kind: integer ? 'integer' : 'numeric',
        ...(typeof min === 'number' ? { min } : {}),
        ...(typeof max === 'number' ? { max } : {}),
      }
    }
    case 'ZodBoolean':
      return { ...base, kind: 'boolean' }
    case 'ZodDate':
      return { ...base, kind: 'datetime', format: 'iso' }
    case 'ZodEnum':
      return { ...base, kind: 'categorical', values: [...(node._def.values as readonly string[])] }
    case 'ZodNativeEnum':
      return {
        ...base,
        kind: 'categorical',
        values: Object.values(node._def.values ?? {}).filter((v): v is string => typeof v === 'string'),
      }
    case 'ZodLiteral':
      if (typeof node._def.value === 'string') return { ...base, kind: 'categorical', values: [node._def.value] }
      break
    case 'ZodString': {
      const kinds = new Set(checks.map((c) => c.kind))
      if (kinds.has('datetime')) return { ...base, kind: 'datetime', format: 'iso' }
      if (kinds.has('date')) return { ...base, kind: 'datetime', format: 'date' }
      if (kinds.has('uuid') || kinds.has('cuid') || kinds.has('ulid')) return { ...base, kind: 'id', unique: true }
      if (kinds.has('email')) return { ...base, kind: 'text', pii: { type: 'email', reason: 'z.string().email()' } }
      if (kinds.has('ip')) return { ...base, kind: 'text', pii: { type: 'ip_address', reason: 'z.string().ip()' } }
      return { ...base, kind: 'text' }
    }
  }
  throw new ContractsError(
    'MG_CONTRACTS_SCHEMA_INVALID',
    `Field "${name}" has zod type ${node._def.typeName}, which has no column kind (use number, string, boolean, date, enum or a string literal).`,
    { location: { column: name }, hint: 'flat feature payloads only: nested objects and arrays are not columns' },
  )
}

/**
 * An annotated table schema from a zod object schema of the feature payload: `z.number().int().min(0)` →
 * integer ≥ 0, `z.enum([...])` → categorical with those values, `.nullable()`/`.optional()` → nullable,
 * `z.string().datetime()` → datetime, `.email()`/`.ip()` → PII text, `.uuid()` → id. Other PII (names,
 * device ids …) must be tagged in a JSON schema, as zod does not say it.
 */
export function tableSchemaFromZod(schema: unknown, name?: string): TableSchema {
  if (!isZod(schema) || schema._def.typeName !== 'ZodObject' || schema._def.shape === undefined) {
    throw new ContractsError(
      'MG_CONTRACTS_SCHEMA_INVALID',
      'Expected a zod object schema (z.object({ … })) of the feature payload.',
    )
  }
  const columns = Object.entries(schema._def.shape()).map(([field, type]) => column(field, type))
  return tableSchema.parse({ version: 1, ...(name !== undefined ? { name } : {}), columns })
}
