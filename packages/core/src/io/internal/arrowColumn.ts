import { type Data, DataType, type Vector } from 'apache-arrow'
import type { Column } from '../../Table.js'
import { type ColumnPlan, type ConvertContext, dictionaryCode, dictionarySnapshot } from './ColumnPlan.js'
import { numericColumn } from './numericColumn.js'
import { hashBytes, RangeDictionary } from './RangeDictionary.js'

const MS_PER_UNIT = [1000, 1, 1e-3, 1e-6] // SECOND, MILLISECOND, MICROSECOND, NANOSECOND

function validMask(data: Data): Uint8Array | null {
  if (data.nullCount === 0 || data.nullBitmap === undefined || data.nullBitmap.length === 0) return null
  const n = data.length
  const bits = data.nullBitmap
  const off = data.offset
  const valid = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const j = off + i
    valid[i] = ((bits[j >> 3] as number) >> (j & 7)) & 1
  }
  return valid
}

/**
 * Converts one Arrow column (a single `Data` chunk) straight from its buffers: numbers, 64-bit integers, timestamps,
 * dates, booleans, Utf8 and dictionary-encoded strings. Returns `null` for anything else; the caller then goes
 * value by value.
 */
export function arrowColumn(vector: Vector, plan: ColumnPlan, ctx: ConvertContext): Column | null {
  if (vector.data.length !== 1) return null
  const data = vector.data[0] as Data
  const type = data.type
  const n = data.length
  const off = data.offset
  const name = plan.name
  const kind = plan.kind
  if ((kind === 'numeric' || kind === 'integer') && (DataType.isFloat(type) || DataType.isInt(type))) {
    const src = data.values as ArrayLike<number | bigint>
    const values = new Float64Array(n)
    if (typeof src[0] === 'bigint' || src instanceof BigInt64Array || src instanceof BigUint64Array) {
      for (let i = 0; i < n; i++) values[i] = Number(src[off + i] as bigint)
    } else if (DataType.isFloat(type) && (type as { precision: number }).precision === 0)
      return null // float16
    else for (let i = 0; i < n; i++) values[i] = src[off + i] as number
    return numericColumn(values, validMask(data), plan, ctx)
  }
  if (kind === 'datetime' && DataType.isTimestamp(type)) {
    const src = data.values as BigInt64Array
    if (!(src instanceof BigInt64Array)) return null
    const scale = MS_PER_UNIT[type.unit] ?? 1
    const values = new Float64Array(n)
    for (let i = 0; i < n; i++) values[i] = Math.floor(Number(src[off + i] as bigint) * scale)
    return numericColumn(values, validMask(data), plan, ctx)
  }
  if (kind === 'datetime' && DataType.isDate(type) && type.unit === 0) {
    const src = data.values as Int32Array
    const values = new Float64Array(n)
    for (let i = 0; i < n; i++) values[i] = (src[off + i] as number) * 86_400_000
    return numericColumn(values, validMask(data), plan, ctx)
  }
  if (kind === 'boolean' && DataType.isBool(type)) {
    const bits = data.values as Uint8Array
    const values = new Uint8Array(n)
    for (let i = 0; i < n; i++) {
      const j = off + i
      values[i] = ((bits[j >> 3] as number) >> (j & 7)) & 1
    }
    return { kind: 'boolean', name, values, valid: validMask(data) }
  }
  if (kind === 'categorical' && DataType.isDictionary(type) && data.dictionary !== undefined) {
    const dict = data.dictionary
    const map = new Int32Array(dict.length)
    for (let k = 0; k < dict.length; k++) {
      const v = dict.get(k) as unknown
      map[k] = v === null || v === undefined ? -1 : dictionaryCode(plan, String(v))
    }
    const idx = data.values as ArrayLike<number | bigint>
    const valid = validMask(data)
    const codes = new Int32Array(n)
    for (let i = 0; i < n; i++) codes[i] = valid !== null && valid[i] === 0 ? -1 : (map[Number(idx[off + i])] as number)
    return { kind: 'categorical', name, codes, dictionary: dictionarySnapshot(plan) }
  }
  if (
    (kind === 'categorical' || kind === 'text' || kind === 'id') &&
    DataType.isUtf8(type) &&
    data.valueOffsets instanceof Int32Array
  ) {
    const bytes = data.values as Uint8Array
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    const offsets = data.valueOffsets
    const valid = validMask(data)
    if (kind === 'categorical') {
      // look categories up by their bytes; decode only values not seen before
      const lookup = new RangeDictionary()
      for (let code = 0; code < plan.dictionary.length; code++) lookup.insert(plan.dictionary[code] as string, code)
      const codes = new Int32Array(n)
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) {
          codes[i] = -1
          continue
        }
        const start = offsets[off + i] as number
        const end = offsets[off + i + 1] as number
        const h = hashBytes(buf, start, end)
        let code = lookup.find(h, buf, start, end)
        if (code < 0) {
          const value = buf.toString('utf8', start, end)
          code = dictionaryCode(plan, value)
          lookup.insert(value, code)
        }
        codes[i] = code
      }
      return { kind: 'categorical', name, codes, dictionary: dictionarySnapshot(plan) }
    }
    const values: (string | null)[] = new Array(n)
    for (let i = 0; i < n; i++)
      values[i] = valid !== null && valid[i] === 0 ? null : buf.toString('utf8', offsets[off + i], offsets[off + i + 1])
    return { kind, name, values }
  }
  return null
}
