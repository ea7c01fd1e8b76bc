import type { ModelGateError, ThreadError } from '@modelgate/core'
import { fromThreadError as coreFromThreadError, redactText } from '@modelgate/core'
import type { TrafficErrorCode } from '../errors.js'
import { TRAFFIC_ERROR_CODES, TrafficError } from '../errors.js'

/**
 * The thread's error again on the proxy's thread: with its own code and message when it had a code (our errors, whose
 * messages follow the no-raw-values rule); otherwise `code`, `what` failed, and a redacted excerpt of the message (an
 * unexpected error's text is not ours: it could quote a value).
 */
export function fromThreadError(error: ThreadError, code: TrafficErrorCode, what: string): ModelGateError {
  const options = error.hint === undefined ? {} : { hint: error.hint }
  if (error.code !== undefined)
    return (TRAFFIC_ERROR_CODES as readonly string[]).includes(error.code)
      ? new TrafficError(error.code as TrafficErrorCode, error.message, options)
      : (coreFromThreadError(error) as ModelGateError)
  return new TrafficError(code, `${what} (${redactText(error.message, { maxLength: 200 })}).`, options)
}

/** A short name of an unexpected error for a message: its code, else its class (the error itself goes in `cause`). */
export function errorName(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string') return code
  return error instanceof Error ? error.name : typeof error
}
