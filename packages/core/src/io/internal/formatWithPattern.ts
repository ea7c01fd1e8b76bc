import { F, MONTHS, type Op, WEEKDAYS } from './datetimeOps.js'

function pad(n: number, width: number): string {
  const s = String(n)
  return s.length >= width ? s : '0'.repeat(width - s.length) + s
}

/**
 * `ms` (epoch, UTC) written with a compiled pattern's ops; seconds carry the milliseconds when the pattern has no
 * fraction and they are not zero.
 */
export function formatWith(ops: readonly Op[], ms: number, hasFraction: boolean): string {
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
