import type { Column, Table } from '@modelgate/core'
import { regeneratedColumn } from '../../../internal/regeneratedColumn.js'
import type { ColumnModel } from '../../../modelFile.js'
import type { CtganSection } from '../ctganSection.js'
import type { Rng } from '../Rng.js'
import type { Decoded } from './decodeRows.js'

type SpecColumn = CtganSection['transformer']['columns'][number]
type DerivedSpec = Extract<SpecColumn, { type: 'derived' }>

/**
 * The chunk's table: decoded learned columns in their output kinds (categorical, boolean, numeric, datetime),
 * derived columns from the slots of the column they follow, and PII columns generated fresh (never learned).
 */
export function finishTable(
  models: readonly ColumnModel[],
  specs: CtganSection['transformer']['columns'],
  decoded: Decoded,
  rows: number,
  rowOffset: number,
  seed: number,
  chunk: number,
  rng: Rng,
): Table {
  let draws: Float64Array | null = null
  const columns: Column[] = models.map((model, index): Column => {
    const s = specs[index]!
    if (model.kind === 'pii' || model.kind === 'text') {
      let isNull: Uint8Array | null = null
      if (model.nullRate > 0) {
        draws ??= new Float64Array(rows)
        rng.fillUniform64(draws, 0, rows)
        isNull = new Uint8Array(rows)
        for (let r = 0; r < rows; r++) isNull[r] = draws[r]! < model.nullRate ? 1 : 0
      }
      return regeneratedColumn(model, { rows, rowOffset, seed, chunk, column: index, isNull })
    }
    if (s.type === 'derived') return derivedColumn(model, s, decoded.codes[s.from] ?? null, rows)
    const codes = decoded.codes[index] ?? null
    if (s.type === 'discrete' || model.kind === 'categorical' || model.kind === 'boolean') {
      if (model.kind === 'boolean') {
        const values = new Uint8Array(rows)
        const valid = new Uint8Array(rows)
        let anyNull = codes === null
        if (codes !== null && s.type === 'discrete') {
          const trueSlot = s.labels.indexOf('true')
          for (let r = 0; r < rows; r++) {
            const code = codes[r]!
            values[r] = code === trueSlot && code >= 0 ? 1 : 0
            valid[r] = code >= 0 ? 1 : 0
            if (code < 0) anyNull = true
          }
        }
        return { kind: 'boolean', name: model.name, values, valid: anyNull ? valid : null }
      }
      const labels = s.type === 'discrete' ? s.labels : []
      return {
        kind: 'categorical',
        name: model.name,
        codes: codes ?? new Int32Array(rows).fill(-1),
        dictionary: labels,
      }
    }
    const values = decoded.values[index] ?? new Float64Array(rows)
    const valid = decoded.valid[index] ?? new Uint8Array(rows)
    let anyNull = false
    for (let r = 0; r < rows; r++) {
      if (valid[r] === 0) {
        anyNull = true
        break
      }
    }
    if (model.kind === 'datetime')
      return {
        kind: 'datetime',
        name: model.name,
        values,
        valid: anyNull ? valid : null,
        format: model.format ?? 'iso',
      }
    return { kind: model.kind, name: model.name, values, valid: anyNull ? valid : null }
  })
  return { numRows: rows, columns }
}

/** A derived column from the slots its source column drew (−1, null, is the source's last slot when it has one). */
function derivedColumn(model: ColumnModel, s: DerivedSpec, codes: Int32Array | null, rows: number): Column {
  const nullSlot = s.values.length - 1
  const valueAt = (r: number): number | string | null => {
    const code = codes === null ? -1 : codes[r]!
    return (code >= 0 ? s.values[code] : s.values[nullSlot]) ?? null
  }
  if (model.kind === 'categorical') {
    const dictionary = [...new Set(s.values.filter((v): v is string => typeof v === 'string'))]
    const codeOf = new Map(dictionary.map((label, j) => [label, j]))
    const out = new Int32Array(rows)
    for (let r = 0; r < rows; r++) {
      const v = valueAt(r)
      out[r] = typeof v === 'string' ? codeOf.get(v)! : -1
    }
    return { kind: 'categorical', name: model.name, codes: out, dictionary }
  }
  const values = model.kind === 'boolean' ? new Uint8Array(rows) : new Float64Array(rows)
  const valid = new Uint8Array(rows)
  let anyNull = false
  for (let r = 0; r < rows; r++) {
    const v = valueAt(r)
    if (v === null) anyNull = true
    else {
      values[r] = model.kind === 'boolean' ? (v === 'true' ? 1 : 0) : Number(v)
      valid[r] = 1
    }
  }
  if (model.kind === 'boolean')
    return { kind: 'boolean', name: model.name, values: values as Uint8Array, valid: anyNull ? valid : null }
  const kind = model.kind === 'integer' ? 'integer' : 'numeric'
  return { kind, name: model.name, values: values as Float64Array, valid: anyNull ? valid : null }
}
