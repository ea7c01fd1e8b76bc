import type { Table } from '@modelgate/core'
import type { ColumnModel } from '../../../modelFile.js'
import { discreteLabels, NULL_SLOT, RARE_DROPPED, slotMapper } from './slotMapper.js'
import type { DerivedSpec } from './TransformerSpec.js'

/**
 * Columns that are a function of a discrete column over every training row (nulls included): numeric ones (a
 * code's number, Adult's education-num of education) and discrete ones (a code and its name, a zip and its
 * state, a category and its risk flag), each value held by at least `minCount` rows. Rows in a category the
 * model drops (rare, never stored) are left out of the check: they are generated as kept categories, with the
 * value that category maps to. The first qualifying source in column order wins; a derived column is never a
 * source itself, and of two discrete columns that determine each other the earlier one stays learned.
 */
export function findDerivedColumns(
  table: Table,
  models: readonly ColumnModel[],
  minCount: number,
): Map<number, DerivedSpec> {
  const n = table.numRows
  const byName = new Map(table.columns.map((c) => [c.name, c]))
  const discrete: DiscreteSlots[] = []
  models.forEach((model, index) => {
    const column = byName.get(model.name)
    if (column === undefined || model.nullRate >= 1 || (model.kind !== 'categorical' && model.kind !== 'boolean'))
      return
    const labels = model.kind === 'boolean' ? ['false', 'true'] : discreteLabels(model)
    const slotOf = slotMapper(model, column, null)
    const slots = new Int32Array(n)
    let hasNull = false
    for (let i = 0; i < n; i++) {
      const slot = slotOf(i)
      if (slot === NULL_SLOT) hasNull = true
      // A row in a category the model drops has no stored slot: it says nothing about the mapping.
      slots[i] = slot === RARE_DROPPED ? -1 : slot === NULL_SLOT ? labels.length : slot
    }
    discrete.push({ index, labels, slots, size: labels.length + 1, hasNull })
  })
  const out = new Map<number, DerivedSpec>()
  const isSource = new Set<number>()
  const derive = (target: number, name: string, source: DiscreteSlots, values: (number | string | null)[]): void => {
    out.set(target, {
      type: 'derived',
      name,
      from: source.index,
      values: source.hasNull ? values : values.slice(0, -1),
    })
    isSource.add(source.index)
  }
  for (const target of discrete) {
    if (isSource.has(target.index)) continue
    const labelAt = (i: number): number | null | undefined => {
      const slot = target.slots[i]!
      return slot < 0 ? undefined : slot === target.labels.length ? null : slot
    }
    for (const source of discrete) {
      if (source === target || out.has(source.index)) continue
      const follow = followSlots(source, n, labelAt, minCount)
      if (follow === null) continue
      // Two columns that determine each other: the later one follows the earlier, not the other way round.
      if (source.index > target.index && follow.distinct === follow.slotsSeen) continue
      derive(
        target.index,
        models[target.index]!.name,
        source,
        Array.from(follow.values, (v) => (v === null ? null : target.labels[v]!)),
      )
      break
    }
  }
  models.forEach((model, index) => {
    const column = byName.get(model.name)
    if (
      column === undefined ||
      model.nullRate >= 1 ||
      (model.kind !== 'numeric' && model.kind !== 'integer') ||
      (column.kind !== 'numeric' && column.kind !== 'integer')
    )
      return
    const valueAt = (i: number): number | null =>
      column.valid !== null && column.valid[i] === 0 ? null : column.values[i]!
    for (const source of discrete) {
      if (out.has(source.index)) continue
      const follow = followSlots(source, n, valueAt, minCount)
      if (follow === null) continue
      derive(index, model.name, source, follow.values)
      return
    }
  })
  return out
}

/** A stored discrete column's slot per row: its labels, then null (−1: a row in a dropped rare category). */
interface DiscreteSlots {
  readonly index: number
  readonly labels: readonly string[]
  readonly slots: Int32Array
  /** Labels + 1 (the null slot). */
  readonly size: number
  readonly hasNull: boolean
}

/**
 * The one value `valueAt` gives in every row of each slot of `source` (null: a null), or null when some slot
 * sees two values, when a slot is held by fewer than `minCount` rows, when a slot's rows are all skipped
 * (`valueAt` undefined) or when every slot gives the same value (a constant is not worth a mapping).
 */
function followSlots(
  source: DiscreteSlots,
  n: number,
  valueAt: (row: number) => number | null | undefined,
  minCount: number,
): { values: (number | null)[]; distinct: number; slotsSeen: number } | null {
  const values: (number | null)[] = new Array(source.size).fill(null)
  const state = new Uint8Array(source.size) // 0 unseen, 1 a value, 2 null
  const rows = new Int32Array(source.size)
  const kept = new Int32Array(source.size)
  for (let i = 0; i < n; i++) {
    const slot = source.slots[i]!
    if (slot < 0) continue
    rows[slot]!++
    const v = valueAt(i)
    if (v === undefined) continue
    kept[slot]!++
    if (state[slot] === 0) {
      state[slot] = v === null ? 2 : 1
      values[slot] = v
    } else if (v === null ? state[slot] !== 2 : state[slot] !== 1 || values[slot] !== v) return null
  }
  const distinct = new Set<number>()
  let slotsSeen = 0
  for (let slot = 0; slot < source.size; slot++) {
    if (rows[slot] === 0) continue
    if (rows[slot]! < minCount || kept[slot] === 0) return null
    slotsSeen++
    if (state[slot] === 1) distinct.add(values[slot]!)
  }
  if (distinct.size < 2) return null
  return { values, distinct: distinct.size + (state.includes(2) ? 1 : 0), slotsSeen }
}
