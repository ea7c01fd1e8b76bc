import type { Column, Table } from '@modelgate/core'
import { SynthError } from '../../errors.js'
import type { BooleanColumnModel, CategoricalColumnModel, ColumnModel } from '../../modelFile.js'
import type { BayesianGmmOptions } from './fitBayesianGmm.js'
import { fitBayesianGmm } from './fitBayesianGmm.js'
import type { Rng } from './Rng.js'

/**
 * The reversible data transformer of CTGAN (Xu et al. 2019, §4.2). A row becomes
 * `[α of each continuous column | mode one-hot of each continuous column | one-hot of each discrete column]`:
 * - continuous (numeric, integer, datetime): a Bayesian GMM per column; a mode is sampled from its posterior
 *   and the value is stored as α = (x − μ)/(4σ), clipped to ±0.99, plus the mode one-hot. A nullable column
 *   has one extra "null" mode.
 * - discrete (categorical, boolean): a one-hot over the categories the profile kept (categories seen fewer
 *   than k times are never stored), plus the rare bucket when the profile collapses them. Nulls have a slot.
 * All discrete spans come last and contiguous, so the conditional vector is that tail of a row.
 */
export interface ContinuousSpec {
  readonly type: 'continuous'
  readonly name: string
  readonly kind: 'numeric' | 'integer' | 'datetime'
  /** The first `pointMasses` modes are exact values (σ = 0, α = 0); the others come from the Bayesian GMM. */
  readonly pointMasses: number
  readonly weights: readonly number[]
  readonly means: readonly number[]
  readonly stds: readonly number[]
  readonly hasNull: boolean
  /** Output bounds and rounding, from the column's profile (schema bounds applied). */
  readonly min: number
  readonly max: number
  readonly decimals: number | null
  readonly roundTo: number | null
  /** Index of α in a row. */
  readonly alphaIndex: number
  /** Start and size of the mode one-hot (modes, then the null slot). */
  readonly spanStart: number
  readonly spanSize: number
  /**
   * Quantile maps for values drawn from the Gaussian modes (not the point masses), one per mode (index: slot −
   * pointMasses): `real` holds the quantiles, at the probabilities (i + ½)/K — midpoints, never an extreme
   * row — of the training values that mode explains best, and `generated` the same quantiles of the values the
   * trained generator draws from that mode (filled in by the calibration after training; empty: no map). A
   * generated value x becomes real⁻¹-interpolated(generated(x)) within its mode: each mode's values are
   * matched, their order kept, and no value leaves its mode's range — the mode carries the column's
   * dependence on the others (one map for the whole column moved values across modes, e.g. Adult's
   * capital-gain into its 99,999 cluster, and cost ~0.009 TSTR AUC on Adult).
   */
  readonly modeMaps?: readonly { readonly real: readonly number[]; readonly generated: readonly number[] }[]
  /** One map for the column's Gaussian-mode values: models written before modeMaps (read, never written). */
  readonly valueMap?: { readonly real: readonly number[]; readonly generated: readonly number[] }
}

export interface DiscreteSpec {
  readonly type: 'discrete'
  readonly name: string
  readonly kind: 'categorical' | 'boolean'
  /** Output labels per slot, excluding the null slot: the kept categories, then the rare bucket's label if any. */
  readonly labels: readonly string[]
  /** A null slot comes last. */
  readonly hasNull: boolean
  /** Row count per slot (true frequencies). */
  readonly counts: readonly number[]
  readonly spanStart: number
  readonly spanSize: number
  /** Start of this column's span inside the conditional vector. */
  readonly condStart: number
}

/** A column the GAN does not learn: PII (re-synthesized fresh) or one that is always null. */
export interface UnlearnedSpec {
  readonly type: 'unlearned'
  readonly name: string
}

/**
 * A column that is a function of a discrete column in every training row — a numeric one (Adult's education-num
 * of education) or a discrete one (a code and its name, a category and its flag): not learned, but set from that
 * column's generated slot, so the two always agree. A generator that draws each span independently otherwise
 * pairs "Bachelors" with 9 as often as its probabilities overlap (measured: 70 % of generated rows paired an
 * occupation with another occupation's code after 20 epochs on Adult). The automatic form of a fixed-combination
 * constraint; a value is stored only if at least k rows hold it.
 */
export interface DerivedSpec {
  readonly type: 'derived'
  readonly name: string
  /** Index (among the columns) of the discrete column it follows. */
  readonly from: number
  /**
   * The value for each slot of that column (its labels, then its null slot if it has one); null for null. A
   * number for a numeric column, a stored label for a categorical one ('true'/'false' for a boolean).
   */
  readonly values: readonly (number | string | null)[]
}

export type ColumnSpec = ContinuousSpec | DiscreteSpec | UnlearnedSpec | DerivedSpec

export interface TransformerSpec {
  /** One per column of the model file, same order. */
  readonly columns: readonly ColumnSpec[]
  readonly numContinuous: number
  /** Width of an encoded row. */
  readonly dataDim: number
  /** Width of the conditional vector (all discrete spans). */
  readonly condDim: number
  /** Where the discrete spans start in a row. */
  readonly condOffset: number
}

export interface TransformerOptions {
  readonly gmm?: BayesianGmmOptions
  /**
   * A value held by at least this share of a column's non-null rows becomes an exact point-mass mode
   * (default 0.1; 1 or more disables). An extension of the paper's mode-specific normalization: a spike
   * such as the ~92% zeros of Adult's capital-gain would otherwise be a Gaussian mode whose posterior σ the
   * prior keeps wide, so generated values scatter around the spike instead of hitting it.
   */
  readonly pointMassShare?: number
  /**
   * A numeric column with at most this many distinct values (default 32; 0 disables) is discrete-valued
   * (Adult's education-num has 16): each of its values held by at least `minCount` rows becomes a point-mass
   * mode, so the generator picks values instead of approximating a comb of spikes with Gaussians. This is
   * the mixed-type encoding of CTAB-GAN (Zhao et al. 2021) carried to every value of a discrete column.
   */
  readonly discreteValues?: number
  /** Fewest rows a value needs to become a point mass (the privacy k: a rare value is never stored). Default 1. */
  readonly minCount?: number
  /** Detect numeric columns that are functions of a discrete column and derive them (DerivedSpec). Default true. */
  readonly derive?: boolean
}

/**
 * Fits the transformer on a table whose columns were profiled into `models` (the shared synth model
 * columns): the privacy rules are theirs — PII columns are not learned, categories seen fewer than k times
 * are never stored (collapsed into the model's rare label, or, when the model drops them, their rows are
 * given a kept category drawn by frequency at encoding time).
 */
export function fitDataTransformer(
  table: Table,
  models: readonly ColumnModel[],
  options: TransformerOptions = {},
): TransformerSpec {
  const n = table.numRows
  const byName = new Map(table.columns.map((c) => [c.name, c]))
  type Pending =
    | { readonly kind: 'continuous'; readonly spec: Omit<ContinuousSpec, 'alphaIndex' | 'spanStart' | 'spanSize'> }
    | { readonly kind: 'discrete'; readonly spec: Omit<DiscreteSpec, 'spanStart' | 'spanSize' | 'condStart'> }
    | { readonly kind: 'unlearned'; readonly spec: UnlearnedSpec }
    | { readonly kind: 'derived'; readonly spec: DerivedSpec }
  const pending: Pending[] = []
  const derived =
    options.derive === false ? new Map<number, DerivedSpec>() : findDerivedColumns(table, models, options.minCount ?? 1)
  for (const [index, model] of models.entries()) {
    const column = byName.get(model.name)
    const follows = derived.get(index)
    if (follows !== undefined) {
      pending.push({ kind: 'derived', spec: follows })
      continue
    }
    if (column === undefined || model.kind === 'pii' || model.nullRate >= 1) {
      pending.push({ kind: 'unlearned', spec: { type: 'unlearned', name: model.name } })
      continue
    }
    if (model.kind === 'numeric' || model.kind === 'integer' || model.kind === 'datetime') {
      if (column.kind !== 'numeric' && column.kind !== 'integer' && column.kind !== 'datetime')
        throw kindChanged(model.name, column.kind)
      const { values, valid } = column
      const tally = new Map<number, number>()
      let nulls = 0
      for (let i = 0; i < n; i++) {
        if (valid !== null && valid[i] === 0) nulls++
        else tally.set(values[i]!, (tally.get(values[i]!) ?? 0) + 1)
      }
      if (tally.size === 0) {
        pending.push({ kind: 'unlearned', spec: { type: 'unlearned', name: model.name } })
        continue
      }
      // Point masses (values held by ≥ pointMassShare of the rows, e.g. the zeros of a zero-inflated column)
      // become exact modes; the Bayesian GMM models the remaining values.
      const present = n - nulls
      const share = options.pointMassShare ?? 0.1
      const minCount = options.minCount ?? 1
      const discreteValued = tally.size <= (options.discreteValues ?? 32)
      const masses = [...tally]
        .filter(([, c]) => c >= minCount && (discreteValued || (share <= 1 && c >= share * present)))
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, discreteValued ? tally.size : (options.gmm?.maxModes ?? 10))
      const isMass = new Set(masses.map(([v]) => v))
      const rest = [...tally].filter(([v]) => !isMass.has(v))
      const restTotal = rest.reduce((sum, [, c]) => sum + c, 0)
      const modes =
        rest.length === 0
          ? { weights: new Float64Array(0), means: new Float64Array(0), stds: new Float64Array(0) }
          : fitBayesianGmm(
              Float64Array.from(rest, ([v]) => v),
              Float64Array.from(rest, ([, c]) => c),
              {
                ...options.gmm,
                // Mode weights are shares of the whole column: the threshold applies to the GMM's part of it.
                weightThreshold: Math.min(1, ((options.gmm?.weightThreshold ?? 0.005) * present) / restTotal),
              },
            )
      let lo = Number.POSITIVE_INFINITY
      let hi = Number.NEGATIVE_INFINITY
      for (const u of tally.keys()) {
        if (u < lo) lo = u
        if (u > hi) hi = u
      }
      pending.push({
        kind: 'continuous',
        spec: {
          type: 'continuous',
          name: model.name,
          kind: model.kind,
          pointMasses: masses.length,
          weights: [
            ...masses.map(([, c]) => c / present),
            ...Array.from(modes.weights, (w) => (w * restTotal) / present),
          ],
          means: [...masses.map(([v]) => v), ...modes.means],
          stds: [...masses.map(() => 0), ...modes.stds],
          hasNull: nulls > 0,
          min: model.min ?? lo,
          max: model.max ?? hi,
          decimals: model.decimals,
          roundTo: model.roundTo,
          ...modeMapsOf(rest, modes, minCount),
        },
      })
      continue
    }
    const discreteModel = model as CategoricalColumnModel | BooleanColumnModel
    const slotOf = slotMapper(discreteModel, column, null)
    const labels = discreteModel.kind === 'boolean' ? ['false', 'true'] : discreteLabels(discreteModel)
    const counts = new Array<number>(labels.length + 1).fill(0)
    for (let i = 0; i < n; i++) {
      const slot = slotOf(i)
      if (slot === RARE_DROPPED) continue
      counts[slot === NULL_SLOT ? labels.length : slot]!++
    }
    const hasNull = counts[labels.length]! > 0
    if (!hasNull) counts.pop()
    pending.push({
      kind: 'discrete',
      spec: { type: 'discrete', name: model.name, kind: discreteModel.kind, labels, hasNull, counts },
    })
  }

  // Layout: α block, then continuous mode spans, then discrete spans.
  const numContinuous = pending.filter((p) => p.kind === 'continuous').length
  let alpha = 0
  let offset = numContinuous
  const laid = new Map<number, ColumnSpec>()
  pending.forEach((p, i) => {
    if (p.kind !== 'continuous') return
    const spanSize = p.spec.weights.length + (p.spec.hasNull ? 1 : 0)
    laid.set(i, { ...p.spec, alphaIndex: alpha++, spanStart: offset, spanSize })
    offset += spanSize
  })
  const condOffset = offset
  pending.forEach((p, i) => {
    if (p.kind !== 'discrete') return
    const spanSize = p.spec.counts.length
    laid.set(i, { ...p.spec, spanStart: offset, spanSize, condStart: offset - condOffset })
    offset += spanSize
  })
  const columns = pending.map((p, i) => (p.kind === 'unlearned' || p.kind === 'derived' ? p.spec : laid.get(i)!))
  return { columns, numContinuous, dataDim: offset, condDim: offset - condOffset, condOffset }
}

/**
 * Columns that are a function of a discrete column over every training row (nulls included): numeric ones (a
 * code's number, Adult's education-num of education) and discrete ones (a code and its name, a zip and its
 * state, a category and its risk flag), each value held by at least `minCount` rows. Rows in a category the
 * model drops (rare, never stored) are left out of the check: they are generated as kept categories, with the
 * value that category maps to. The first qualifying source in column order wins; a derived column is never a
 * source itself, and of two discrete columns that determine each other the earlier one stays learned.
 */
function findDerivedColumns(table: Table, models: readonly ColumnModel[], minCount: number): Map<number, DerivedSpec> {
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

function discreteLabels(model: CategoricalColumnModel): string[] {
  const labels = model.categories.map((c) => c.value)
  if (model.rare.mode === 'other' && model.rare.label !== null) labels.push(model.rare.label)
  return labels
}

function kindChanged(name: string, kind: string): SynthError {
  return new SynthError('MG_SYNTH_MODEL_CORRUPT', `Column "${name}" is ${kind} in the data but profiled differently.`, {
    location: { column: name },
  })
}

const NULL_SLOT = -1
const RARE_DROPPED = -3

/**
 * Slot of each row for a discrete column: a kept category's index, the rare label's slot, or NULL_SLOT.
 * Rows holding a rare category the model drops get a kept category drawn by frequency (needs `rng`,
 * else RARE_DROPPED).
 */
function slotMapper(
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

export interface EncodedTable {
  /** Row-major [numRows, dataDim]. */
  readonly data: Float32Array
  /** For each discrete column (in span order), for each slot, the rows holding it. */
  readonly rowsBySlot: readonly (readonly Int32Array[])[]
}

/** Knots of a continuous column's value map. */
export const VALUE_MAP_KNOTS = 64

/**
 * Quantiles of weighted values at the probabilities (i + ½)/k, i = 0…k−1 (inverse of the empirical CDF,
 * no interpolation): values only, taken from inside the distribution. Empty when there are fewer than 2k
 * observations (too few to say more than the Gaussian modes already do).
 */
export function midpointQuantiles(valueCounts: readonly (readonly [number, number])[], k: number): number[] {
  const sorted = [...valueCounts].sort((a, b) => a[0] - b[0])
  const total = sorted.reduce((sum, [, c]) => sum + c, 0)
  if (k < 2 || total < 2 * k) return []
  const out: number[] = []
  let i = 0
  let below = 0
  for (let q = 0; q < k; q++) {
    const target = ((q + 0.5) / k) * total
    while (i < sorted.length - 1 && below + sorted[i]![1] <= target) below += sorted[i++]![1]
    out.push(sorted[i]![0])
  }
  return out
}

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

/**
 * The real side of the per-mode value maps: each value's count is shared among the modes by their
 * responsibilities w·N(v; μ, σ) — as the encoding assigns it, sampling a mode from that posterior — and each
 * mode gets the midpoint quantiles of its share, every knot standing for at least max(2, k) rows so no
 * quantile is a near-individual value. Nothing when no mode has a knot.
 */
export function modeMapsOf(
  rest: readonly (readonly [number, number])[],
  modes: { weights: Float64Array; means: Float64Array; stds: Float64Array },
  minCount: number,
): { modeMaps?: { real: number[]; generated: number[] }[] } {
  const k = modes.weights.length
  if (k === 0) return {}
  const byMode: [number, number][][] = Array.from({ length: k }, () => [])
  const logs = new Float64Array(k)
  for (const [v, c] of rest) {
    let max = Number.NEGATIVE_INFINITY
    for (let m = 0; m < k; m++) {
      const sd = Math.max(modes.stds[m]!, 1e-12)
      const z = (v - modes.means[m]!) / sd
      logs[m] = Math.log(Math.max(modes.weights[m]!, 1e-300)) - Math.log(sd) - 0.5 * z * z
      if (logs[m]! > max) max = logs[m]!
    }
    let total = 0
    for (let m = 0; m < k; m++) total += Math.exp(logs[m]! - max)
    for (let m = 0; m < k; m++) {
      const share = (c * Math.exp(logs[m]! - max)) / total
      if (share > 1e-9 * c) byMode[m]!.push([v, share])
    }
  }
  const maps = byMode.map((values, m) => {
    const total = values.reduce((sum, [, c]) => sum + c, 0)
    const real = midpointQuantiles(values, Math.min(VALUE_MAP_KNOTS, Math.floor(total / Math.max(2, minCount))))
    // The generator draws a mode's values within μ ± 4σ (α is clipped to ±0.99). A mode whose share of the data
    // reaches beyond that range (a far cluster the mixture did not separate, e.g. Adult's capital-gain of 99,999
    // inside a mode at 5,500 ± 3,900) is not modelled there, and a map would throw its upper values into that
    // cluster: such a mode keeps its values as drawn.
    const reach = 4 * modes.stds[m]!
    const inside = real.every((q) => Math.abs(q - modes.means[m]!) <= reach)
    return { real: inside ? real : [], generated: [] as number[] }
  })
  return maps.some((m) => m.real.length > 0) ? { modeMaps: maps } : {}
}
