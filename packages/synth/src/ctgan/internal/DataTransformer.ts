import type { Column, Table } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'
import type { BayesianGmmOptions } from './fitBayesianGmm.js'
import { fitBayesianGmm } from './fitBayesianGmm.js'
import type { Rng } from './Rng.js'

/**
 * The reversible data transformer of CTGAN (Xu et al. 2019, §4.2). A row becomes
 * `[α of each continuous column | mode one-hot of each continuous column | one-hot of each discrete column]`:
 * - continuous (numeric, integer, datetime): a Bayesian GMM per column; a mode is sampled from its posterior
 *   and the value is stored as α = (x − μ)/(4σ), clipped to ±0.99, plus the mode one-hot. A nullable column
 *   has one extra "null" mode.
 * - discrete (categorical, boolean): a one-hot over the categories kept. Categories seen fewer than `rareThreshold`
 *   times are never stored: they share one "(other)" slot. Nulls have their own slot.
 * All discrete spans come last and contiguous, so the conditional vector is that tail of a row.
 */
export interface ContinuousSpec {
  readonly type: 'continuous'
  readonly name: string
  readonly kind: 'numeric' | 'integer' | 'datetime'
  readonly format?: string
  readonly weights: readonly number[]
  readonly means: readonly number[]
  readonly stds: readonly number[]
  readonly hasNull: boolean
  readonly min: number
  readonly max: number
  /** Index of α in a row. */
  readonly alphaIndex: number
  /** Start and size of the mode one-hot (modes, then the null slot). */
  readonly spanStart: number
  readonly spanSize: number
}

export interface DiscreteSpec {
  readonly type: 'discrete'
  readonly name: string
  readonly kind: 'categorical' | 'boolean'
  /** Kept categories (seen at least `rareThreshold` times), in slot order. */
  readonly categories: readonly string[]
  /** A slot for the collapsed rare categories follows the kept ones. */
  readonly hasOther: boolean
  /** A null slot comes last. */
  readonly hasNull: boolean
  /** Row count per slot (true frequencies; rare ones summed). */
  readonly counts: readonly number[]
  readonly spanStart: number
  readonly spanSize: number
  /** Start of this column's span inside the conditional vector. */
  readonly condStart: number
}

export interface PassthroughSpec {
  readonly type: 'unlearned'
  readonly name: string
  readonly kind: Column['kind']
}

export type ColumnSpec = ContinuousSpec | DiscreteSpec | PassthroughSpec

export interface TransformerSpec {
  readonly columns: readonly ColumnSpec[]
  readonly numContinuous: number
  /** Width of an encoded row. */
  readonly dataDim: number
  /** Width of the conditional vector (all discrete spans). */
  readonly condDim: number
  /** Where the discrete spans start in a row. */
  readonly condOffset: number
  /** Rows seen at fit time. */
  readonly numRows: number
}

export const OTHER_LABEL = '(other)'

export interface TransformerOptions {
  /** Column names never learned (PII); text and id columns are never learned either. */
  readonly unlearned?: ReadonlySet<string>
  readonly rareThreshold?: number
  readonly gmm?: BayesianGmmOptions
}

export function fitDataTransformer(table: Table, options: TransformerOptions = {}): TransformerSpec {
  const unlearned = options.unlearned ?? new Set<string>()
  const k = options.rareThreshold ?? 5
  const n = table.numRows
  const continuous: Omit<ContinuousSpec, 'alphaIndex' | 'spanStart' | 'spanSize'>[] = []
  const discrete: Omit<DiscreteSpec, 'spanStart' | 'spanSize' | 'condStart'>[] = []
  const order: { type: 'continuous' | 'discrete' | 'unlearned'; index: number; column: Column }[] = []

  for (const column of table.columns) {
    if (unlearned.has(column.name) || column.kind === 'text' || column.kind === 'id') {
      order.push({ type: 'unlearned', index: -1, column })
      continue
    }
    if (column.kind === 'numeric' || column.kind === 'integer' || column.kind === 'datetime') {
      const { values, valid } = column
      const tally = new Map<number, number>()
      let min = Number.POSITIVE_INFINITY
      let max = Number.NEGATIVE_INFINITY
      let nulls = 0
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) {
          nulls++
          continue
        }
        const v = values[i]!
        tally.set(v, (tally.get(v) ?? 0) + 1)
        if (v < min) min = v
        if (v > max) max = v
      }
      if (tally.size === 0) {
        throw new ModelGateError('MG_SYNTH_EMPTY_COLUMN', `Column "${column.name}" has no values: every row is null.`, {
          hint: 'Drop the column or mark it as PII so it is re-synthesized instead of learned.',
          location: { column: column.name },
        })
      }
      const uniques = Float64Array.from(tally.keys())
      const counts = new Float64Array(uniques.length)
      for (let i = 0; i < uniques.length; i++) counts[i] = tally.get(uniques[i]!)!
      const modes = fitBayesianGmm(uniques, counts, options.gmm)
      continuous.push({
        type: 'continuous',
        name: column.name,
        kind: column.kind,
        ...(column.kind === 'datetime' ? { format: column.format } : {}),
        weights: Array.from(modes.weights),
        means: Array.from(modes.means),
        stds: Array.from(modes.stds),
        hasNull: nulls > 0,
        min,
        max,
      })
      order.push({ type: 'continuous', index: continuous.length - 1, column })
      continue
    }
    // Discrete: categorical or boolean.
    const labels = column.kind === 'boolean' ? ['false', 'true'] : column.dictionary
    const tally = new Float64Array(labels.length)
    let nulls = 0
    if (column.kind === 'boolean') {
      for (let i = 0; i < n; i++) {
        if (column.valid !== null && column.valid[i] === 0) nulls++
        else tally[column.values[i]! ? 1 : 0]!++
      }
    } else {
      for (let i = 0; i < n; i++) {
        const c = column.codes[i]!
        if (c < 0) nulls++
        else tally[c]!++
      }
    }
    const categories: string[] = []
    const counts: number[] = []
    let other = 0
    for (let c = 0; c < labels.length; c++) {
      const t = tally[c]!
      if (t === 0) continue
      if (t < k && column.kind !== 'boolean') other += t
      else {
        categories.push(labels[c]!)
        counts.push(t)
      }
    }
    if (other > 0) counts.push(other)
    if (nulls > 0) counts.push(nulls)
    if (counts.length === 0) {
      throw new ModelGateError('MG_SYNTH_EMPTY_COLUMN', `Column "${column.name}" has no values: every row is null.`, {
        hint: 'Drop the column or mark it as PII so it is re-synthesized instead of learned.',
        location: { column: column.name },
      })
    }
    discrete.push({ type: 'discrete', name: column.name, kind: column.kind, categories, hasOther: other > 0, hasNull: nulls > 0, counts })
    order.push({ type: 'discrete', index: discrete.length - 1, column })
  }

  // Layout: α block, then continuous mode spans, then discrete spans.
  let offset = continuous.length
  const contSpecs: ContinuousSpec[] = continuous.map((c, i) => {
    const spanSize = c.weights.length + (c.hasNull ? 1 : 0)
    const spec = { ...c, alphaIndex: i, spanStart: offset, spanSize }
    offset += spanSize
    return spec
  })
  const condOffset = offset
  const discSpecs: DiscreteSpec[] = discrete.map((d) => {
    const spec = { ...d, spanStart: offset, spanSize: d.counts.length, condStart: offset - condOffset }
    offset += d.counts.length
    return spec
  })
  const columns: ColumnSpec[] = order.map((o) =>
    o.type === 'continuous'
      ? contSpecs[o.index]!
      : o.type === 'discrete'
        ? discSpecs[o.index]!
        : { type: 'unlearned', name: o.column.name, kind: o.column.kind },
  )
  return { columns, numContinuous: contSpecs.length, dataDim: offset, condDim: offset - condOffset, condOffset, numRows: n }
}

export interface EncodedTable {
  /** Row-major [numRows, dataDim]. */
  readonly data: Float32Array
  /** For each discrete column (in span order), for each slot, the rows holding it. */
  readonly rowsBySlot: readonly (readonly Int32Array[])[]
}

/** Encodes a table the transformer was fitted on (or one with the same columns). */
export function encodeTable(spec: TransformerSpec, table: Table, rng: Rng): EncodedTable {
  const n = table.numRows
  const dim = spec.dataDim
  const data = new Float32Array(n * dim)
  const byName = new Map(table.columns.map((c) => [c.name, c]))
  const rowsBySlot: Int32Array[][] = []
  for (const s of spec.columns) {
    if (s.type === 'unlearned') continue
    const column = byName.get(s.name)
    if (column === undefined) {
      throw new ModelGateError('MG_SYNTH_COLUMN_MISSING', `Column "${s.name}" is missing from the table.`, { location: { column: s.name } })
    }
    if (s.type === 'continuous') {
      if (column.kind !== 'numeric' && column.kind !== 'integer' && column.kind !== 'datetime') continue
      const k = s.weights.length
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
        let max = Number.NEGATIVE_INFINITY
        for (let j = 0; j < k; j++) {
          const z = (v - s.means[j]!) * inv[j]!
          const lp = logW[j]! - 0.5 * z * z
          p[j] = lp
          if (lp > max) max = lp
        }
        let sum = 0
        for (let j = 0; j < k; j++) {
          p[j] = Math.exp(p[j]! - max)
          sum += p[j]!
        }
        let u = rng.uniform() * sum
        let mode = k - 1
        for (let j = 0; j < k; j++) {
          u -= p[j]!
          if (u < 0) {
            mode = j
            break
          }
        }
        const alpha = (v - s.means[mode]!) * inv[mode]! * 0.25
        data[row + s.alphaIndex] = alpha > 0.99 ? 0.99 : alpha < -0.99 ? -0.99 : alpha
        data[row + s.spanStart + mode] = 1
      }
      continue
    }
    // discrete
    const slotOf = discreteSlotMap(s, column)
    const slots = new Int32Array(n)
    const tally = new Int32Array(s.spanSize)
    for (let i = 0; i < n; i++) {
      const slot = slotOf(i)
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

function discreteSlotMap(s: DiscreteSpec, column: Column): (row: number) => number {
  const nullSlot = s.spanSize - 1
  const otherSlot = s.categories.length
  if (column.kind === 'boolean') {
    const f = s.categories.indexOf('false')
    const t = s.categories.indexOf('true')
    return (i) => (column.valid !== null && column.valid[i] === 0 ? nullSlot : column.values[i] ? t : f)
  }
  if (column.kind !== 'categorical') {
    throw new ModelGateError('MG_SYNTH_COLUMN_KIND', `Column "${s.name}" was categorical when the model was trained, now ${column.kind}.`, {
      location: { column: s.name },
    })
  }
  const index = new Map(s.categories.map((c, j) => [c, j]))
  const map = Int32Array.from(column.dictionary, (label) => index.get(label) ?? otherSlot)
  return (i) => {
    const c = column.codes[i]!
    return c < 0 ? nullSlot : map[c]!
  }
}
