import type { Table } from '@modelgate/core'
import { SynthError } from '../../../errors.js'
import type { ColumnModel } from '../../../modelFile.js'
import type { Rng } from '../Rng.js'
import { kindChanged, slotMapper } from './slotMapper.js'
import type { EncodedTable, TransformerSpec } from './TransformerSpec.js'

/** Encodes a table the transformer was fitted on (or one with the same columns). */
export function encodeTable(
  spec: TransformerSpec,
  modelColumns: readonly ColumnModel[],
  table: Table,
  rng: Rng,
): EncodedTable {
  const models = new Map(modelColumns.map((m) => [m.name, m]))
  const n = table.numRows
  const dim = spec.dataDim
  const data = new Float32Array(n * dim)
  const byName = new Map(table.columns.map((c) => [c.name, c]))
  const rowsBySlot: Int32Array[][] = []
  for (const s of spec.columns) {
    if (s.type === 'unlearned' || s.type === 'derived') continue
    const column = byName.get(s.name)
    if (column === undefined) {
      throw new SynthError(
        'MG_SYNTH_CHECKPOINT_MISMATCH',
        `Column "${s.name}" of the model is missing from the training data.`,
        {
          hint: 'Resume a checkpoint with the data it was trained on.',
          location: { column: s.name },
        },
      )
    }
    if (s.type === 'continuous') {
      if (column.kind !== 'numeric' && column.kind !== 'integer' && column.kind !== 'datetime') continue
      const k = s.weights.length
      const first = s.pointMasses
      const massIndex = new Map(s.means.slice(0, first).map((v, j) => [v, j]))
      const logW = s.weights.map((w, j) => Math.log(w) - Math.log(s.stds[j]!))
      const inv = s.stds.map((sd) => 1 / sd)
      const p = new Float64Array(k)
      for (let i = 0; i < n; i++) {
        const row = i * dim
        if (column.valid !== null && column.valid[i] === 0) {
          data[row + s.spanStart + k] = 1
          continue
        }
        const v = column.values[i]!
        const mass = massIndex.get(v)
        if (mass !== undefined || first === k) {
          // α stays 0 for a point mass (a value that is not one cannot occur when every mode is a mass).
          data[row + s.spanStart + (mass ?? 0)] = 1
          continue
        }
        let max = Number.NEGATIVE_INFINITY
        for (let j = first; j < k; j++) {
          const z = (v - s.means[j]!) * inv[j]!
          const lp = logW[j]! - 0.5 * z * z
          p[j] = lp
          if (lp > max) max = lp
        }
        let sum = 0
        for (let j = first; j < k; j++) {
          p[j] = Math.exp(p[j]! - max)
          sum += p[j]!
        }
        let u = rng.uniform() * sum
        let mode = k - 1
        for (let j = first; j < k; j++) {
          u -= p[j]!
          if (u < 0) {
            mode = j
            break
          }
        }
        const alpha = (v - s.means[mode]!) * inv[mode]! * 0.25
        data[row + s.alphaIndex] = Math.min(0.99, Math.max(-0.99, alpha))
        data[row + s.spanStart + mode] = 1
      }
      continue
    }
    // discrete
    const model = models.get(s.name)!
    if (model.kind !== 'categorical' && model.kind !== 'boolean') throw kindChanged(s.name, column.kind)
    const slotOf = slotMapper(model, column, rng)
    const nullSlot = s.spanSize - 1
    const slots = new Int32Array(n)
    const tally = new Int32Array(s.spanSize)
    for (let i = 0; i < n; i++) {
      let slot = slotOf(i)
      if (slot < 0) slot = s.hasNull ? nullSlot : 0 // (a rare row when every kept category has zero weight)
      slots[i] = slot
      tally[slot]!++
      data[i * dim + s.spanStart + slot] = 1
    }
    const lists = Array.from(tally, (t) => new Int32Array(t))
    const fill = new Int32Array(s.spanSize)
    for (let i = 0; i < n; i++) {
      const slot = slots[i]!
      lists[slot]![fill[slot]!++] = i
    }
    rowsBySlot.push(lists)
  }
  return { data, rowsBySlot }
}
