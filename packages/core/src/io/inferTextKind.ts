import type { ColumnKind } from '../Table.js'
import { createDatetimeSniffer, type DayOrder } from './internal/sniffDatetime.js'
import { datetimeParser, ISO_DATETIME_FORMAT, isoFormat, parseIsoDatetime } from './parseDatetime.js'
import { classifyNumber, parseNonFinite, parseNumber } from './parseNumber.js'

/** What `inferTextKind` decided for one column. */
export interface InferredKind {
  readonly kind: ColumnKind
  /** Datetime format (a date-fns-style pattern, see `parseDatetime`) when `kind` is `datetime`. */
  readonly format?: string
  /**
   * For dates written with day and month as numbers (`01/02/2000`): whether the data proved the order (a first field
   * above 12 proves day first) or it was assumed (month first, or day first when asked).
   */
  readonly dateOrder?: DayOrder
}

export interface InferTextKindOptions {
  /** Recognise numbers and booleans in the text (CSV: true; JSON strings: false — they stay strings). */
  readonly numbers?: boolean
  /** Read ambiguous numeric dates (`01/02/2000`) day first; default month first. Data that proves an order wins. */
  readonly dayFirst?: boolean
  /**
   * The column's name: integers in a column named like a time (`timestamp`, `created_at`, `epoch`, `time` …) are
   * epoch seconds or milliseconds when their range says so (years 1990–2100). Without such a name only 13-digit
   * integers from 2001-09-09 to 2049 are read as epoch milliseconds.
   */
  readonly name?: string
}

/** Column names that say integers are epoch times: `ts`, `time`, `timestamp`, `epoch`, `created_at`, `event_time` … */
export function isTimeLikeName(name: string): boolean {
  return /(^|[^a-z])(ts|time|timestamp|epoch|datetime|date|unix|at|when|updated|created|modified)($|[^a-z])/i.test(
    name.replace(/([a-z])([A-Z])/g, '$1_$2'),
  )
}

const EPOCH_SECONDS = { min: 631_152_000, max: 4_102_444_800 } // 1990-01-01 … 2100-01-01
const EPOCH_MILLIS = { min: EPOCH_SECONDS.min * 1000, max: EPOCH_SECONDS.max * 1000 }

/** `t` (epoch seconds) or `T` (epoch ms) when integers from `min` to `max` fall in 1990–2100 in that unit. */
export function epochFormatOfRange(min: number, max: number): 't' | 'T' | undefined {
  if (min >= EPOCH_SECONDS.min && max <= EPOCH_SECONDS.max) return 't'
  if (min >= EPOCH_MILLIS.min && max <= EPOCH_MILLIS.max) return 'T'
  return undefined
}

/**
 * `t`/`T` for the integers of a time-named column in epoch range; without such a name, only 13-digit integers from
 * 2001-09-09 to 2049 (epoch milliseconds: a range no count, amount or 10-digit phone number falls in).
 */
function epochFormat(values: readonly (string | null)[], timeName: boolean): string | undefined {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const v of values) {
    if (v === null) continue
    const x = parseNumber(v)
    if (x < min) min = x
    if (x > max) max = x
  }
  if (timeName) return epochFormatOfRange(min, max)
  return min >= 1e12 && max < EPOCH_MILLIS_NAMELESS_MAX ? 'T' : undefined
}

const EPOCH_MILLIS_NAMELESS_MAX = 2_524_608_000_000 // 2050-01-01

/** Categorical when distinct ≤ half the non-null values and ≤ min(1000, max(50, 5% of non-null values)). */
export function isLowCardinality(distinct: number, nonNull: number): boolean {
  return distinct <= nonNull / 2 && distinct <= Math.min(1000, Math.max(50, 0.05 * nonNull))
}

/**
 * Whether a value is a code written with digits and a leading zero (`02134`, `007`; not `0` alone): 0 = not all
 * digits, 1 = digits, 2 = digits with a leading zero. A column of digit strings with any leading zero is a code
 * column (zip codes, FIPS codes): its values are kept as written, never read as numbers.
 */
function digitCode(v: string): 0 | 1 | 2 {
  const len = v.length
  if (len === 0) return 0
  for (let i = 0; i < len; i++) {
    const c = v.charCodeAt(i)
    if (c < 48 || c > 57) return 0
  }
  return len > 1 && v.charCodeAt(0) === 48 ? 2 : 1
}

/** True when every value is a digit string and at least one has a leading zero (`00501`): a code, not a number. */
export function isDigitCodeColumn(values: Iterable<string | null>): boolean {
  let leadingZero = false
  for (const v of values) {
    if (v === null) continue
    const d = digitCode(v)
    if (d === 0) return false
    if (d === 2) leadingZero = true
  }
  return leadingZero
}

/**
 * Infers a column kind from text values (nulls already removed/`null`):
 * codes first (every value digits and some with a leading zero, `00501`: never a number, so the zeros are kept —
 * categorical or text by cardinality as below), integer (all `-?\d{1,15}`), numeric (numbers, with `NaN`/`Infinity` text allowed alongside at least one number —
 * conversion then rejects them unless non-finite values are allowed), boolean (`true`/`false` in any case only;
 * `yes`/`no` and `0`/`1` are not guessed), datetime (every value in one of the formats `parseDatetime` recognises,
 * e.g. ISO 8601, `Jan 1 2000`, `2015/01/01 01:00:00`, `12/06/1998`; integers in a time-named column in epoch range),
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
  let isoShapes = 0 // bit per ISO shape seen (16 shapes)
  let sniffer: ReturnType<typeof createDatetimeSniffer> | null = null
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
      const iso = sniffer === null ? parseIsoDatetime(v) : null
      if (iso !== null) isoShapes |= 1 << iso.shape
      else if (isoShapes !== 0) allDatetime = false
      else {
        sniffer ??= createDatetimeSniffer({ dayFirst: options.dayFirst === true })
        if (!sniffer.add(v)) allDatetime = false
      }
    }
    if (!distinctOverflow) {
      distinct.add(v)
      if (distinct.size > 1000) distinctOverflow = true
    }
  }
  if (nonNull === 0) return { kind: 'text' }
  if (allNumber && anyFinite && !isDigitCodeColumn(values)) {
    if (allInteger) {
      const format = epochFormat(values, options.name !== undefined && isTimeLikeName(options.name))
      if (format !== undefined) return { kind: 'datetime', format }
    }
    return { kind: allInteger ? 'integer' : 'numeric' }
  }
  if (allBoolean) return { kind: 'boolean' }
  if (allDatetime && isoShapes !== 0) return { kind: 'datetime', format: isoColumnFormat(isoShapes) }
  if (allDatetime && sniffer !== null) {
    const found = sniffer.result()
    // Every value must read back in the drafted pattern (e.g. 31/02/2000 is no date).
    const parse = found === null ? null : datetimeParser(found.format)
    if (found !== null && parse !== null && values.every((v) => v === null || !Number.isNaN(parse(v))))
      return { kind: 'datetime', format: found.format, ...(found.order === null ? {} : { dateOrder: found.order }) }
  }
  if (!distinctOverflow && isLowCardinality(distinct.size, nonNull)) return { kind: 'categorical' }
  return { kind: 'text' }
}

/**
 * The pattern of a column of ISO 8601 values (bit i of `shapes` set when shape i was seen): the shape when there is
 * one; with and without seconds → with; any other mix → `yyyy-MM-dd'T'HH:mm:ssXXX`.
 */
function isoColumnFormat(shapes: number): string {
  const seen: number[] = []
  for (let i = 0; i < 16; i++) if ((shapes & (1 << i)) !== 0) seen.push(i)
  if (seen.length === 1) return isoFormat(seen[0] as number)
  const withSeconds = new Set(seen.map((s) => s | 4))
  if (withSeconds.size === 1) {
    const only = [...withSeconds][0] as number
    if ((only & 1) === 1) return isoFormat(only)
  }
  return ISO_DATETIME_FORMAT
}
