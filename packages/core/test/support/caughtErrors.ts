import { ModelGateError } from '@modelgate/core'

/** The ModelGateError `run` throws; any other error is rethrown, and no error at all fails the test. */
export function thrown(run: () => unknown): ModelGateError {
  try {
    run()
  } catch (error) {
    if (error instanceof ModelGateError) return error
    throw error
  }
  throw new Error('expected a ModelGateError')
}

/** The ModelGateError `promise` rejects with; any other error is rethrown, and no rejection at all fails the test. */
export async function rejected(promise: Promise<unknown>): Promise<ModelGateError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof ModelGateError) return error
    throw error
  }
  throw new Error('expected a ModelGateError')
}
