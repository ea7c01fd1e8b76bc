import { SynthError } from '../../errors.js'

/**
 * A broken invariant inside the CTGAN code (a shape that cannot occur, a buffer too small): a bug, not a user's
 * mistake. Stable code MG_SYNTH_INTERNAL, exit 1.
 */
export function internalError(message: string): SynthError {
  return new SynthError('MG_SYNTH_INTERNAL', message, {
    hint: 'This is a bug in ModelGate; please report it with the command that triggered it.',
    exitCode: 1,
  })
}
