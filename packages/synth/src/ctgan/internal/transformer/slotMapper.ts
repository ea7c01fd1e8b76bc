import type { Column } from '@modelgate/core'
import { SynthError } from '../../../errors.js'
import type { BooleanColumnModel, CategoricalColumnModel } from '../../../modelFile.js'
import type { Rng } from '../Rng.js'

export function discreteLabels(model: CategoricalColumnModel): string[] {
  const labels = model.categories.map((c) => c.value)
  if (model.rare.mode === 'other' && model.rare.label !== null) labels.push(model.rare.label)
  return labels
}

export function kindChanged(name: string, kind: string): SynthError {
  return new SynthError('MG_SYNTH_MODEL_CORRUPT', `Column "${name}" is ${kind} in the data but profiled differently.`, {
    location: { column: name },
  })
}

export const NULL_SLOT = -1
export const RARE_DROPPED = -3

/**
 * Slot of each row for a discrete column: a kept category's index, the rare label's slot, or NULL_SLOT.
 * Rows holding a rare category the model drops get a kept category drawn by frequency (needs `rng`,
 * else RARE_DROPPED).
 */
export function slotMapper(
  model: CategoricalColumnModel | BooleanColumnModel,
  column: Column,
  rng: Rng | null,
): (row: number) => number {
  if (model.kind === 'boolean') {
    if (column.kind !== 'boolean') throw kindChanged(model.name, column.kind)
    return (i) => (column.valid !== null && column.valid[i] === 0 ? -1 : column.values[i] ? 1 : 0)
  }
  const index = new Map(model.categories.map((c, j) => [c.value, j]))
  const otherSlot = model.rare.mode === 'other' && model.rare.label !== null ? model.categories.length : -2
  const cdf = new Float64Array(model.categories.length)
  let acc = 0
  model.categories.forEach((c, j) => {
    acc += c.p
    cdf[j] = acc
  })
  const rare = (): number => {
    if (otherSlot >= 0) return otherSlot
    if (rng === null || acc <= 0) return RARE_DROPPED
    const u = rng.uniform() * acc
    let j = 0
    while (j < cdf.length - 1 && cdf[j]! <= u) j++
    return j
  }
  if (column.kind === 'categorical') {
    const map = Int32Array.from(column.dictionary, (label) => index.get(label) ?? -2)
    return (i) => {
      const c = column.codes[i]!
      if (c < 0) return -1
      const slot = map[c]!
      return slot === -2 ? rare() : slot
    }
  }
  if (column.kind === 'text' || column.kind === 'id') {
    return (i) => {
      const v = column.values[i]
      if (v === null || v === undefined) return -1
      const slot = index.get(v)
      return slot === undefined ? rare() : slot
    }
  }
  throw kindChanged(model.name, column.kind)
}
