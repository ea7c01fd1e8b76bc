import { grammarError, NUMBER, shifted } from './internal/grammarError.js'
import { grammarSchema } from './internal/grammarSchema.js'

/** Milliseconds per unit, largest first (the order compounds must follow). */
const UNITS: readonly (readonly [unit: string, toMs: (digits: string) => number])[] = [
  ['d', (n) => shifted(n, 3) * 86_400],
  ['h', (n) => shifted(n, 3) * 3_600],
  ['m', (n) => shifted(n, 3) * 60],
  ['s', (n) => shifted(n, 3)],
  ['ms', (n) => Number(n)],
  ['us', (n) => shifted(n, -3)],
]
const PART = new RegExp(`(${NUMBER})(ms|us|d|h|m|s)`, 'y')
const FORM = 'expected a number and a unit (250ms, 60s, 2m, 1h, or a compound such as 1m30s; units d h m s ms us)'

/**
 * A duration in milliseconds: `250ms`, `60s`, `2m`, `1h`, `1d`, `500us`, and compounds from the largest unit to
 * the smallest (`1h30m`, `1m30s`). A bare number is an error that says which unit to add.
 */
export function parseDuration(text: string): number {
  const source = text.trim()
  if (/^[+-]?\d+(?:\.\d+)?$/.test(source)) {
    const n = source.replace(/^\+/, '')
    throw grammarError('MG_DURATION_INVALID', 'Duration', text, `add a unit, e.g. ${n}s or ${n}ms`)
  }
  if (source.startsWith('-')) throw grammarError('MG_DURATION_INVALID', 'Duration', text, 'must not be negative')
  let ms = 0
  let previous = -1
  PART.lastIndex = 0
  while (PART.lastIndex < source.length) {
    const at = PART.lastIndex
    const match = PART.exec(source)
    if (match === null || match.index !== at) throw grammarError('MG_DURATION_INVALID', 'Duration', text, FORM)
    const [, digits = '', unit] = match
    const rank = UNITS.findIndex(([u]) => u === unit)
    if (rank <= previous) {
      throw grammarError(
        'MG_DURATION_INVALID',
        'Duration',
        text,
        'units must go from the largest to the smallest, each once (e.g. 1h30m, 1m30s)',
      )
    }
    previous = rank
    ms += (UNITS[rank] as (typeof UNITS)[number])[1](digits)
  }
  if (source === '') throw grammarError('MG_DURATION_INVALID', 'Duration', text, FORM)
  return ms
}

/** A config-file field holding a duration (`window: 5m`), parsed to milliseconds. */
export const durationSchema = grammarSchema(parseDuration, 'a duration: 250ms, 60s, 2m, 1h or 1m30s')
