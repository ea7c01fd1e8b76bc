import type { Column } from '../../Table.js'
import { isNullAt } from '../../table/valueAt.js'

export function countNulls(column: Column, numRows: number): number {
  let nulls = 0
  switch (column.kind) {
    case 'categorical': {
      const codes = column.codes
      for (let i = 0; i < numRows; i++) if ((codes[i] as number) < 0) nulls++
      return nulls
    }
    case 'text':
    case 'id': {
      const values = column.values
      for (let i = 0; i < numRows; i++) if (values[i] == null) nulls++
      return nulls
    }
    default: {
      const valid = column.valid
      if (valid === null) return 0
      for (let i = 0; i < numRows; i++) if (valid[i] === 0) nulls++
      return nulls
    }
  }
}

/** The value of row `i` as text (numbers without exponent where integral), or null. */
export function textAt(column: Column, i: number): string | null {
  if (isNullAt(column, i)) return null
  switch (column.kind) {
    case 'categorical':
      return column.dictionary[column.codes[i] as number] ?? null
    case 'text':
    case 'id':
      return column.values[i] ?? null
    case 'boolean':
      return column.values[i] === 1 ? 'true' : 'false'
    case 'datetime':
      return new Date(column.values[i] as number).toISOString()
    default: {
      const v = column.values[i] as number
      return Number.isInteger(v) && Math.abs(v) < 1e21 ? BigInt(v).toString() : String(v)
    }
  }
}

/** Up to `n` row indices holding values, spread evenly over the column (deterministic, no RNG). */
export function sampleValidRows(column: Column, numRows: number, nonNull: number, n: number): number[] {
  const out: number[] = []
  if (n <= 0 || nonNull === 0) return out
  const step = nonNull <= n ? 1 : nonNull / n
  let next = 0
  let seen = 0
  for (let i = 0; i < numRows && out.length < n; i++) {
    if (isNullAt(column, i)) continue
    if (seen >= next) {
      out.push(i)
      next += step
    }
    seen++
  }
  return out
}

/** Exact counts of each distinct value of a string-like column (categorical, text, id). */
export function countStrings(column: Column, numRows: number): Map<string, number> {
  const counts = new Map<string, number>()
  if (column.kind === 'categorical') {
    const perCode = new Float64Array(column.dictionary.length)
    const codes = column.codes
    for (let i = 0; i < numRows; i++) {
      const c = codes[i] as number
      if (c >= 0) perCode[c] = (perCode[c] as number) + 1
    }
    column.dictionary.forEach((value, code) => {
      const c = perCode[code] as number
      if (c > 0) counts.set(value, (counts.get(value) ?? 0) + c)
    })
    return counts
  }
  if (column.kind === 'text' || column.kind === 'id') {
    const values = column.values
    for (let i = 0; i < numRows; i++) {
      const v = values[i]
      if (v != null) counts.set(v, (counts.get(v) ?? 0) + 1)
    }
  }
  return counts
}

/** Count of distinct non-null numbers (sorts a copy). */
export function countDistinctNumbers(values: Float64Array, valid: Uint8Array | null, numRows: number): number {
  const copy = new Float64Array(numRows)
  let n = 0
  for (let i = 0; i < numRows; i++) if (valid === null || valid[i] === 1) copy[n++] = values[i] as number
  const sorted = copy.subarray(0, n).sort()
  let distinct = 0
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++
  return distinct
}
