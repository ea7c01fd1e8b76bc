import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/monitor (the README's "Error codes" table says what each means). */
export const MONITOR_ERROR_CODES = [
  'MG_MONITOR_BAD_OPTION',
  'MG_MONITOR_BASELINE_INVALID',
  'MG_MONITOR_LISTEN_FAILED',
  'MG_MONITOR_SOURCE_FAILED',
  'MG_MONITOR_STATE_INVALID',
  'MG_MONITOR_WAL_INVALID',
  'MG_MONITOR_CALIBRATION_FAILED',
] as const

export type MonitorErrorCode = (typeof MONITOR_ERROR_CODES)[number]

export class MonitorError extends ModelGateError<MonitorErrorCode> {}
