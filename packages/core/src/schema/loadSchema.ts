import { ModelGateError } from '../errors.js'
import { readTextFile } from '../io/readTextFile.js'
import { parseSchema } from './internal/parseSchema.js'
import type { TableSchema } from './Schema.js'

/** Reads and validates a schema JSON file (as written by `modelgate schema infer`). */
export async function loadSchema(path: string): Promise<TableSchema> {
  const text = await readTextFile(path, {
    what: 'Schema file',
    code: 'MG_SCHEMA_NOT_FOUND',
    hint: 'Draft one from the data with inferSchema() and save it as JSON.',
  })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new ModelGateError(
      'MG_SCHEMA_INVALID_JSON',
      `Schema ${path} is not valid JSON: ${(cause as Error).message}`,
      {
        cause,
        location: { file: path },
      },
    )
  }
  return parseSchema(json, path)
}
