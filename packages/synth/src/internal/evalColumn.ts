import type { Column } from '@modelgate/core'

/** A column as the evaluation sees it: numbers (NaN = null) or category codes (-1 = null) over a shared dictionary. */
export type EvalColumn =
  | { readonly name: string; readonly type: 'numeric'; readonly real: Float64Array; readonly synthetic: Float64Array }
  | {
      readonly name: string
      readonly type: 'categorical'
      readonly dictionary: readonly string[]
      readonly real: Int32Array
      readonly synthetic: Int32Array
    }

export function numericValues(column: Column, n: number): Float64Array | null {
  if (column.kind !== 'numeric' && column.kind !== 'integer' && column.kind !== 'datetime' && column.kind !== 'boolean')
    return null
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++)
    out[i] = column.valid !== null && column.valid[i] === 0 ? Number.NaN : (column.values[i] as number)
  return out
}

export function stringValues(column: Column, n: number): (string | null)[] {
  const out: (string | null)[] = new Array(n)
  for (let i = 0; i < n; i++) {
    switch (column.kind) {
      case 'categorical': {
        const c = column.codes[i] as number
        out[i] = c < 0 ? null : (column.dictionary[c] ?? null)
        break
      }
      case 'text':
      case 'id':
        out[i] = column.values[i] ?? null
        break
      case 'boolean':
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1 ? 'true' : 'false'
        break
      default:
        out[i] = column.valid !== null && column.valid[i] === 0 ? null : String(column.values[i])
    }
  }
  return out
}

/** Pairs a real and a synthetic column; numeric when the real column is numeric/integer/datetime. */
export function toEvalColumn(real: Column, realRows: number, synthetic: Column, syntheticRows: number): EvalColumn {
  if (real.kind === 'numeric' || real.kind === 'integer' || real.kind === 'datetime') {
    const r = numericValues(real, realRows) as Float64Array
    let s = numericValues(synthetic, syntheticRows)
    if (s === null)
      s = Float64Array.from(stringValues(synthetic, syntheticRows), (v) => (v === null ? Number.NaN : Number(v)))
    return { name: real.name, type: 'numeric', real: r, synthetic: s }
  }
  const index = new Map<string, number>()
  const dictionary: string[] = []
  const encode = (values: (string | null)[]): Int32Array =>
    Int32Array.from(values, (v) => {
      if (v === null) return -1
      let code = index.get(v)
      if (code === undefined) {
        code = dictionary.length
        index.set(v, code)
        dictionary.push(v)
      }
      return code
    })
  const r = encode(stringValues(real, realRows))
  const s = encode(stringValues(synthetic, syntheticRows))
  return { name: real.name, type: 'categorical', dictionary, real: r, synthetic: s }
}
