import { readFile } from 'node:fs/promises'
import { ModelGateError } from '../errors.js'
import { parseSchema } from './internal/parseSchema.js'
import type { TableSchema } from './Schema.js'

/** Reads and validates a schema JSON file (as written by `modelgate schema infer`). */
export async function loadSchema(path: string): Promise<TableSchema> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    throw new ModelGateError(
      'MG_SCHEMA_NOT_FOUND',
      code === 'ENOENT'
        ? `Schema file ${path} does not exist.`
        : `Schema file ${path} cannot be read (${String(code ?? cause)}).`,
      { cause, location: { file: path }, hint: 'Draft one from the data with inferSchema() and save it as JSON.' },
    )
  }
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
