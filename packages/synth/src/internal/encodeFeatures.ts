import type { Column, Table } from '@modelgate/core'
import { numericValues, stringValues } from './evalColumn.js'

export interface FeatureEncoder {
  readonly width: number
  /** Row-major n × width design matrix. */
  encode(table: Table): Float64Array
}

type Part =
  | { readonly name: string; readonly type: 'numeric'; readonly mean: number; readonly sd: number }
  | { readonly name: string; readonly type: 'categorical'; readonly index: ReadonlyMap<string, number> }

function columnOf(table: Table, name: string): Column | undefined {
  return table.columns.find((c) => c.name === name)
}

function isNumericKind(c: Column): boolean {
  return c.kind === 'numeric' || c.kind === 'integer' || c.kind === 'datetime'
}

/**
 * One-hot (top categories seen at least k times) and standardized numeric features with a missing
 * indicator, fitted on a reference table, for the TSTR/TRTR classifiers.
 */
export function createFeatureEncoder(
  reference: Table,
  names: readonly string[],
  options: { k: number; maxCategories?: number },
): FeatureEncoder {
  const parts: Part[] = []
  for (const name of names) {
    const c = columnOf(reference, name)
    if (c === undefined) continue
    if (isNumericKind(c)) {
      const v = numericValues(c, reference.numRows) as Float64Array
      let n = 0
      let s = 0
      let ss = 0
      for (const x of v)
        if (!Number.isNaN(x)) {
          n++
          s += x
          ss += x * x
        }
      const mean = n > 0 ? s / n : 0
      const sd = n > 1 ? Math.sqrt(Math.max(0, ss / n - mean * mean)) : 1
      parts.push({ name, type: 'numeric', mean, sd: sd > 0 ? sd : 1 })
    } else {
      const counts = new Map<string, number>()
      for (const v of stringValues(c, reference.numRows)) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1)
      const top = [...counts]
        .filter(([, n]) => n >= options.k)
        .sort((a, b) => b[1] - a[1])
        .slice(0, options.maxCategories ?? 50)
      parts.push({ name, type: 'categorical', index: new Map(top.map(([v], i) => [v, i])) })
    }
  }
  const width = parts.reduce((w, p) => w + (p.type === 'numeric' ? 2 : p.index.size), 0)
  const encode = (table: Table): Float64Array => {
    const n = table.numRows
    const x = new Float64Array(n * width)
    let offset = 0
    for (const p of parts) {
      const c = columnOf(table, p.name)
      if (p.type === 'numeric') {
        const v =
          c === undefined
            ? new Float64Array(n).fill(Number.NaN)
            : (numericValues(c, n) ??
              Float64Array.from(stringValues(c, n), (s) => (s === null ? Number.NaN : Number(s))))
        for (let i = 0; i < n; i++) {
          const val = v[i] as number
          if (!Number.isNaN(val)) x[i * width + offset] = (val - p.mean) / p.sd
          else x[i * width + offset + 1] = 1
        }
        offset += 2
      } else {
        const v = c === undefined ? new Array<string | null>(n).fill(null) : stringValues(c, n)
        for (let i = 0; i < n; i++) {
          const s = v[i]
          const k = s === null || s === undefined ? undefined : p.index.get(s)
          if (k !== undefined) x[i * width + offset + k] = 1
        }
        offset += p.index.size
      }
    }
    return x
  }
  return { width, encode }
}

/** Gower-style encoding for distances: numeric scaled to [0, 1] by the reference range, categories as codes. */
export interface GowerEncoding {
  readonly numeric: Float64Array[]
  readonly categorical: Int32Array[]
}

export function createGowerEncoder(reference: Table, names: readonly string[]): (table: Table) => GowerEncoding {
  interface Spec {
    readonly name: string
    readonly numeric: boolean
    readonly lo: number
    readonly range: number
    readonly index: Map<string, number>
  }
  const specs = names.flatMap((name): Spec[] => {
    const c = columnOf(reference, name)
    if (c === undefined) return []
    if (isNumericKind(c)) {
      const v = numericValues(c, reference.numRows) as Float64Array
      let lo = Number.POSITIVE_INFINITY
      let hi = Number.NEGATIVE_INFINITY
      for (const x of v)
        if (!Number.isNaN(x)) {
          if (x < lo) lo = x
          if (x > hi) hi = x
        }
      return [{ name, numeric: true, lo, range: hi > lo ? hi - lo : 1, index: new Map<string, number>() }]
    }
    return [{ name, numeric: false, lo: 0, range: 1, index: new Map<string, number>() }]
  })
  return (table: Table) => {
    const n = table.numRows
    const numeric: Float64Array[] = []
    const categorical: Int32Array[] = []
    for (const s of specs) {
      const c = columnOf(table, s.name)
      if (s.numeric) {
        const v =
          c === undefined
            ? new Float64Array(n).fill(Number.NaN)
            : (numericValues(c, n) ??
              Float64Array.from(stringValues(c, n), (t) => (t === null ? Number.NaN : Number(t))))
        numeric.push(Float64Array.from(v, (x) => (x - s.lo) / s.range))
      } else {
        const v = c === undefined ? new Array<string | null>(n).fill(null) : stringValues(c, n)
        categorical.push(
          Int32Array.from(v, (t) => {
            if (t === null) return -1
            let code = s.index.get(t)
            if (code === undefined) {
              code = s.index.size
              s.index.set(t, code)
            }
            return code
          }),
        )
      }
    }
    return { numeric, categorical }
  }
}

/** For each query row, the Gower distance to its closest reference row. */
export function closestDistances(
  query: GowerEncoding,
  queryRows: Uint32Array,
  reference: GowerEncoding,
  referenceRows: Uint32Array,
): Float64Array {
  const p = query.numeric.length + query.categorical.length
  const out = new Float64Array(queryRows.length)
  for (let q = 0; q < queryRows.length; q++) {
    const qi = queryRows[q] as number
    let best = Number.POSITIVE_INFINITY
    for (let r = 0; r < referenceRows.length && best > 0; r++) {
      const ri = referenceRows[r] as number
      let d = 0
      for (let j = 0; j < query.numeric.length && d < best * p; j++) {
        const a = (query.numeric[j] as Float64Array)[qi] as number
        const b = (reference.numeric[j] as Float64Array)[ri] as number
        d +=
          !Number.isNaN(a) && !Number.isNaN(b)
            ? Math.min(1, Math.abs(a - b))
            : !Number.isNaN(a) || !Number.isNaN(b)
              ? 1
              : 0
      }
      for (let j = 0; j < query.categorical.length && d < best * p; j++) {
        if ((query.categorical[j] as Int32Array)[qi] !== (reference.categorical[j] as Int32Array)[ri]) d += 1
      }
      const dist = d / Math.max(1, p)
      if (dist < best) best = dist
    }
    out[q] = best
  }
  return out
}
