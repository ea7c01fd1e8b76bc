import type { z } from 'zod'
import { zodToJsonSchema } from 'zod-to-json-schema'
import type { JsonSchema } from '../schema/schemaToJsonSchema.js'

export interface ConfigJsonSchemaOptions {
  readonly title?: string
  readonly description?: string
}

/**
 * The JSON Schema (draft-07) of a config file format, from the zod schema `loadConfigFile` validates it with:
 * editors use it to complete and check the file (`# yaml-language-server: $schema=…`). Grammar fields
 * (durations, rates, percentages, SLOs) appear as strings with their description.
 */
export function configJsonSchema(schema: z.ZodTypeAny, options: ConfigJsonSchemaOptions = {}): JsonSchema {
  const json = zodToJsonSchema(schema, { target: 'jsonSchema7', $refStrategy: 'none' }) as JsonSchema
  return {
    ...json,
    ...(options.title === undefined ? {} : { title: options.title }),
    ...(options.description === undefined ? {} : { description: options.description }),
  }
}
