import { ModelGateError } from '../errors.js'
import { F, type Op } from './internal/datetimeOps.js'
import { formatWith } from './internal/formatWithPattern.js'
import { parseWith } from './internal/parseWithPattern.js'

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
