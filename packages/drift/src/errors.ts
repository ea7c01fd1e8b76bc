import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/drift (the README's "Error codes" table says what each means). */
export const DRIFT_ERROR_CODES = [
  'MG_DRIFT_BASELINE_INVALID',
  'MG_DRIFT_BASELINE_MISMATCH',
  'MG_DRIFT_EMPTY_SAMPLE',
  'MG_DRIFT_BAD_OPTION',
  'MG_DRIFT_EXPECTATIONS_INVALID',
] as const

export type DriftErrorCode = (typeof DRIFT_ERROR_CODES)[number]

export class DriftError extends ModelGateError<DriftErrorCode> {}
