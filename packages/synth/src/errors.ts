import type { ModelGateErrorOptions } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/synth (the README's "Error codes" table says what each means). */
export const SYNTH_ERROR_CODES = [
  'MG_SYNTH_SCHEMA_COLUMN_MISSING',
  'MG_SYNTH_UNKNOWN_COLUMN',
  'MG_SYNTH_EMPTY_TABLE',
  'MG_SYNTH_CATEGORY_EXPLOSION',
  'MG_SYNTH_TOO_MANY_COLUMNS',
  'MG_SYNTH_BAD_OPTION',
  'MG_SYNTH_MODEL_CORRUPT',
  'MG_SYNTH_MODEL_VERSION',
  'MG_SYNTH_MODEL_UNREADABLE',
  'MG_SYNTH_WHERE_INVALID',
  'MG_SYNTH_WHERE_IMPOSSIBLE',
  'MG_SYNTH_EVALUATE_MISMATCH',
  'MG_SYNTH_PRIVACY_STRICT',
  // training warnings (returned, not thrown; strict mode turns them into MG_SYNTH_PRIVACY_STRICT)
  'MG_SYNTH_PII_UNTAGGED',
  'MG_SYNTH_QUASI_IDENTIFIER',
  // a column generated (mostly) null though the data has values: a warning, refused under strict
  'MG_SYNTH_COLUMN_LOST',
  'MG_SYNTH_BACKEND_UNAVAILABLE',
  'MG_SYNTH_CHECKPOINT_MISMATCH',
  'MG_SYNTH_BACKEND_FAILED',
  'MG_SYNTH_WORKER_FAILED',
  'MG_SYNTH_MODEL_DISPOSED',
  'MG_SYNTH_INTERNAL',
] as const

export type SynthErrorCode = (typeof SYNTH_ERROR_CODES)[number]

export class SynthError extends ModelGateError<SynthErrorCode> {}

/** A model file this version cannot read (written by a newer ModelGate). */
export class ModelFileVersionError extends SynthError {
  constructor(message: string, options: ModelGateErrorOptions = {}) {
    super('MG_SYNTH_MODEL_VERSION', message, options)
  }
}
