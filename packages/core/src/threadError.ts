import { isModelGateError, ModelGateError } from './errors.js'

/** An error as it is posted between threads: a structured clone keeps neither an error's class nor its code. */
export interface ThreadError {
  readonly message: string
  readonly code?: string
  readonly hint?: string
}

/** The error a worker thread posts: message, and code and hint when it is a ModelGateError. */
export function toThreadError(error: unknown): ThreadError {
  if (!isModelGateError(error)) return { message: error instanceof Error ? error.message : String(error) }
  return { message: error.message, code: error.code, ...(error.hint === undefined ? {} : { hint: error.hint }) }
}

/**
 * The posted error as a ModelGateError again, with its own code, message and hint — or null when it had no code (an
 * unexpected error, whose text is not ours: the receiver names what failed and quotes it redacted, if at all).
 */
export function fromThreadError(error: ThreadError): ModelGateError | null {
  if (error.code === undefined) return null
  return new ModelGateError(error.code, error.message, error.hint === undefined ? {} : { hint: error.hint })
}
