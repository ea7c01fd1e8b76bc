import type { ArgumentShape, TableSchema } from '@modelgate/core'
import { checkArgument, importUserModule, loadSchema, ModelGateError, tableSchema } from '@modelgate/core'
import { z } from 'zod'
import { isZodObject, tableSchemaFromZod } from './tableSchemaFromZod.js'

export interface LoadContractSchemaOptions {
  /** Name of the file in error messages (default: the path). */
  readonly displayName?: string
}

/**
 * The schema of a request or response: a JSON schema file (as `modelgate schema infer` writes it), or a JS/TS
 * module exporting `schema` (or a default export) that is a zod object or a table schema made with `defineSchema`.
 */
export async function loadContractSchema(path: string, options: LoadContractSchemaOptions = {}): Promise<TableSchema> {
  const call = 'loadContractSchema(path, options)'
  checkArgument(z.string(), path, {
    call,
    name: 'path',
    hint: 'pass the path of a schema file (.json) or of a module exporting one (.ts, .js)',
  })
  checkArgument(
    z.object({ displayName: z.string().optional() } satisfies ArgumentShape<LoadContractSchemaOptions>),
    options,
    {
      call,
      name: 'options',
    },
  )
  const file = options.displayName ?? path
  if (!/\.(m?js|cjs|m?ts)$/.test(path)) return loadSchema(path)
  const mod = await importUserModule(path)
  const candidate = mod.schema ?? mod.default
  if (isZodObject(candidate)) return tableSchemaFromZod(candidate)
  const parsed = tableSchema.safeParse(candidate)
  if (!parsed.success) {
    throw new ModelGateError(
      'MG_SCHEMA_INVALID',
      `Schema module ${file} must export \`schema\` (or a default export): a zod object schema, or a table schema made with defineSchema().`,
      {
        location: { file },
        hint: 'export const schema = z.object({ amount: z.number().min(0), … })',
      },
    )
  }
  return parsed.data
}
