import { daysFromCivil } from '../daysFromCivil.js'
import { F, isWeekdayName, monthIndex, type Op } from './datetimeOps.js'

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

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

/** Epoch ms of `text` read with a compiled pattern's ops, or NaN when it is not written that way. */
export function parseWith(ops: readonly Op[], text: string): number {
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
        const m = monthIndex(text.slice(pos, end))
        if (m === -1) return Number.NaN
        month = m
        pos = end
        if (text.charCodeAt(pos) === 46 && field === F.monthShort && ops[k + 1]?.literal.charCodeAt(0) !== 46) pos++ // `Jan.`
        break
      }
      case F.weekdayShort:
      case F.weekdayLong: {
        const end = readLetters(text, pos)
        if (!isWeekdayName(text.slice(pos, end))) return Number.NaN
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
