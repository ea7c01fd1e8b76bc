import { SynthError } from '../errors.js'
import type { WhereValue } from '../types.js'

/** A `where` condition names a column the model does not have (`MG_SYNTH_WHERE_INVALID`). */
export function unknownWhereColumn(name: string, columns: readonly string[]): SynthError {
  return new SynthError('MG_SYNTH_WHERE_INVALID', `where names column "${name}", which the model does not have.`, {
    hint: `Columns: ${columns.join(', ')}.`,
  })
}

/** A `where` value the model cannot produce, and why (`MG_SYNTH_WHERE_IMPOSSIBLE`). */
export function impossibleWhere(name: string, value: WhereValue, why: string): SynthError {
  return new SynthError('MG_SYNTH_WHERE_IMPOSSIBLE', `Cannot generate rows where ${name}=${String(value)}: ${why}.`, {
    hint: 'Condition on a value the model holds (see `synth inspect`).',
    location: { column: name },
  })
}
