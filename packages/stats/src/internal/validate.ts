import { StatsError } from '../errors.js'
import { sortFloat64 } from './radixSort.js'

/**
 * Copies a sample into a fresh Float64Array, rejecting empty samples and NaN/±Infinity.
 * `what` names the sample in the message, e.g. `ksTest: sample "a"`.
 */
export function toFiniteFloat64(values: ArrayLike<number>, what: string, minLength = 1): Float64Array {
  const n = values.length
  if (n < minLength) {
    throw new StatsError(
      'MG_STATS_EMPTY_SAMPLE',
      `${what}: expected at least ${minLength} value${minLength === 1 ? '' : 's'}, got ${n}.`,
      { hint: 'Drop null values before testing, and check that the column or window is not empty.' },
    )
  }
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    if (!Number.isFinite(v)) {
      throw new StatsError(
        'MG_STATS_NOT_FINITE',
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
    throw new StatsError('MG_STATS_EMPTY_SAMPLE', `${what}: expected at least one count, got none.`)
  }
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    if (!Number.isFinite(v) || v < 0) {
      throw new StatsError(
        'MG_STATS_BAD_COUNTS',
        `${what}: count at index ${i} is ${String(v)}; expected a finite number ≥ 0.`,
      )
    }
    out[i] = v
  }
  return out
}

export function assertSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) {
    throw new StatsError(
      'MG_STATS_LENGTH_MISMATCH',
      `${what}: expected two arrays of the same length, got ${a.length} and ${b.length}.`,
    )
  }
}

export function checkProbability(value: number, name: string, what: string): number {
  if (!(value > 0 && value < 1)) {
    throw new StatsError(
      'MG_STATS_BAD_OPTION',
      `${what}: ${name} must be between 0 and 1 (exclusive), got ${String(value)}.`,
    )
  }
  return value
}

export function checkPositive(value: number, name: string, what: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new StatsError('MG_STATS_BAD_OPTION', `${what}: ${name} must be a positive number, got ${String(value)}.`)
  }
  return value
}

export function checkPositiveInteger(value: number, name: string, what: string, min = 1): number {
  if (!(Number.isInteger(value) && value >= min)) {
    throw new StatsError('MG_STATS_BAD_OPTION', `${what}: ${name} must be an integer ≥ ${min}, got ${String(value)}.`)
  }
  return value
}

export function badOption(message: string, hint?: string): StatsError {
  return new StatsError('MG_STATS_BAD_OPTION', message, hint === undefined ? {} : { hint })
}

/**
 * Throws MG_STATS_BAD_OPTION for an option name the function does not know (a typo such as `alternatve` would
 * otherwise be ignored silently and the default used).
 */
export function checkOptionNames(options: object, known: readonly string[], what: string): void {
  for (const name of Object.keys(options)) {
    if (!known.includes(name) && (options as Record<string, unknown>)[name] !== undefined) {
      throw badOption(`${what}: unknown option "${name}"; expected one of ${known.map((k) => `"${k}"`).join(', ')}.`)
    }
  }
}

/** Returns `value` when it is one of `choices`, else throws MG_STATS_BAD_OPTION naming them. */
export function checkChoice<T extends string>(value: string, choices: readonly T[], name: string, what: string): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw badOption(
      `${what}: ${name} must be ${choices
        .map((c) => `'${c}'`)
        .join(', ')
        .replace(/, ([^,]*)$/, ' or $1')}, got "${String(value)}".`,
    )
  }
  return value as T
}
