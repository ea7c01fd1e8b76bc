import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/skew (the README's "Error codes" table says what each means). */
export const SKEW_ERROR_CODES = [
  'MG_SKEW_BAD_ADAPTER',
  'MG_SKEW_BAD_URL',
  'MG_SKEW_BAD_OPTION',
  'MG_SKEW_NO_KEY_COLUMN',
  'MG_SKEW_NO_KEY',
  'MG_SKEW_NULL_KEY',
  'MG_SKEW_DUPLICATE_KEY',
  'MG_SKEW_UNKNOWN_FEATURE',
  'MG_SKEW_NO_FEATURES',
  'MG_SKEW_TEMPLATE_COLUMN',
  'MG_SKEW_ONLINE_UNREACHABLE',
  'MG_SKEW_ONLINE_CIRCUIT_OPEN',
  'MG_SKEW_ONLINE_DEADLINE',
  'MG_SKEW_RESPONSE_TOO_LARGE',
  'MG_SKEW_SQL_FAILED',
  'MG_SKEW_COMMAND_PLACEHOLDERS',
  'MG_SKEW_COMMAND_FAILED',
  'MG_SKEW_COMMAND_OUTPUT',
  'MG_SKEW_NO_TIME_COLUMN',
  'MG_SKEW_TIME_KIND',
  'MG_SKEW_NULL_TIME',
  'MG_SKEW_NO_SPLIT_COLUMN',
  'MG_SKEW_NO_ENTITY_COLUMN',
  'MG_SKEW_EMPTY_SPLIT',
] as const

export type SkewErrorCode = (typeof SKEW_ERROR_CODES)[number]

export class SkewError extends ModelGateError<SkewErrorCode> {}
