import { grammarError, NUMBER } from './internal/grammarError.js'
import { grammarSchema } from './internal/grammarSchema.js'

const SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600 }
const RATE = new RegExp(`^(${NUMBER})\\s*/\\s*(s|m|h)$`)

/** A rate in events per second: `500/s`, `3000/m` (= 50/s), `10/h`. A bare number is an error that says to add `/s`. */
export function parseRate(text: string): number {
  const source = text.trim()
  if (/^[+-]?\d+(?:\.\d+)?$/.test(source)) {
    const n = source.replace(/^\+/, '')
    throw grammarError('MG_RATE_INVALID', 'Rate', text, `add a unit, e.g. ${n}/s or ${n}/m`)
  }
  const match = RATE.exec(source)
  if (match === null) {
    throw grammarError(
      'MG_RATE_INVALID',
      'Rate',
      text,
      source.startsWith('-')
        ? 'must not be negative'
        : 'expected a number of events per unit of time: 500/s, 3000/m or 10/h',
    )
  }
  const [, digits = '', unit = 's'] = match
  return Number(digits) / (SECONDS[unit] ?? 1)
}

/** A config-file field holding a rate (`rate: 500/s`), parsed to events per second. */
export const rateSchema = grammarSchema(parseRate, 'a rate: 500/s, 3000/m or 10/h')
