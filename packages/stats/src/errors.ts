import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/stats (the README's "Error codes" table says what each means). */
export const STATS_ERROR_CODES = [
  'MG_STATS_EMPTY_SAMPLE',
  'MG_STATS_NOT_FINITE',
  'MG_STATS_LENGTH_MISMATCH',
  'MG_STATS_BAD_OPTION',
  'MG_STATS_BAD_COUNTS',
  'MG_STATS_BAD_SKETCH',
] as const

export type StatsErrorCode = (typeof STATS_ERROR_CODES)[number]

export class StatsError extends ModelGateError<StatsErrorCode> {}
