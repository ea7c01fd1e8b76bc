import { compileDatetimePattern } from '../compileDatetimePattern.js'
import { isWeekdayName, MONTHS, monthIndex } from './datetimeOps.js'

/**
 * Recognises the datetime shapes people write that are not ISO 8601 (`Jan 1 2000`, `1 January 2000`,
 * `2015/01/01 01:00:00`, `2001/01/01 00:47`, `12/06/1998`, `6/12/98 3:04 PM`, `Sat, 01 Jan 2000 10:00:00 +0000`)
 * and drafts their date-fns-style pattern. One value cannot say whether `01/02/2000` is day or month first:
 * the two fields stay open (`A`, `B`) until a column's values are seen together (`createDatetimeSniffer`).
 */

/** A field of a sniffed value: a pattern letter group, or `A`/`B` for the open day/month pair. */
type Slot = 'yyyy' | 'yy' | 'M' | 'd' | 'H' | 'h' | 'm' | 's' | 'A' | 'B'

export interface SniffedDatetime {
  /** The pattern with numeric fields as placeholders (same skeleton ⇔ same shape, whatever the digits). */
  readonly skeleton: string
  /** Numeric fields in order, with their value and digit count. */
  readonly slots: readonly Slot[]
  readonly values: readonly number[]
  readonly widths: readonly number[]
  /** The pattern for this value alone (open pair month first unless `dayFirst`); null when the pair cannot be a date. */
  resolve(dayFirst: boolean): string | null
}

interface Part {
  /** A slot, or a fixed pattern piece (`MMM`, `EEE`, `a`, `xx` …), or literal text. */
  readonly slot?: Slot
  readonly fixed?: string
  readonly literal?: string
  readonly value?: number
  readonly width?: number
}

enum C {
  Digit = 1,
  Alpha = 2,
  Other = 3,
}

function classOf(code: number): C {
  if (code >= 48 && code <= 57) return C.Digit
  const l = code | 32
  if (l >= 97 && l <= 122) return C.Alpha
  return C.Other
}

/** The shape of one value, or null when it is not a datetime this sniffer knows. */
export function sniffDatetime(text: string): SniffedDatetime | null {
  const len = text.length
  if (len < 6 || len > 64) return null
  // Runs of digits, runs of letters, single other characters.
  const runs: { c: C; s: string }[] = []
  for (let i = 0; i < len; ) {
    const c = classOf(text.charCodeAt(i))
    let j = i + 1
    if (c !== C.Other) while (j < len && classOf(text.charCodeAt(j)) === c) j++
    runs.push({ c, s: text.slice(i, j) })
    i = j
  }
  const parts: (Part | undefined)[] = new Array(runs.length)
  // Time: H:mm[:ss[.fff]] [am|pm]
  let timeAt = -1
  for (let i = 0; i + 2 < runs.length; i++) {
    const r = runs[i] as { c: C; s: string }
    if (r.c === C.Digit && runs[i + 1]?.s === ':' && runs[i + 2]?.c === C.Digit) {
      timeAt = i
      break
    }
  }
  let hour12 = false
  if (timeAt >= 0) {
    const h = runs[timeAt] as { s: string }
    const m = runs[timeAt + 2] as { s: string }
    if (h.s.length > 2 || m.s.length !== 2) return null
    parts[timeAt] = { slot: 'H', value: Number(h.s), width: h.s.length }
    parts[timeAt + 1] = { literal: ':' }
    parts[timeAt + 2] = { slot: 'm', value: Number(m.s), width: 2 }
    let k = timeAt + 3
    if (runs[k]?.s === ':' && runs[k + 1]?.c === C.Digit) {
      const s = runs[k + 1] as { s: string }
      if (s.s.length !== 2) return null
      parts[k] = { literal: ':' }
      parts[k + 1] = { slot: 's', value: Number(s.s), width: 2 }
      k += 2
      if ((runs[k]?.s === '.' || runs[k]?.s === ',') && runs[k + 1]?.c === C.Digit) {
        // A fraction of a second: read by the seconds field, not part of the pattern.
        parts[k] = { fixed: '' }
        parts[k + 1] = { fixed: '' }
        k += 2
      }
    }
    let a = k
    if (runs[a]?.s === ' ') a++
    const ampm = runs[a]?.s.toLowerCase()
    if (ampm === 'am' || ampm === 'pm') {
      if (a !== k) parts[k] = { literal: ' ' }
      parts[a] = { fixed: 'a' }
      hour12 = true
      k = a + 1
    }
    if (hour12) parts[timeAt] = { slot: 'h', value: Number(h.s), width: h.s.length }
    // Offset or zone name after the time: ` +0200`, `+02:00`, `Z`, ` GMT`.
    let z = k
    if (runs[z]?.s === ' ') z++
    const sign = runs[z]?.s
    if ((sign === '+' || sign === '-') && runs[z + 1]?.c === C.Digit) {
      const d = runs[z + 1] as { s: string }
      if (d.s.length === 4 && z + 2 === runs.length) {
        if (z !== k) parts[k] = { literal: ' ' }
        parts[z] = { fixed: 'xx' }
        parts[z + 1] = { fixed: '' }
      } else if (d.s.length === 2 && runs[z + 2]?.s === ':' && runs[z + 3]?.s.length === 2 && z + 4 === runs.length) {
        if (z !== k) parts[k] = { literal: ' ' }
        parts[z] = { fixed: 'xxx' }
        for (let q = z + 1; q < z + 4; q++) parts[q] = { fixed: '' }
      } else return null
    } else if (sign !== undefined && z + 1 === runs.length) {
      const u = sign.toUpperCase()
      if (u === 'GMT' || u === 'UTC' || u === 'UT') {
        if (z !== k) parts[k] = { literal: ' ' }
        parts[z] = { literal: sign }
      } else if (sign === 'Z' && z === k) parts[z] = { fixed: 'X' }
    }
  }
  // Letters: month and weekday names, the `T` between date and time.
  let monthName = false
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i] as { c: C; s: string }
    if (parts[i] !== undefined || r.c !== C.Alpha) continue
    if (r.s === 'T' && i + 1 === timeAt) {
      parts[i] = { literal: 'T' }
      continue
    }
    const m = monthIndex(r.s)
    if (m >= 0 && !monthName) {
      monthName = true
      const full = r.s.length > 3 && r.s.toLowerCase() === (MONTHS[m] as string).toLowerCase()
      parts[i] = { fixed: full ? 'MMMM' : 'MMM' }
      continue
    }
    if (isWeekdayName(r.s)) {
      parts[i] = { fixed: r.s.length > 3 ? 'EEEE' : 'EEE' }
      continue
    }
    return null
  }
  // The date's numbers.
  const nums: number[] = []
  for (let i = 0; i < runs.length; i++) if (parts[i] === undefined && (runs[i] as { c: C }).c === C.Digit) nums.push(i)
  const put = (i: number, slot: Slot): void => {
    const s = (runs[i] as { s: string }).s
    parts[i] = { slot, value: Number(s), width: s.length }
  }
  if (monthName) {
    if (nums.length !== 2) return null
    const [p, q] = nums as [number, number]
    const lp = (runs[p] as { s: string }).s.length
    const lq = (runs[q] as { s: string }).s.length
    if (lp <= 2 && lq === 4) {
      put(p, 'd')
      put(q, 'yyyy')
    } else if (lp === 4 && lq <= 2) {
      put(p, 'yyyy')
      put(q, 'd')
    } else return null
  } else {
    if (nums.length !== 3) return null
    const [p, q, r] = nums as [number, number, number]
    const lp = (runs[p] as { s: string }).s.length
    const lq = (runs[q] as { s: string }).s.length
    const lr = (runs[r] as { s: string }).s.length
    // The date's three numbers must be written together, joined by one separator: 2015/01/01, 12.06.1998.
    const sep1 = runs[p + 1]?.s
    if (q !== p + 2 || r !== q + 2 || sep1 !== runs[q + 1]?.s || !(sep1 === '/' || sep1 === '-' || sep1 === '.'))
      return null
    if (lp === 4 && lq <= 2 && lr <= 2) {
      put(p, 'yyyy')
      put(q, 'M')
      put(r, 'd')
    } else if (lp <= 2 && lq <= 2 && (lr === 4 || lr === 2)) {
      put(p, 'A')
      put(q, 'B')
      put(r, lr === 4 ? 'yyyy' : 'yy')
    } else return null
  }
  // Whatever is left must be punctuation or spaces between the parts.
  for (let i = 0; i < runs.length; i++) {
    if (parts[i] !== undefined) continue
    const r = runs[i] as { c: C; s: string }
    if (r.c !== C.Other) return null
    parts[i] = { literal: r.s }
  }
  // A date and, when there is one, a time: nothing else.
  const slots: Slot[] = []
  const values: number[] = []
  const widths: number[] = []
  let skeleton = ''
  for (const part of parts as Part[]) {
    if (part.slot !== undefined) {
      slots.push(part.slot)
      values.push(part.value as number)
      widths.push(part.width as number)
      skeleton += `\uE000${part.slot}`
    } else if (part.fixed !== undefined) skeleton += part.fixed
    else skeleton += quoteLiteral(part.literal as string)
  }
  const sniffed: SniffedDatetime = {
    skeleton,
    slots,
    values,
    widths,
    resolve: (dayFirst) => {
      const state = createSlotState(sniffed)
      return patternOf(sniffed, state, dayFirst)?.pattern ?? null
    },
  }
  return sniffed
}

function quoteLiteral(text: string): string {
  let out = ''
  let quoted = ''
  for (const ch of text) {
    const l = ch.charCodeAt(0) | 32
    if ((l >= 97 && l <= 122) || ch === "'") quoted += ch === "'" ? "''" : ch
    else {
      if (quoted !== '') out += `'${quoted}'`
      quoted = ''
      out += ch
    }
  }
  if (quoted !== '') out += `'${quoted}'`
  return out
}

/** Per slot: largest value seen, and whether values below 10 were written with one digit or padded to two. */
interface SlotState {
  readonly max: number[]
  readonly unpadded: boolean[]
  readonly padded: boolean[]
}

function createSlotState(first: SniffedDatetime): SlotState {
  const state: SlotState = {
    max: first.values.map(() => 0),
    unpadded: first.values.map(() => false),
    padded: first.values.map(() => false),
  }
  addSlots(state, first)
  return state
}

function addSlots(state: SlotState, s: SniffedDatetime): void {
  for (let i = 0; i < s.values.length; i++) {
    const v = s.values[i] as number
    if (v > (state.max[i] as number)) state.max[i] = v
    if (s.widths[i] === 1) state.unpadded[i] = true
    else if (v < 10) state.padded[i] = true
  }
}

export type DayOrder = 'proved-day-first' | 'proved-month-first' | 'assumed'

function patternOf(
  s: SniffedDatetime,
  state: SlotState,
  dayFirst: boolean,
): { pattern: string; order: DayOrder | null } | null {
  const a = s.slots.indexOf('A')
  const monthName = s.skeleton.includes('MMM')
  let order: DayOrder | null = null
  let aIsDay = dayFirst
  if (a >= 0) {
    const maxA = state.max[a] as number
    const maxB = state.max[a + 1] as number
    if (maxA > 12 && maxB > 12) return null
    if (maxA > 12) {
      aIsDay = true
      order = 'proved-day-first'
    } else if (maxB > 12) {
      aIsDay = false
      order = 'proved-month-first'
    } else order = 'assumed'
  }
  let i = 0
  const pattern = s.skeleton.replace(/\uE000(yyyy|yy|[MdHhmsAB])/g, (_m, slot: string) => {
    const k = i++
    const max = state.max[k] as number
    // One digit when a value was written so; two when a value was padded; else as usually written (`Jun 12 1998`:
    // a day after a month name has no padding, numeric dates and times have).
    const single = (state.unpadded[k] as boolean) || (!(state.padded[k] as boolean) && slot === 'd' && monthName)
    let letter = slot
    if (slot === 'A') letter = aIsDay ? 'd' : 'M'
    else if (slot === 'B') letter = aIsDay ? 'M' : 'd'
    if (letter === 'yyyy' || letter === 'yy') return letter
    const limit = letter === 'M' ? 12 : letter === 'd' ? 31 : letter === 'H' ? 23 : letter === 'h' ? 12 : 59
    if (max > limit) i = -1_000_000 // out of range: not a datetime
    return single ? letter : letter + letter
  })
  return i < 0 ? null : { pattern, order }
}

/**
 * Sniffs a column: every value must have the same shape; the open day/month pair is settled by the values (a field
 * above 12 proves its order) or else by `dayFirst` (default month first, and then `order` is `assumed`).
 */
export function createDatetimeSniffer(options: { readonly dayFirst?: boolean } = {}): {
  add(text: string): boolean
  result(): { format: string; order: DayOrder | null } | null
} {
  let first: SniffedDatetime | null = null
  let state: SlotState | null = null
  let failed = false
  let sniffed = 0
  // After SNIFF_FULLY values, a value the tentative pattern reads (leniently: one or two digits per field) only
  // confirms the shape; a value it does not read is sniffed in full, which settles a day/month order it proves.
  let tentative: ((text: string) => number) | null = null
  return {
    add(text) {
      if (failed) return false
      if (tentative !== null && !Number.isNaN(tentative(text))) return true
      const s = sniffDatetime(text)
      if (s === null || (first !== null && s.skeleton !== first.skeleton)) {
        failed = true
        return false
      }
      if (first === null || state === null) {
        first = s
        state = createSlotState(s)
      } else addSlots(state, s)
      tentative = null
      if (++sniffed >= SNIFF_FULLY) {
        const found = patternOf(first, state, options.dayFirst === true)
        if (found === null) {
          failed = true
          return false
        }
        tentative = compileDatetimePattern(found.pattern).parse
      }
      return true
    },
    result() {
      if (failed || first === null || state === null) return null
      const found = patternOf(first, state, options.dayFirst === true)
      return found === null ? null : { format: found.pattern, order: found.order }
    },
  }
}

/** Values of a column sniffed in full before the tentative pattern takes over. */
const SNIFF_FULLY = 1000
