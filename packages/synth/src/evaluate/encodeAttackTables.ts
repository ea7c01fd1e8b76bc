import type { Column, Table } from '@modelgate/core'
import { numericValues, stringValues } from '../internal/evalColumn.js'

/** A column as the privacy attacks see it. */
export interface AttackColumn {
  readonly name: string
  /** Numbers compare by value (and order); everything else by equality of a shared code. */
  readonly numeric: boolean
  readonly datetime: boolean
  /** Numeric: max − min over every encoded table (1 when constant), so a scaled difference is at most 1. */
  readonly range: number
  /** Numeric: min and max over every encoded table (0 when there are none). */
  readonly lo: number
  readonly hi: number
}

/** One table's values, one array per attack column: numbers (NaN = null) or category codes (−1 = null). */
export interface AttackTable {
  readonly rows: number
  readonly values: readonly Float64Array[]
}

/**
 * Encodes several tables over the same columns for the privacy attacks: numbers stay numbers (datetimes as epoch
 * ms), and every other value (categories, text, ids, booleans) becomes a code from one dictionary shared by all
 * the tables, so equal values get equal codes in every table. No value leaves this encoding: the attacks only ever
 * report counts and column names.
 */
export function encodeAttackTables(
  names: readonly string[],
  tables: readonly Table[],
): { columns: AttackColumn[]; tables: AttackTable[] } {
  const first = tables[0]
  if (first === undefined) return { columns: [], tables: [] }
  const columns: AttackColumn[] = []
  const values: Float64Array[][] = tables.map(() => [])
  for (const name of names) {
    const reference = columnOf(first, name)
    if (reference === undefined) continue
    const numeric = reference.kind === 'numeric' || reference.kind === 'integer' || reference.kind === 'datetime'
    if (numeric) {
      let lo = Number.POSITIVE_INFINITY
      let hi = Number.NEGATIVE_INFINITY
      tables.forEach((t, i) => {
        const v = numbersOf(columnOf(t, name), t.numRows)
        for (const x of v)
          if (!Number.isNaN(x)) {
            if (x < lo) lo = x
            if (x > hi) hi = x
          }
        values[i]?.push(v)
      })
      columns.push({
        name,
        numeric,
        datetime: reference.kind === 'datetime',
        range: hi > lo ? hi - lo : 1,
        lo: hi >= lo ? lo : 0,
        hi: hi >= lo ? hi : 0,
      })
    } else {
      const dictionary = new Map<string, number>()
      const codeOf = (s: string | null | undefined): number => {
        if (s === null || s === undefined) return -1
        let code = dictionary.get(s)
        if (code === undefined) {
          code = dictionary.size
          dictionary.set(s, code)
        }
        return code
      }
      tables.forEach((t, i) => {
        const c = columnOf(t, name)
        const out = new Float64Array(t.numRows).fill(-1)
        if (c?.kind === 'categorical') {
          // One lookup per dictionary entry, not per row.
          const shared = Float64Array.from(c.dictionary, codeOf)
          for (let r = 0; r < t.numRows; r++) {
            const code = c.codes[r] as number
            if (code >= 0) out[r] = shared[code] as number
          }
        } else if (c !== undefined) {
          const strings = stringValues(c, t.numRows)
          for (let r = 0; r < t.numRows; r++) out[r] = codeOf(strings[r])
        }
        values[i]?.push(out)
      })
      columns.push({ name, numeric, datetime: false, range: 1, lo: 0, hi: 0 })
    }
  }
  return { columns, tables: tables.map((t, i) => ({ rows: t.numRows, values: values[i] ?? [] })) }
}

/**
 * A number's place in its column's range, in [0, 1] (null stays NaN; a constant column gives 0): (x − lo) / range,
 * with the halves taken first when max − min overflows.
 */
export function scaled(x: number, column: AttackColumn): number {
  const { lo, hi } = column
  if (!(hi > lo)) return x - lo
  const range = hi - lo
  return Number.isFinite(range) ? (x - lo) / range : (x / 2 - lo / 2) / (hi / 2 - lo / 2)
}

/** The rows at `indices` (in that order). */
export function takeAttackRows(table: AttackTable, indices: ArrayLike<number>): AttackTable {
  return {
    rows: indices.length,
    values: table.values.map((v) =>
      Float64Array.from({ length: indices.length }, (_, i) => v[indices[i] as number] as number),
    ),
  }
}

/** Indices of the first occurrence of each distinct row (rows hashed, equal hashes compared value by value). */
export function distinctRows(table: AttackTable): Uint32Array {
  const { rows, values } = table
  const bits = new Float64Array(1)
  const words = new Uint32Array(bits.buffer)
  const hashes = new Float64Array(rows)
  for (let i = 0; i < rows; i++) {
    let h1 = 0x811c9dc5
    let h2 = 0x01000193
    for (const v of values) {
      const x = v[i] as number
      bits[0] = Number.isNaN(x) ? Number.NaN : x === 0 ? 0 : x
      h1 = Math.imul(h1 ^ (words[0] as number), 0x85ebca6b) ^ Math.imul(words[1] as number, 0xc2b2ae35)
      h2 = Math.imul(h2 ^ (words[1] as number), 0x27d4eb2f) + (words[0] as number)
      h1 = (h1 ^ (h1 >>> 15)) | 0
      h2 = (h2 ^ (h2 >>> 13)) | 0
    }
    hashes[i] = (h1 >>> 0) * 2 ** 21 + ((h2 >>> 0) & 0x1fffff)
  }
  const same = (a: number, b: number): boolean => {
    for (const v of values) {
      const x = v[a] as number
      const y = v[b] as number
      if (x !== y && !(Number.isNaN(x) && Number.isNaN(y))) return false
    }
    return true
  }
  const firstByHash = new Map<number, number[]>()
  const keep: number[] = []
  for (let i = 0; i < rows; i++) {
    const h = hashes[i] as number
    const firsts = firstByHash.get(h)
    if (firsts === undefined) {
      firstByHash.set(h, [i])
      keep.push(i)
    } else if (!firsts.some((f) => same(f, i))) {
      firsts.push(i)
      keep.push(i)
    }
  }
  return Uint32Array.from(keep)
}

function columnOf(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name)
}

function numbersOf(c: Column | undefined, n: number): Float64Array {
  if (c === undefined) return new Float64Array(n).fill(Number.NaN)
  return (
    numericValues(c, n) ??
    Float64Array.from(stringValues(c, n), (s) => (s === null || s === '' ? Number.NaN : Number(s)))
  )
}
