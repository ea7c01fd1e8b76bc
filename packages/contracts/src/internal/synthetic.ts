import type { ColumnSchema, PiiType, Random } from '@modelgate/core'
import { datetimePattern, fakePii, formatDatetime, isDateOnlyFormat, isIsoPattern } from '@modelgate/core'

const HEX = '0123456789abcdef'
const hex = (rng: Random, n: number): string => {
  let s = ''
  for (let i = 0; i < n; i++) s += HEX[rng.int(16)]
  return s
}

/** A regex (Pact `regex` matcher) for the shape of a PII value, when the type has a stable shape. */
export function piiPattern(type: PiiType): string | undefined {
  switch (type) {
    case 'email':
      return '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$'
    case 'ip_address':
      return '^(?:[0-9]{1,3}\\.){3}[0-9]{1,3}$|^[0-9a-fA-F:]+$'
    default:
      return undefined
  }
}

const isoMillis = (ms: number): string => new Date(ms).toISOString()

/** A plausible non-null value drawn from the schema alone (used when no examples are given). */
export function schemaValue(column: ColumnSchema, rng: Random): unknown {
  if (column.pii !== undefined) return fakeOfKind(column, column.pii.type, rng)
  switch (column.kind) {
    case 'numeric':
    case 'integer': {
      const lo = typeof column.min === 'number' ? column.min : 0
      const hi = typeof column.max === 'number' ? column.max : lo + 100
      const v = lo + (hi - lo) * (0.25 + 0.5 * rng.uniform())
      return column.kind === 'integer' ? Math.round(v) : Math.round(v * 100) / 100
    }
    case 'boolean':
      return rng.uniform() < 0.5
    case 'datetime': {
      const lo = typeof column.min === 'string' ? Date.parse(column.min) : Date.parse('2026-01-01T00:00:00.000Z')
      const hi = typeof column.max === 'string' ? Date.parse(column.max) : Date.parse('2026-06-30T00:00:00.000Z')
      const ms = Math.round((lo + (hi - lo) * rng.uniform()) / 1000) * 1000
      // ISO 8601 text (the date alone for a date-only format); a column written another way (`MMM d yyyy`) in its format.
      const format = column.format ?? 'iso'
      if (!isIsoPattern(datetimePattern(format))) return formatDatetime(ms, format)
      return isDateOnlyFormat(format) ? isoMillis(ms).slice(0, 10) : isoMillis(ms)
    }
    case 'categorical':
      return column.values !== undefined && column.values.length > 0 ? rng.pick(column.values) : 'example'
    case 'id':
      return `${column.name}-${hex(rng, 12)}`
    case 'text':
      return 'example'
  }
}

/** A synthetic replacement for a value that must not be copied from the examples. */
export function replacementValue(column: ColumnSchema, rng: Random): unknown {
  if (column.pii !== undefined) return fakeOfKind(column, column.pii.type, rng)
  return `${column.name}-${hex(rng, 12)}`
}

/**
 * A fake PII value of the column's kind: for an integer or numeric column (a phone or SSN stored as digits) the fake's
 * digits as a number (at most 15, so that it stays exact), within the column's bounds when it has them; else the fake.
 */
function fakeOfKind(column: ColumnSchema, type: PiiType, rng: Random): unknown {
  const fake = fakePii(type, rng)
  if (column.kind !== 'integer' && column.kind !== 'numeric') return fake
  const digits = String(fake).replace(/\D/g, '').replace(/^0+/, '').slice(0, 15)
  const value = digits === '' ? 1_000_000 + rng.int(9_000_000) : Number(digits)
  const lo = typeof column.min === 'number' ? column.min : Number.NEGATIVE_INFINITY
  const hi = typeof column.max === 'number' ? column.max : Number.POSITIVE_INFINITY
  if (value >= lo && value <= hi) return value
  const a = Number.isFinite(lo) ? lo : hi - 1000
  const b = Number.isFinite(hi) ? hi : lo + 1000
  const v = a + (b - a) * rng.uniform()
  return column.kind === 'integer' ? Math.round(v) : v
}
