import { compileDatetimePattern } from './compileDatetimePattern.js'
import { daysFromCivil } from './daysFromCivil.js'
import { sniffDatetime } from './internal/sniffDatetime.js'

/**
 * Datetime text formats are date-fns-style patterns (see `compileDatetimePattern`): `yyyy-MM-dd`,
 * `yyyy-MM-dd'T'HH:mm:ssXXX`, `MMM d yyyy`, `yyyy/MM/dd HH:mm:ss`, `MM/dd/yyyy`, `EEE, dd MMM yyyy HH:mm:ss xx`
 * (RFC 2822), `t` / `T` (epoch seconds / milliseconds). The names schema version 1 used are still read: they mean
 * the ISO 8601 patterns of `LEGACY_DATETIME_FORMATS`.
 *
 * ISO 8601 patterns (`yyyy-MM-dd…`) read every ISO 8601 form (date alone, `T` or space, with or without seconds,
 * fraction and offset) through a hand-written parser (no regex, no `Date.parse` locale quirks); other patterns read
 * exactly their own shape. Offsets are converted to UTC; datetimes without one are read as UTC.
 */
export const LEGACY_DATETIME_FORMATS: Readonly<Record<string, string>> = {
  date: 'yyyy-MM-dd',
  datetime: 'yyyy-MM-dd HH:mm:ss',
  'iso-local': "yyyy-MM-dd'T'HH:mm:ss",
  iso: "yyyy-MM-dd'T'HH:mm:ssXXX",
}

/** The pattern used when a mix of ISO 8601 forms is read, and for native timestamps (Parquet, Arrow, JS Dates). */
export const ISO_DATETIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ssXXX"
/** The pattern of calendar dates read from Parquet and Arrow date columns. */
export const ISO_DATE_FORMAT = 'yyyy-MM-dd'

/** Parsed epoch ms, and the format (a date-fns-style pattern) the text is written in. */
export interface ParsedDatetime {
  readonly ms: number
  readonly format: string
}

export interface ParseDatetimeOptions {
  /** Read `01/02/2000` as 1 February (day first) instead of 2 January (month first, the default). */
  readonly dayFirst?: boolean
}

/** The pattern a format names: legacy names mapped (`iso` → `yyyy-MM-dd'T'HH:mm:ssXXX`), patterns as they are. */
export function datetimePattern(format: string): string {
  return LEGACY_DATETIME_FORMATS[format] ?? (format === '' ? ISO_DATETIME_FORMAT : format)
}

const ISO_PATTERN = /^yyyy-MM-dd(?:(?: |'T')HH:mm(?::ss(?:\.SSS)?)?(?:XXX|xxx|xx|X)?)?$/

/** True for the ISO 8601 patterns, which read every ISO 8601 form. */
export function isIsoPattern(pattern: string): boolean {
  return ISO_PATTERN.test(pattern)
}

/**
 * Parses `text` as a date or datetime in any format ModelGate recognises (ISO 8601, `Jan 1 2000`, `2015/01/01
 * 01:00:00`, `12/06/1998`, RFC 2822 …) and says which; `null` when it is not one. Epoch numbers are recognised
 * only for whole columns (`inferTextKind` with the column name), never from one value.
 */
export function parseDatetime(text: string, options: ParseDatetimeOptions = {}): ParsedDatetime | null {
  const iso = parseIsoDatetime(text)
  if (iso !== null) return { ms: iso.ms, format: isoFormat(iso.shape) }
  const sniffed = sniffDatetime(text)
  if (sniffed === null) return null
  const format = sniffed.resolve(options.dayFirst === true)
  if (format === null) return null
  const ms = compileDatetimePattern(format).parse(text)
  return Number.isNaN(ms) ? null : { ms, format }
}

/**
 * Epoch ms of `text` read in `format` (a pattern, or a legacy name), or NaN when the text is not written that way.
 * ISO 8601 patterns take every ISO 8601 form.
 */
export function parseDatetimeAs(text: string, format: string): number {
  return datetimeParser(format)(text)
}

/** The parser of `parseDatetimeAs` for one format, resolved once (readers call it per value). */
export function datetimeParser(format: string): (text: string) => number {
  const pattern = datetimePattern(format)
  return isIsoPattern(pattern) ? parseIsoMs : compileDatetimePattern(pattern).parse
}

/** `ms` (epoch, UTC) written in `format` (a pattern, or a legacy name). */
export function formatDatetime(ms: number, format: string): string {
  return compileDatetimePattern(datetimePattern(format)).format(ms)
}

/** True when `format` has no time of day (Parquet and Arrow store such columns as dates). */
export function isDateOnlyFormat(format: string): boolean {
  return compileDatetimePattern(datetimePattern(format)).dateOnly
}

/** Bits of an ISO 8601 text's shape: 1 time, 2 `T` separator, 4 seconds, 8 offset or `Z`. */
export type IsoShape = number

/** The pattern of one ISO 8601 shape. */
export function isoFormat(shape: IsoShape): string {
  if ((shape & 1) === 0) return 'yyyy-MM-dd'
  const sep = (shape & 2) !== 0 ? "'T'" : ' '
  const seconds = (shape & 4) !== 0 ? ':ss' : ''
  return `yyyy-MM-dd${sep}HH:mm${seconds}${(shape & 8) !== 0 ? 'XXX' : ''}`
}

function digits(s: string, at: number, n: number): number {
  let v = 0
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Parses an ISO 8601 date or datetime (`2024-01-31`, `2024-01-31 12:34`, `2024-01-31T12:34:56.789+02:00` …). */
export function parseIsoDatetime(text: string): { ms: number; shape: IsoShape } | null {
  const ms = parseIsoMs(text)
  return Number.isNaN(ms) ? null : { ms, shape: lastShape }
}

/** The shape of the last text `parseIsoMs` read (set on success). */
let lastShape: IsoShape = 0

/** `parseIsoDatetime` without an object per value: epoch ms, or NaN; the shape is left in `lastShape`. */
function parseIsoMs(text: string): number {
  const len = text.length
  if (len < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1) return Number.NaN
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 2 && leap ? 29 : (DAYS[month - 1] as number))) return Number.NaN
  const dayMs = daysFromCivil(year, month, day) * 86_400_000
  if (len === 10) {
    lastShape = 0
    return dayMs
  }
  const sep = text.charCodeAt(10)
  if (sep !== 84 && sep !== 32) return Number.NaN // 'T' or ' '
  if (len < 16 || text.charCodeAt(13) !== 58) return Number.NaN
  const hour = digits(text, 11, 2)
  const minute = digits(text, 14, 2)
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN
  let shape = 1 | (sep === 84 ? 2 : 0)
  let pos = 16
  let second = 0
  let millis = 0
  if (pos < len && text.charCodeAt(pos) === 58) {
    second = digits(text, pos + 1, 2)
    if (second < 0 || second > 59 || pos + 3 > len) return Number.NaN
    shape |= 4
    pos += 3
    if (pos < len && (text.charCodeAt(pos) === 46 || text.charCodeAt(pos) === 44)) {
      pos++
      const start = pos
      let frac = 0
      let scale = 1
      while (pos < len) {
        const c = text.charCodeAt(pos) - 48
        if (c < 0 || c > 9) break
        if (pos - start < 3) {
          frac = frac * 10 + c
          scale *= 10
        }
        pos++
      }
      if (pos === start) return Number.NaN
      millis = Math.round((frac * 1000) / scale)
    }
  }
  let offsetMin = 0
  if (pos < len) {
    const c = text.charCodeAt(pos)
    if (c === 90 && pos + 1 === len) {
      shape |= 8
      pos++
    } else if (c === 43 || c === 45) {
      const oh = digits(text, pos + 1, 2)
      let om: number
      if (pos + 6 === len && text.charCodeAt(pos + 3) === 58) om = digits(text, pos + 4, 2)
      else if (pos + 5 === len) om = digits(text, pos + 3, 2)
      else if (pos + 3 === len) om = 0
      else return Number.NaN
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om)
      shape |= 8
      pos = len
    } else return Number.NaN
  }
  if (pos !== len) return Number.NaN
  lastShape = shape
  return dayMs + ((hour * 60 + minute - offsetMin) * 60 + second) * 1000 + millis
}
