import { importUserModule } from '@modelgate/core'
import { ContractsError } from './errors.js'
import type { StateHandler } from './verifyProvider.js'

export interface LoadStateHandlersOptions {
  /** Name of the file in error messages (default: the path). */
  readonly displayName?: string
}

/** Provider state handlers from a JS or TS module (see core's `importUserModule`) exporting `stateHandlers` (or a default export): state name → handler. */
export async function loadStateHandlers(
  path: string,
  options: LoadStateHandlersOptions = {},
): Promise<Record<string, StateHandler>> {
  const file = options.displayName ?? path
  const mod = await importUserModule(path)
  const handlers = mod.stateHandlers ?? mod.default
  const valid =
    typeof handlers === 'object' &&
    handlers !== null &&
    Object.values(handlers).every(
      (h) => typeof h === 'function' || (typeof h === 'object' && h !== null && ('setup' in h || 'teardown' in h)),
    )
  if (!valid) {
    throw new ContractsError(
      'MG_CONTRACTS_STATE_HANDLERS_INVALID',
      `State handlers module ${file} must export \`stateHandlers\`: an object of provider state name → async function.`,
      {
        location: { file },
        hint: "export const stateHandlers = { 'the model is loaded': async () => undefined }",
      },
    )
  }
  return handlers as Record<string, StateHandler>
}
