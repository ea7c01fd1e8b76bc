import { loadConfigFile } from '@modelgate/core'
import { z } from 'zod'
import type { RequestTemplateSpec } from './createRequestTemplate.js'

/** The request-template file (YAML or JSON). */
export const requestTemplateSchema = z
  .object({
    version: z.literal(1).optional(),
    method: z
      .string()
      .regex(/^[A-Za-z]+$/, 'an HTTP method such as POST')
      .optional(),
    path: z.string().startsWith('/', 'a path starting with /').optional(),
    headers: z.record(z.string()).optional(),
    body: z.unknown().optional(),
  })
  .strict()

/**
 * Reads a request template (`method`, `path`, `headers`, `body` with `"{{row}}"` / `"{{row.field}}"` placeholders)
 * through core's config loader: errors name the file, line and key (`MG_CONFIG_INVALID`).
 */
export async function readRequestTemplate(path: string): Promise<RequestTemplateSpec> {
  const spec = await loadConfigFile(path, requestTemplateSchema)
  return {
    ...(spec.method === undefined ? {} : { method: spec.method }),
    ...(spec.path === undefined ? {} : { path: spec.path }),
    ...(spec.headers === undefined ? {} : { headers: spec.headers }),
    ...(spec.body === undefined ? {} : { body: spec.body }),
  }
}
