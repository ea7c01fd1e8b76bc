import { ModelGateError } from '@modelgate/core'
import { sortFloat64 } from './radixSort.js'

/** Error codes thrown by @modelgate/stats (see README). */
export const STATS_ERRORS = {
  empty: 'MG_STATS_EMPTY_SAMPLE',
  notFinite: 'MG_STATS_NOT_FINITE',
  lengthMismatch: 'MG_STATS_LENGTH_MISMATCH',
  badOption: 'MG_STATS_BAD_OPTION',
  badCounts: 'MG_STATS_BAD_COUNTS',
  badSketch: 'MG_STATS_BAD_SKETCH',
} as const

/**
 * Copies a sample into a fresh Float64Array, rejecting empty samples and NaN/±Infinity.
 * `what` names the sample in the message, e.g. `ksTest: sample "a"`.
 */
export function toFiniteFloat64(values: ArrayLike<number>, what: string, minLength = 1): Float64Array {
  const n = values.length
  if (n < minLength) {
    throw new ModelGateError(
      STATS_ERRORS.empty,
      `${what}: expected at least ${minLength} value${minLength === 1 ? '' : 's'}, got ${n}.`,
      { hint: 'Drop null values before testing, and check that the column or window is not empty.' },
    )
  }
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    if (!Number.isFinite(v)) {
      throw new ModelGateError(
        STATS_ERRORS.notFinite,
        `${what}: value at index ${i.toLocaleString('en-US')} is ${String(v)}; expected a finite number.`,
        { hint: 'Remove or impute NaN/Infinity values before running statistics.' },
      )
    }
    out[i] = v
  }
  return out
}

/**
 * Like {@link toFiniteFloat64} but returns a Float64Array input itself (after checking it) instead of copying it.
 * For read-only use only.
 */
export function asFiniteFloat64(values: ArrayLike<number>, what: string, minLength = 1): Float64Array {
  if (!(values instanceof Float64Array)) return toFiniteFloat64(values, what, minLength)
  const n = values.length
  if (n < minLength) return toFiniteFloat64(values, what, minLength) // throws the empty-sample error
  for (let i = 0; i < n; i++) {
    // finite check without a call: NaN and ±Infinity give NaN here
    if ((values[i] as number) - (values[i] as number) !== 0) return toFiniteFloat64(values, what, minLength)
  }
  return values
}

/** Like {@link toFiniteFloat64} but the copy is sorted ascending. */
export function toSortedFloat64(values: ArrayLike<number>, what: string, minLength = 1): Float64Array {
  return sortFloat64(toFiniteFloat64(values, what, minLength))
}

/** Non-negative finite counts as a Float64Array (zeros allowed). */
export function toCounts(values: ArrayLike<number>, what: string): Float64Array {
  const n = values.length
  if (n === 0) {
    throw new ModelGateError(STATS_ERRORS.empty, `${what}: expected at least one count, got none.`)
  }
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    if (!Number.isFinite(v) || v < 0) {
      throw new ModelGateError(
        STATS_ERRORS.badCounts,
        `${what}: count at index ${i} is ${String(v)}; expected a finite number ≥ 0.`,
      )
    }
    out[i] = v
  }
  return out
}

export function assertSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new ModelGateError(
      STATS_ERRORS.lengthMismatch,
      `${what}: expected two arrays of the same length, got ${a.length} and ${b.length}.`,
    )
  }
}

export function checkProbability(value: number, name: string, what: string): number {
  if (!(value > 0 && value < 1)) {
    throw new ModelGateError(
      STATS_ERRORS.badOption,
      `${what}: ${name} must be between 0 and 1 (exclusive), got ${String(value)}.`,
    )
  }
  return value
}

export function checkPositive(value: number, name: string, what: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new ModelGateError(
      STATS_ERRORS.badOption,
      `${what}: ${name} must be a positive number, got ${String(value)}.`,
    )
  }
  return value
}

export function checkPositiveInteger(value: number, name: string, what: string, min = 1): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new ModelGateError(
      STATS_ERRORS.badOption,
      `${what}: ${name} must be an integer ≥ ${min}, got ${String(value)}.`,
    )
  }
  return value
}

export function badOption(message: string, hint?: string): ModelGateError {
  return new ModelGateError(STATS_ERRORS.badOption, message, hint === undefined ? {} : { hint })
}

export function clampProbability(p: number): number {
  return p < 0 ? 0 : Math.min(p, 1)
}
