import { zodToJsonSchema } from 'zod-to-json-schema'
import type { RowValidatorOptions } from './rowValidator.js'
import { rowValidator } from './rowValidator.js'
import type { TableSchema } from './Schema.js'
import { tableSchema } from './Schema.js'

/** A JSON Schema document (draft-07), as plain JSON. */
export type JsonSchema = Record<string, unknown>

/**
 * The JSON Schema (draft-07) of ONE ROW described by the annotated schema, generated with zod-to-json-schema
 * from `rowValidator(schema)`. PII columns carry an `x-pii` annotation (`{ type, reason? }`), every column
 * an `x-kind` with its ModelGate kind.
 */
export function schemaToJsonSchema(schema: TableSchema, options: RowValidatorOptions = {}): JsonSchema {
  const json = zodToJsonSchema(rowValidator(schema, options), {
    target: 'jsonSchema7',
    $refStrategy: 'none',
  }) as JsonSchema
  const properties = json.properties as Record<string, Record<string, unknown>> | undefined
  if (properties !== undefined) {
    for (const column of schema.columns) {
      const property = properties[column.name]
      if (property === undefined) continue
      property['x-kind'] = column.kind
      if (column.pii !== undefined) property['x-pii'] = { ...column.pii }
      if (column.kind === 'datetime' && (column.min !== undefined || column.max !== undefined)) {
        property['x-bounds'] = {
          ...(column.min === undefined ? {} : { min: column.min }),
          ...(column.max === undefined ? {} : { max: column.max }),
        }
      }
    }
  }
  return {
    $schema: json.$schema,
    ...(schema.name === undefined ? {} : { title: schema.name }),
    ...Object.fromEntries(Object.entries(json).filter(([key]) => key !== '$schema')),
  }
}

/** The JSON Schema of the ModelGate schema file format itself (what `loadSchema` accepts). */
export function tableSchemaJsonSchema(): JsonSchema {
  const json = zodToJsonSchema(tableSchema, { target: 'jsonSchema7', $refStrategy: 'none' }) as JsonSchema
  return {
    ...json,
    title: 'ModelGate table schema',
    description: 'Annotated table schema (version 1): column kinds, nullability, bounds, allowed values and PII tags.',
  }
}
