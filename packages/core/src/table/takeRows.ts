import type { Column, Table } from '../Table.js'

/** The rows at `indices`, in that order (a columnar gather: typed-array copies, dictionaries shared). */
export function takeRows(table: Table, indices: Uint32Array | readonly number[]): Table {
  const n = indices.length
  const columns: Column[] = table.columns.map((c): Column => {
    switch (c.kind) {
      case 'categorical': {
        const codes = new Int32Array(n)
        for (let i = 0; i < n; i++) codes[i] = c.codes[indices[i] as number] as number
        return { ...c, codes }
      }
      case 'text':
      case 'id':
        return { ...c, values: Array.from(indices, (i) => c.values[i] ?? null) }
      case 'boolean': {
        const values = new Uint8Array(n)
        for (let i = 0; i < n; i++) values[i] = c.values[indices[i] as number] as number
        return { ...c, values, valid: gatherMask(c.valid, indices) }
      }
      default: {
        const values = new Float64Array(n)
        for (let i = 0; i < n; i++) values[i] = c.values[indices[i] as number] as number
        return { ...c, values, valid: gatherMask(c.valid, indices) }
      }
    }
  })
  return { numRows: n, columns }
}

function gatherMask(valid: Uint8Array | null, indices: Uint32Array | readonly number[]): Uint8Array | null {
  if (valid === null) return null
  return Uint8Array.from(indices, (i) => valid[i] as number)
}
