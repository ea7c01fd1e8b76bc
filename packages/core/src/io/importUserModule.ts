import { existsSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { ModelGateError } from '../errors.js'

/**
 * Imports a user's module (a feature pipeline, a schema, state handlers) by file path and returns its exports.
 * JavaScript loads as is; a TypeScript file (`.ts`, `.mts`, `.cts`) that plain Node cannot load goes through tsx when
 * it is installed. Throws `MG_IO_NOT_FOUND` when there is no such file and `MG_MODULE_LOAD_FAILED` when it cannot
 * be loaded (a syntax error, a throwing top level, TypeScript without tsx), with the cause.
 */
export async function importUserModule(file: string): Promise<Record<string, unknown>> {
  if (!existsSync(file)) {
    throw new ModelGateError('MG_IO_NOT_FOUND', `The module ${file} does not exist.`, { location: { file } })
  }
  const url = pathToFileURL(file).href
  try {
    return (await import(url)) as Record<string, unknown>
  } catch (error) {
    const code = (error as { code?: string }).code
    if (code !== 'ERR_UNKNOWN_FILE_EXTENSION' || !/\.[mc]?ts$/.test(file)) throw loadFailed(file, error)
  }
  // A TypeScript module under plain Node: load it through tsx when it is installed.
  let tsx: { tsImport: (specifier: string, parent: string) => Promise<unknown> }
  try {
    tsx = (await import('tsx/esm/api' as string)) as typeof tsx
  } catch (error) {
    throw new ModelGateError(
      'MG_MODULE_LOAD_FAILED',
      `Cannot load the TypeScript module ${file}: tsx is not installed.`,
      {
        location: { file },
        cause: error,
        hint: 'Install tsx (npm install tsx), run Node with --import tsx, or compile the module to JavaScript.',
      },
    )
  }
  try {
    return (await tsx.tsImport(url, import.meta.url)) as Record<string, unknown>
  } catch (error) {
    throw loadFailed(file, error)
  }
}

function loadFailed(file: string, cause: unknown): ModelGateError<'MG_MODULE_LOAD_FAILED'> {
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new ModelGateError('MG_MODULE_LOAD_FAILED', `Cannot load ${file}: ${reason}`, { location: { file }, cause })
}
