import { ModelGateError } from '../errors.js'

/** A heavy runtime a ModelGate package declares as an optional peer dependency and loads only when it is used. */
export interface OptionalDependency {
  /** Its npm name, e.g. `@duckdb/node-api`. */
  readonly name: string
  /** The version ModelGate is built and tested with (the peer dependency's range). */
  readonly version: string
  /** The ModelGate package that declares it, e.g. `@modelgate/skew`. */
  readonly peerOf: string
  /** What needs it, for the message, e.g. `The SQL batch path (batchSql)`. */
  readonly neededFor: string
  /** Install advice added to the hint, e.g. an environment variable that skips a download. */
  readonly note?: string
}

/**
 * Runs `load` (the caller's own `import('…')`, so the package resolves from the caller's location) and turns "module
 * not found" for `dependency` into a `ModelGateError` `MG_DEPENDENCY_MISSING` naming the package to add. Any other
 * failure (a broken native binding, an error inside the package) is rethrown as it is.
 */
export async function importOptional<T>(load: () => Promise<T>, dependency: OptionalDependency): Promise<T> {
  try {
    return await load()
  } catch (error) {
    if (isModuleNotFound(error, dependency.name)) throw missingDependencyError(dependency, error)
    throw error
  }
}

/** True for Node's "cannot find package/module" error (ESM or CommonJS) about `name`. */
export function isModuleNotFound(error: unknown, name: string): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    message.includes(name)
  )
}

/** The `MG_DEPENDENCY_MISSING` error for `dependency`, for loaders that resolve it themselves (e.g. with require). */
export function missingDependencyError(
  dependency: OptionalDependency,
  cause?: unknown,
): ModelGateError<'MG_DEPENDENCY_MISSING'> {
  const { name, version, peerOf, neededFor, note } = dependency
  return new ModelGateError(
    'MG_DEPENDENCY_MISSING',
    `${neededFor} needs ${name}, an optional peer dependency of ${peerOf}, which is not installed.`,
    { hint: `Add it beside ${peerOf}: npm install ${name}@${version}${note === undefined ? '' : ` (${note})`}`, cause },
  )
}
