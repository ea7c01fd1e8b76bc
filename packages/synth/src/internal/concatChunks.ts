import type { BooleanColumn, CategoricalColumn, Column, NumericColumn, Table } from '@modelgate/core'

/**
 * Appends chunks produced by one model (same columns, kinds and dictionaries, so column j has one kind in every
 * chunk) with typed-array copies; much cheaper than a general concatenation that has to merge dictionaries.
 */
export function concatChunks(chunks: readonly Table[]): Table {
  const first = chunks[0]
  if (first === undefined) return { numRows: 0, columns: [] }
  if (chunks.length === 1) return first
  const numRows = chunks.reduce((s, c) => s + c.numRows, 0)
  const columns = first.columns.map((col, j): Column => {
    const parts = chunks.map((c) => c.columns[j] as Column)
    switch (col.kind) {
      case 'categorical': {
        const codes = new Int32Array(numRows)
        let offset = 0
        for (const p of parts as CategoricalColumn[]) {
          codes.set(p.codes, offset)
          offset += p.codes.length
        }
        return { ...col, codes }
      }
      case 'text':
      case 'id': {
        const values: (string | null)[] = []
        for (const p of parts) if (p.kind === 'text' || p.kind === 'id') for (const v of p.values) values.push(v)
        return { ...col, values }
      }
      case 'boolean': {
        const values = new Uint8Array(numRows)
        const valid = parts.some((p) => p.kind === 'boolean' && p.valid !== null)
          ? new Uint8Array(numRows).fill(1)
          : null
        let offset = 0
        for (const p of parts as BooleanColumn[]) {
          values.set(p.values, offset)
          if (valid !== null && p.valid !== null) valid.set(p.valid, offset)
          offset += p.values.length
        }
        return { ...col, values, valid }
      }
      default: {
        const values = new Float64Array(numRows)
        const valid = parts.some((p) => 'valid' in p && p.valid !== null) ? new Uint8Array(numRows).fill(1) : null
        let offset = 0
        for (const p of parts as NumericColumn[]) {
          values.set(p.values, offset)
          if (valid !== null && p.valid !== null) valid.set(p.valid, offset)
          offset += p.values.length
        }
        return { ...col, values, valid }
      }
    }
  })
  return { numRows, columns }
}
