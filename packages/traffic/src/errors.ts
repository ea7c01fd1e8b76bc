import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/traffic (the README's "Error codes" table says what each means). */
export const TRAFFIC_ERROR_CODES = [
  'MG_SHADOW_BAD_OPTION',
  'MG_SHADOW_BAD_URL',
  'MG_SHADOW_LISTEN_FAILED',
  'MG_SHADOW_UNREACHABLE',
  'MG_SHADOW_BAD_ANSWER',
  'MG_SHADOW_MIRROR_LOST',
  'MG_SHADOW_MIRROR_FAILED',
  'MG_SHADOW_PAIR_FAILED',
  'MG_SHADOW_ANALYSIS_LOST',
  'MG_SHADOW_ANALYSIS_FAILED',
  'MG_LOAD_BAD_OPTION',
  'MG_LOAD_BAD_TARGET',
  'MG_LOAD_UNREACHABLE',
  'MG_LOAD_CONNECTION_RESET',
  'MG_LOAD_NO_PAYLOADS',
  'MG_LOAD_BAD_PAYLOADS',
  'MG_LOAD_FILE_UNREADABLE',
  'MG_LOAD_BAD_STAGES',
  'MG_LOAD_BAD_TEMPLATE',
  'MG_LOAD_BAD_REPLAY',
  'MG_LOAD_BAD_RESULT',
  'MG_LOAD_MERGE_MISMATCH',
  'MG_CANARY_BAD_OPTION',
  'MG_CANARY_BAD_PAIRS',
] as const

export type TrafficErrorCode = (typeof TRAFFIC_ERROR_CODES)[number]

export class TrafficError extends ModelGateError<TrafficErrorCode> {}
