import { parseSchema } from './internal/parseSchema.js'
import type { TableSchema, TableSchemaInput } from './Schema.js'

/**
 * Validates and returns an annotated table schema (fills defaults such as `nullable: true`).
 * Throws `MG_SCHEMA_INVALID` naming the column and the problem.
 */
export function defineSchema(input: TableSchemaInput): TableSchema {
  return parseSchema(input, undefined)
}
