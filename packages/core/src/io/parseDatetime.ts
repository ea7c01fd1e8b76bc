/**
 * ISO 8601 dates and datetimes, parsed by hand (no regex, no `Date.parse` locale quirks).
 *
 * Formats (stored in `DatetimeColumn.format` so writers reproduce the text):
 * - `date`       `2024-01-31`
 * - `datetime`   `2024-01-31 12:34:56[.789]`   (no zone: read as UTC)
 * - `iso-local`  `2024-01-31T12:34:56[.789]`   (no zone: read as UTC)
 * - `iso`        `2024-01-31T12:34:56[.789]Z` or with an offset `+02:00` (converted to UTC, written with `Z`)
 * Seconds are optional on input; fractions keep millisecond precision.
 */
export const DATETIME_FORMATS = ['date', 'datetime', 'iso-local', 'iso'] as const
export type DatetimeFormat = (typeof DATETIME_FORMATS)[number]

/** Parsed epoch ms, and the format of the text; `null` when `text` is not an ISO 8601 date/datetime. */
export interface ParsedDatetime {
  readonly ms: number
  readonly format: DatetimeFormat
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

/** Parses `text` as an ISO 8601 date or datetime; returns `null` when it is not one. */
export function parseDatetime(text: string): ParsedDatetime | null {
  const len = text.length
  if (len < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return null
  const year = digits(text, 0, 4)
  const month = digits(text, 5, 2)
  const day = digits(text, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1) return null
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 2 && leap ? 29 : (DAYS[month - 1] as number))) return null
  const dayMs =
    year < 100 ? new Date(Date.UTC(2000, month - 1, day)).setUTCFullYear(year) : Date.UTC(year, month - 1, day)
  if (len === 10) return { ms: dayMs, format: 'date' }
  const sep = text.charCodeAt(10)
  if (sep !== 84 && sep !== 32) return null // 'T' or ' '
  if (len < 16 || text.charCodeAt(13) !== 58) return null
  const hour = digits(text, 11, 2)
  const minute = digits(text, 14, 2)
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return null
  let pos = 16
  let second = 0
  let millis = 0
  if (pos < len && text.charCodeAt(pos) === 58) {
    second = digits(text, pos + 1, 2)
    if (second < 0 || second > 59 || pos + 3 > len) return null
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
      if (pos === start) return null
      millis = Math.round((frac * 1000) / scale)
    }
  }
  let offsetMin = 0
  let zoned = false
  if (pos < len) {
    const c = text.charCodeAt(pos)
    if (c === 90 && pos + 1 === len) {
      zoned = true
      pos++
    } else if (c === 43 || c === 45) {
      const oh = digits(text, pos + 1, 2)
      let om: number
      if (pos + 6 === len && text.charCodeAt(pos + 3) === 58) om = digits(text, pos + 4, 2)
      else if (pos + 5 === len) om = digits(text, pos + 3, 2)
      else if (pos + 3 === len) om = 0
      else return null
      if (oh < 0 || oh > 23 || om < 0 || om > 59) return null
      offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om)
      zoned = true
      pos = len
    } else return null
  }
  if (pos !== len) return null
  const ms = dayMs + ((hour * 60 + minute - offsetMin) * 60 + second) * 1000 + millis
  const format: DatetimeFormat = zoned ? 'iso' : sep === 32 ? 'datetime' : 'iso-local'
  return { ms, format }
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

/** Formats epoch ms in one of the `DATETIME_FORMATS` (milliseconds only when non-zero). Unknown formats → `iso`. */
export function formatDatetime(ms: number, format: string): string {
  const d = new Date(ms)
  const y = d.getUTCFullYear()
  const date = `${y < 0 ? '-' : ''}${pad(Math.abs(y), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`
  if (format === 'date') return date
  const msPart = d.getUTCMilliseconds()
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}${msPart === 0 ? '' : `.${pad(msPart, 3)}`}`
  if (format === 'datetime') return `${date} ${time}`
  if (format === 'iso-local') return `${date}T${time}`
  return `${date}T${time}Z`
}
