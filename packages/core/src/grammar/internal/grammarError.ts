import type { CoreErrorCode } from '../../errors.js'
import { ModelGateError } from '../../errors.js'

/** Long input is cut in messages: the grammar reads flags and config values, never data, but stays short. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 59)}…` : text)
}

/** A usage error (exit 2) for text that does not follow the grammar: what was given, why, and the expected form. */
export function grammarError(
  code: CoreErrorCode,
  what: string,
  text: string,
  problem: string,
): ModelGateError<CoreErrorCode> {
  return new ModelGateError(code, `${what} ${quote(text)}: ${problem}`)
}

/** `12.5` shifted by `exponent` decimal places, parsed once (so 0.7% is exactly 0.007, not 0.0069999…). */
export function shifted(digits: string, exponent: number): number {
  return Number(`${digits}e${exponent}`)
}

export const NUMBER = String.raw`\d+(?:\.\d+)?`
