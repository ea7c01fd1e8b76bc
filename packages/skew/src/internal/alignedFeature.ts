import type { Column, Table } from '@modelgate/core'
import type { ValueType } from '../types.js'

/** A feature of one path, reordered to the matched rows: numbers (with validity) or strings. */
export type AlignedFeature =
  | { readonly type: 'number' | 'boolean' | 'datetime'; readonly values: Float64Array; readonly valid: Uint8Array }
  | { readonly type: 'string'; readonly values: (string | null)[] }
  | { readonly type: 'missing' }

function valueTypeOf(column: Column): ValueType {
  switch (column.kind) {
    case 'numeric':
    case 'integer':
      return 'number'
    case 'boolean':
      return 'boolean'
    case 'datetime':
      return 'datetime'
    default:
      return 'string'
  }
}

/** Picks `name` from `table` at rows `index[r]` for each matched row r. */
export function alignFeature(table: Table, name: string, index: Int32Array): AlignedFeature {
  const column = table.columns.find((c) => c.name === name)
  if (column === undefined) return { type: 'missing' }
  const m = index.length
  switch (column.kind) {
    case 'categorical': {
      const out = new Array<string | null>(m)
      for (let r = 0; r < m; r++) {
        const c = column.codes[index[r] as number] ?? -1
        out[r] = c < 0 ? null : (column.dictionary[c] ?? null)
      }
      return { type: 'string', values: out }
    }
    case 'text':
    case 'id': {
      const out = new Array<string | null>(m)
      for (let r = 0; r < m; r++) out[r] = column.values[index[r] as number] ?? null
      return { type: 'string', values: out }
    }
    default: {
      const values = new Float64Array(m)
      const valid = new Uint8Array(m)
      const src = column.values
      const srcValid = column.valid
      for (let r = 0; r < m; r++) {
        const j = index[r] as number
        if (srcValid !== null && srcValid[j] === 0) continue
        const v = src[j] as number
        if (Number.isNaN(v)) continue
        values[r] = v
        valid[r] = 1
      }
      return { type: valueTypeOf(column) as 'number' | 'boolean' | 'datetime', values, valid }
    }
  }
}

/** The feature as strings (numbers formatted), for comparing across a type change. */
export function asStrings(feature: AlignedFeature): (string | null)[] {
  if (feature.type === 'string') return feature.values
  if (feature.type === 'missing') return []
  const out = new Array<string | null>(feature.values.length)
  for (let r = 0; r < feature.values.length; r++) {
    out[r] =
      feature.valid[r] === 0
        ? null
        : feature.type === 'datetime'
          ? new Date(feature.values[r] as number).toISOString()
          : String(feature.values[r])
  }
  return out
}

export function nullRate(feature: AlignedFeature): number {
  if (feature.type === 'missing') return 1
  const n = feature.values.length
  if (n === 0) return 0
  let nulls = 0
  if (feature.type === 'string') {
    for (let r = 0; r < n; r++) if (feature.values[r] === null) nulls++
  } else {
    for (let r = 0; r < n; r++) if (feature.valid[r] === 0) nulls++
  }
  return nulls / n
}

const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

/**
 * JSON has no datetime type, so an online path returns timestamps as ISO 8601 strings. When the other
 * side is a datetime and every non-null string parses as one, the strings are read as datetimes.
 */
export function coerceIsoStrings(feature: AlignedFeature): AlignedFeature {
  if (feature.type !== 'string') return feature
  const n = feature.values.length
  const values = new Float64Array(n)
  const valid = new Uint8Array(n)
  for (let r = 0; r < n; r++) {
    const s = feature.values[r] ?? null
    if (s === null) continue
    const t = ISO_DATETIME.test(s) ? Date.parse(s) : Number.NaN
    if (Number.isNaN(t)) return feature
    values[r] = t
    valid[r] = 1
  }
  return { type: 'datetime', values, valid }
}
