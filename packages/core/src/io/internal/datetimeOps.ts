// The compiled form of a datetime pattern (compileDatetimePattern): one op per field or literal, and the English
// month and weekday names the parser reads and the formatter writes.

/** The fields of a date-fns-style pattern (see compileDatetimePattern for the letters). */
export enum F {
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

export interface Op {
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
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const
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
