import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/gate (the README's "Error codes" table says what each means). */
export const GATE_ERROR_CODES = [
  'MG_GATE_UNKNOWN_CHECK',
  'MG_GATE_NO_CHECKS',
  'MG_GATE_INPUT_MISSING',
  'MG_GATE_NO_DRIFT_CHECK',
  'MG_GATE_UNREACHABLE',
] as const

export type GateErrorCode = (typeof GATE_ERROR_CODES)[number]

export class GateError extends ModelGateError<GateErrorCode> {}
