import { ModelGateError } from '../errors.js'
import { daysFromCivil } from './daysFromCivil.js'

/**
 * Datetime text formats as date-fns-style patterns (the Unicode LDML letters date-fns uses, see
 * https://date-fns.org/docs/format and https://date-fns.org/docs/parse), compiled once into a parser and a formatter.
 *
 * Letters: `yyyy` `yy` year (two digits: 69–99 → 19xx, 00–68 → 20xx, as POSIX strptime), `M` `MM` `MMM` `MMMM` month,
 * `d` `dd` day, `H` `HH` hour 0–23, `h` `hh` hour 1–12 with `a` (AM/PM), `m` `mm` minute, `s` `ss` second, `S…` fraction
 * of a second, `E…` weekday name (checked as a name, not against the date), `X` `XX` `XXX` `x` `xx` `xxx` offset,
 * `t` epoch seconds, `T` epoch milliseconds; `'…'` quotes literal text (`''` is a quote), other characters are literal.
 *
 * Reading is lenient where writing is exact: a numeric field takes one or two digits whatever its width, month and
 * weekday names match in any case (`MMM` also takes the full name), a space matches a run of spaces, seconds may
 * carry a fraction (`.123`), and every offset form (`Z`, `+02`, `+0200`, `+02:00`) is read by every offset letter.
 * Offsets convert the time to UTC; the offset itself is not kept, and UTC is written (`Z`, `+0000`). One departure
 * from date-fns when writing: seconds (`ss`) are followed by the milliseconds (`.123`) when they are not zero and the
 * pattern has no `S`, so no precision is lost silently.
 */
export interface DatetimePattern {
  readonly pattern: string
  /** Epoch ms of `text`, or NaN when it is not written in this pattern. */
  parse(text: string): number
  /** `ms` (epoch, UTC) written in this pattern. */
  format(ms: number): string
  /** True when the pattern has no time of day (a calendar date: stored as a date in Parquet and Arrow). */
  readonly dateOnly: boolean
}

enum F {
  literal = 0,
  year4,
  year2,
  month,
  monthShort,
  monthLong,
  day,
  hour24,
  hour12,
  ampm,
  minute,
  second,
  fraction,
  weekdayShort,
  weekdayLong,
  offsetZ,
  offsetBasic,
  offsetExtended,
  epochSeconds,
  epochMillis,
}

interface Op {
  /** `F.literal` (0) for literal text. */
  readonly field: F
  /** Digits written (padding) for numeric fields; the literal text for literals. */
  readonly width: number
  readonly literal: string
}

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
const MONTH_INDEX = new Map<string, number>()
MONTHS.forEach((m, i) => {
  MONTH_INDEX.set(m.toLowerCase(), i)
  MONTH_INDEX.set(m.slice(0, 3).toLowerCase(), i)
})
MONTH_INDEX.set('sept', 8)
const WEEKDAY_NAMES = new Set<string>()
for (const w of WEEKDAYS) {
  WEEKDAY_NAMES.add(w.toLowerCase())
  WEEKDAY_NAMES.add(w.slice(0, 3).toLowerCase())
}

/** Month index (0–11) of an English month name or its abbreviation, any case; -1 otherwise. */
export function monthIndex(name: string): number {
  return MONTH_INDEX.get(name.toLowerCase()) ?? -1
}

/** True for an English weekday name or its three-letter abbreviation, any case. */
export function isWeekdayName(name: string): boolean {
  return WEEKDAY_NAMES.has(name.toLowerCase())
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function invalid(pattern: string, why: string): ModelGateError {
  return new ModelGateError('MG_DATETIME_FORMAT_INVALID', `Datetime format ${JSON.stringify(pattern)}: ${why}.`, {
    hint: 'Write it with date-fns letters, e.g. "yyyy-MM-dd\'T\'HH:mm:ssXXX", "MMM d yyyy", "dd/MM/yyyy HH:mm".',
  })
}

function fieldOf(letter: string, count: number, pattern: string): { field: F; width: number } {
  switch (letter) {
    case 'y':
      if (count === 2) return { field: F.year2, width: 2 }
      if (count === 4 || count === 1) return { field: F.year4, width: 4 }
      break
    case 'M':
      if (count <= 2) return { field: F.month, width: count }
      if (count === 3) return { field: F.monthShort, width: 0 }
      if (count === 4) return { field: F.monthLong, width: 0 }
      break
    case 'd':
      if (count <= 2) return { field: F.day, width: count }
      break
    case 'H':
      if (count <= 2) return { field: F.hour24, width: count }
      break
    case 'h':
      if (count <= 2) return { field: F.hour12, width: count }
      break
    case 'a':
      if (count <= 3) return { field: F.ampm, width: 0 }
      break
    case 'm':
      if (count <= 2) return { field: F.minute, width: count }
      break
    case 's':
      if (count <= 2) return { field: F.second, width: count }
      break
    case 'S':
      if (count <= 3) return { field: F.fraction, width: count }
      break
    case 'E':
      return { field: count <= 3 ? F.weekdayShort : F.weekdayLong, width: 0 }
    case 'X':
      if (count <= 3) return { field: F.offsetZ, width: count }
      break
    case 'x':
      if (count <= 3) return { field: count === 3 ? F.offsetExtended : F.offsetBasic, width: count }
      break
    case 't':
      if (count === 1) return { field: F.epochSeconds, width: 0 }
      break
    case 'T':
      if (count === 1) return { field: F.epochMillis, width: 0 }
      break
  }
  throw invalid(pattern, `"${letter.repeat(count)}" is not a supported field`)
}

function tokenize(pattern: string): Op[] {
  const ops: Op[] = []
  let literal = ''
  const flush = (): void => {
    if (literal !== '') ops.push({ field: F.literal, width: 0, literal })
    literal = ''
  }
  let i = 0
  while (i < pattern.length) {
    const c = pattern[i] as string
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'"
        i += 2
        continue
      }
      const end = pattern.indexOf("'", i + 1)
      if (end < 0) throw invalid(pattern, 'a quote is not closed')
      literal += pattern.slice(i + 1, end)
      i = end + 1
      continue
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      let j = i
      while (pattern[j] === c) j++
      flush()
      const { field, width } = fieldOf(c, j - i, pattern)
      ops.push({ field, width, literal: '' })
      i = j
      continue
    }
    literal += c
    i++
  }
  flush()
  return ops
}

const cache = new Map<string, DatetimePattern>()

/** The compiled pattern (cached); throws `MG_DATETIME_FORMAT_INVALID` naming the pattern when it cannot be used. */
export function compileDatetimePattern(pattern: string): DatetimePattern {
  const hit = cache.get(pattern)
  if (hit !== undefined) return hit
  const ops = tokenize(pattern)
  const fields = new Set(ops.map((o) => o.field))
  const epoch = fields.has(F.epochSeconds) || fields.has(F.epochMillis)
  if (!epoch && !fields.has(F.year4) && !fields.has(F.year2))
    throw invalid(pattern, 'it has no year (yyyy), and no epoch (t or T)')
  if (!epoch && !fields.has(F.month) && !fields.has(F.monthShort) && !fields.has(F.monthLong))
    throw invalid(pattern, 'it has no month (M, MM, MMM or MMMM)')
  if (fields.has(F.hour12) !== fields.has(F.ampm)) throw invalid(pattern, 'h (1–12) and a (AM/PM) go together')
  const hasFraction = fields.has(F.fraction)
  const dateOnly =
    !epoch &&
    !fields.has(F.hour24) &&
    !fields.has(F.hour12) &&
    !fields.has(F.minute) &&
    !fields.has(F.second) &&
    !hasFraction
  const compiled: DatetimePattern = {
    pattern,
    dateOnly,
    parse: (text) => parseWith(ops, text),
    format: (ms) => formatWith(ops, ms, hasFraction),
  }
  if (cache.size > 1000) cache.clear()
  cache.set(pattern, compiled)
  return compiled
}

function readDigits(text: string, at: number, min: number, max: number): number {
  // Returns value * 8 + count (count ≤ 7 fits in 3 bits), or -1.
  let v = 0
  let n = 0
  while (n < max && at + n < text.length) {
    const c = text.charCodeAt(at + n) - 48
    if (c < 0 || c > 9) break
    v = v * 10 + c
    n++
  }
  return n < min ? -1 : v * 8 + n
}

function readLetters(text: string, at: number): number {
  let j = at
  while (j < text.length) {
    const c = text.charCodeAt(j) | 32
    if (c < 97 || c > 122) break
    j++
  }
  return j
}

function parseWith(ops: readonly Op[], text: string): number {
  const len = text.length
  let pos = 0
  let year = 1970
  let month = 0
  let day = 1
  let hour = 0
  let minute = 0
  let second = 0
  let millis = 0
  let pm = -1
  let offset = 0
  let epoch = Number.NaN
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k] as Op
    const field = op.field
    if (field === F.literal) {
      const lit = op.literal
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i)
        if (text.charCodeAt(pos) !== c) return Number.NaN
        pos++
        if (c === 32) while (text.charCodeAt(pos) === 32) pos++
      }
      continue
    }
    switch (field) {
      case F.year4: {
        const r = readDigits(text, pos, 4, 4)
        if (r < 0) return Number.NaN
        year = r >> 3
        pos += 4
        break
      }
      case F.year2: {
        const r = readDigits(text, pos, 2, 2)
        if (r < 0) return Number.NaN
        const y = r >> 3
        year = y < 69 ? 2000 + y : 1900 + y
        pos += 2
        break
      }
      case F.month:
      case F.day:
      case F.hour24:
      case F.hour12:
      case F.minute:
      case F.second: {
        const r = readDigits(text, pos, 1, 2)
        if (r < 0) return Number.NaN
        const v = r >> 3
        pos += r & 7
        if (field === F.month) month = v - 1
        else if (field === F.day) day = v
        else if (field === F.minute) minute = v
        else if (field === F.second) {
          second = v
          // A fraction after the seconds, unless the pattern writes one (or a literal dot) itself.
          const next = ops[k + 1]
          const dot = text.charCodeAt(pos)
          if ((dot === 46 || dot === 44) && next?.field !== F.fraction && !(next?.literal.charCodeAt(0) === dot)) {
            const f = readFraction(text, pos + 1)
            if (f < 0) return Number.NaN
            millis = f >> 4
            pos += 1 + (f & 15)
          }
        } else {
          hour = v
        }
        break
      }
      case F.fraction: {
        const f = readFraction(text, pos)
        if (f < 0) return Number.NaN
        millis = f >> 4
        pos += f & 15
        break
      }
      case F.monthShort:
      case F.monthLong: {
        const end = readLetters(text, pos)
        const m = MONTH_INDEX.get(text.slice(pos, end).toLowerCase())
        if (m === undefined) return Number.NaN
        month = m
        pos = end
        if (text.charCodeAt(pos) === 46 && field === F.monthShort && ops[k + 1]?.literal.charCodeAt(0) !== 46) pos++ // `Jan.`
        break
      }
      case F.weekdayShort:
      case F.weekdayLong: {
        const end = readLetters(text, pos)
        if (!WEEKDAY_NAMES.has(text.slice(pos, end).toLowerCase())) return Number.NaN
        pos = end
        break
      }
      case F.ampm: {
        const a = text.charCodeAt(pos) | 32
        const m = text.charCodeAt(pos + 1) | 32
        if ((a !== 97 && a !== 112) || m !== 109) return Number.NaN
        pm = a === 112 ? 1 : 0
        pos += 2
        break
      }
      case F.offsetZ:
      case F.offsetBasic:
      case F.offsetExtended: {
        const c = text.charCodeAt(pos)
        if (c === 90 || c === 122) {
          pos++
          break
        }
        if (c !== 43 && c !== 45) return Number.NaN
        const h = readDigits(text, pos + 1, 2, 2)
        if (h < 0) return Number.NaN
        pos += 3
        let m = 0
        if (text.charCodeAt(pos) === 58) {
          const r = readDigits(text, pos + 1, 2, 2)
          if (r < 0) return Number.NaN
          m = r >> 3
          pos += 3
        } else {
          const r = readDigits(text, pos, 2, 2)
          if (r >= 0) {
            m = r >> 3
            pos += 2
          }
        }
        if (h >> 3 > 23 || m > 59) return Number.NaN
        offset = (c === 45 ? -1 : 1) * ((h >> 3) * 60 + m)
        break
      }
      case F.epochSeconds:
      case F.epochMillis: {
        let end = pos
        if (text.charCodeAt(end) === 45) end++
        const digitsFrom = end
        while (end < len && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++
        if (end === digitsFrom) return Number.NaN
        if (field === F.epochSeconds && text.charCodeAt(end) === 46) {
          end++
          while (end < len && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++
        }
        const v = Number(text.slice(pos, end))
        if (!Number.isFinite(v)) return Number.NaN
        epoch = field === F.epochSeconds ? Math.round(v * 1000) : v
        pos = end
        break
      }
    }
  }
  if (pos !== len) return Number.NaN
  if (!Number.isNaN(epoch)) return epoch
  if (pm >= 0) {
    if (hour < 1 || hour > 12) return Number.NaN
    hour = (hour % 12) + (pm === 1 ? 12 : 0)
  }
  if (month < 0 || month > 11 || day < 1 || hour > 23 || minute > 59 || second > 59) return Number.NaN
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  if (day > (month === 1 && leap ? 29 : (DAYS_IN_MONTH[month] as number))) return Number.NaN
  const dayMs = daysFromCivil(year, month + 1, day) * 86_400_000
  return dayMs + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis
}

/** Milliseconds of a fraction's digits * 16 + digits read (at most 15 counted), or -1 when there is no digit. */
function readFraction(text: string, at: number): number {
  let n = 0
  let frac = 0
  let scale = 1
  while (at + n < text.length) {
    const c = text.charCodeAt(at + n) - 48
    if (c < 0 || c > 9) break
    if (n < 3) {
      frac = frac * 10 + c
      scale *= 10
    }
    n++
  }
  if (n === 0 || n > 15) return -1
  return Math.round((frac * 1000) / scale) * 16 + n
}

function pad(n: number, width: number): string {
  const s = String(n)
  return s.length >= width ? s : '0'.repeat(width - s.length) + s
}

function formatWith(ops: readonly Op[], ms: number, hasFraction: boolean): string {
  const d = new Date(ms)
  let out = ''
  for (const op of ops) {
    switch (op.field) {
      case F.literal:
        out += op.literal
        break
      case F.year4: {
        const y = d.getUTCFullYear()
        out += y < 0 ? `-${pad(-y, 4)}` : pad(y, 4)
        break
      }
      case F.year2:
        out += pad(Math.abs(d.getUTCFullYear()) % 100, 2)
        break
      case F.month:
        out += pad(d.getUTCMonth() + 1, op.width)
        break
      case F.monthShort:
        out += (MONTHS[d.getUTCMonth()] as string).slice(0, 3)
        break
      case F.monthLong:
        out += MONTHS[d.getUTCMonth()] as string
        break
      case F.day:
        out += pad(d.getUTCDate(), op.width)
        break
      case F.hour24:
        out += pad(d.getUTCHours(), op.width)
        break
      case F.hour12:
        out += pad(d.getUTCHours() % 12 === 0 ? 12 : d.getUTCHours() % 12, op.width)
        break
      case F.ampm:
        out += d.getUTCHours() < 12 ? 'AM' : 'PM'
        break
      case F.minute:
        out += pad(d.getUTCMinutes(), op.width)
        break
      case F.second: {
        out += pad(d.getUTCSeconds(), op.width)
        const m = d.getUTCMilliseconds()
        if (!hasFraction && m !== 0) out += `.${pad(m, 3)}`
        break
      }
      case F.fraction:
        out += pad(d.getUTCMilliseconds(), 3).slice(0, op.width)
        break
      case F.weekdayShort:
        out += (WEEKDAYS[d.getUTCDay()] as string).slice(0, 3)
        break
      case F.weekdayLong:
        out += WEEKDAYS[d.getUTCDay()] as string
        break
      case F.offsetZ:
        out += 'Z'
        break
      case F.offsetBasic:
        out += op.width === 1 ? '+00' : '+0000'
        break
      case F.offsetExtended:
        out += '+00:00'
        break
      case F.epochSeconds: {
        const s = ms / 1000
        out += String(Number.isInteger(s) ? s : Math.floor(s))
        break
      }
      case F.epochMillis:
        out += String(Math.round(ms))
        break
    }
  }
  return out
}
