import type { ModelGateErrorOptions } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'

/** Stable error codes of @modelgate/synth (documented in the package README). */
export const SYNTH_ERROR_CODES = {
  schemaColumnMissing: 'MG_SYNTH_SCHEMA_COLUMN_MISSING',
  unknownColumn: 'MG_SYNTH_UNKNOWN_COLUMN',
  emptyTable: 'MG_SYNTH_EMPTY_TABLE',
  categoryExplosion: 'MG_SYNTH_CATEGORY_EXPLOSION',
  badOption: 'MG_SYNTH_BAD_OPTION',
  modelCorrupt: 'MG_SYNTH_MODEL_CORRUPT',
  modelVersion: 'MG_SYNTH_MODEL_VERSION',
  modelUnreadable: 'MG_SYNTH_MODEL_UNREADABLE',
  whereInvalid: 'MG_SYNTH_WHERE_INVALID',
  whereImpossible: 'MG_SYNTH_WHERE_IMPOSSIBLE',
  evaluateMismatch: 'MG_SYNTH_EVALUATE_MISMATCH',
  // CTGAN
  aborted: 'MG_SYNTH_ABORTED',
  backendUnavailable: 'MG_SYNTH_BACKEND_UNAVAILABLE',
  checkpointMismatch: 'MG_SYNTH_CHECKPOINT_MISMATCH',
} as const

export type SynthErrorCode = (typeof SYNTH_ERROR_CODES)[keyof typeof SYNTH_ERROR_CODES]

export class SynthError extends ModelGateError {
  constructor(code: SynthErrorCode, message: string, options: ModelGateErrorOptions = {}) {
    super(code, message, options)
    this.name = 'SynthError'
  }
}

/** A model file this version cannot read (written by a newer ModelGate). */
export class ModelFileVersionError extends SynthError {
  constructor(message: string, options: ModelGateErrorOptions = {}) {
    super(SYNTH_ERROR_CODES.modelVersion, message, options)
    this.name = 'ModelFileVersionError'
  }
}
