import { isModelGateError, type ModelGateError, redactText } from '@modelgate/core'
import { MonitorError } from '../errors.js'

/**
 * A failure of a running source (a read, an acknowledgement) as its `onError` reports it: an error that already has a
 * code is passed on; anything else becomes `MG_MONITOR_SOURCE_FAILED` naming the source and what failed, with the
 * driver's error code (or a redacted excerpt of its message) and the error itself as `cause`.
 */
export function sourceFailure(source: string, action: string, error: unknown, then: string): ModelGateError {
  if (isModelGateError(error)) return error
  const code = (error as { code?: unknown } | null)?.code
  const said =
    typeof code === 'string'
      ? code
      : redactText(error instanceof Error ? error.message : String(error), { maxLength: 200 })
  return new MonitorError('MG_MONITOR_SOURCE_FAILED', `${source}: ${action} failed (${said}); ${then}.`, {
    cause: error,
  })
}
