import type { ColumnKind } from '../Table.js'
import { parseDatetime } from './parseDatetime.js'
import { classifyNumber, parseNonFinite } from './parseNumber.js'

/** What `inferTextKind` decided for one column. */
export interface InferredKind {
  readonly kind: ColumnKind
  /** Datetime format (see `DATETIME_FORMATS`) when `kind` is `datetime`. */
  readonly format?: string
}

export interface InferTextKindOptions {
  /** Recognise numbers and booleans in the text (CSV: true; JSON strings: false — they stay strings). */
  readonly numbers?: boolean
}

/** Categorical when distinct ≤ half the non-null values and ≤ min(1000, max(50, 5% of non-null values)). */
export function isLowCardinality(distinct: number, nonNull: number): boolean {
  return distinct <= nonNull / 2 && distinct <= Math.min(1000, Math.max(50, 0.05 * nonNull))
}

/**
 * Infers a column kind from text values (nulls already removed/`null`):
 * integer (all `-?\d{1,15}`), numeric (numbers, with `NaN`/`Infinity` text allowed alongside at least one number —
 * conversion then rejects them unless non-finite values are allowed), boolean (`true`/`false` in any case only;
 * `yes`/`no` and `0`/`1` are not guessed), datetime (ISO 8601 date/datetime, see `parseDatetime`),
 * categorical (low cardinality, see `isLowCardinality`), otherwise text. An all-null column is `text`.
 */
export function inferTextKind(values: readonly (string | null)[], options: InferTextKindOptions = {}): InferredKind {
  const numbers = options.numbers ?? true
  let nonNull = 0
  let allInteger = numbers
  let allNumber = numbers
  let anyFinite = false
  let allBoolean = numbers
  let allDatetime = true
  const formats = new Set<string>()
  const distinct = new Set<string>()
  let distinctOverflow = false
  for (const v of values) {
    if (v === null) continue
    nonNull++
    if (allNumber) {
      const cls = classifyNumber(v)
      if (cls === 0) {
        allInteger = false
        if (parseNonFinite(v) === undefined) allNumber = false
      } else {
        anyFinite = true
        if (cls !== 1) allInteger = false
      }
    }
    if (allBoolean) {
      const l = v.length === 4 || v.length === 5 ? v.toLowerCase() : ''
      if (l !== 'true' && l !== 'false') allBoolean = false
    }
    if (allDatetime) {
      const d = parseDatetime(v)
      if (d === null) allDatetime = false
      else formats.add(d.format)
    }
    if (!distinctOverflow) {
      distinct.add(v)
      if (distinct.size > 1000) distinctOverflow = true
    }
  }
  if (nonNull === 0) return { kind: 'text' }
  if (allNumber && anyFinite) return { kind: allInteger ? 'integer' : 'numeric' }
  if (allBoolean) return { kind: 'boolean' }
  if (allDatetime) return { kind: 'datetime', format: formats.size === 1 ? ([...formats][0] as string) : 'iso' }
  if (!distinctOverflow && isLowCardinality(distinct.size, nonNull)) return { kind: 'categorical' }
  return { kind: 'text' }
}
