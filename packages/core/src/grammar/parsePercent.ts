import { grammarError, NUMBER, shifted } from './internal/grammarError.js'
import { grammarSchema } from './internal/grammarSchema.js'

const PERCENT = new RegExp(`^(${NUMBER})\\s*%$`)

/**
 * A percentage as a fraction: `5%` → 0.05, `0.1%` → 0.001. A bare number is an error (is `5` five percent or
 * 500 %?) that says to add `%`. Not bounded above: callers that need at most 100 % say so.
 */
export function parsePercent(text: string): number {
  const source = text.trim()
  if (/^[+-]?\d+(?:\.\d+)?$/.test(source)) {
    const n = source.replace(/^\+/, '')
    throw grammarError('MG_PERCENT_INVALID', 'Percentage', text, `add %, e.g. ${n}%`)
  }
  const match = PERCENT.exec(source)
  if (match === null) {
    throw grammarError(
      'MG_PERCENT_INVALID',
      'Percentage',
      text,
      source.startsWith('-') ? 'must not be negative' : 'expected a number and %, e.g. 5% or 0.1%',
    )
  }
  return shifted(match[1] ?? '', -2)
}

/** A config-file field holding a percentage (`maxNullRate: 5%`), parsed to a fraction. */
export const percentSchema = grammarSchema(parsePercent, 'a percentage: 5% or 0.1%')
