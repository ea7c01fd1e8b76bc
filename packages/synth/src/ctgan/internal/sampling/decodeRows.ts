import type { CtganSection } from '../ctganSection.js'
import { cumulativeWeights, pickFromCdf } from '../cumulativeWeights.js'
import type { Condition } from './conditionsFor.js'
import { createValueMap } from './createValueMap.js'

type SpecColumn = CtganSection['transformer']['columns'][number]
type DiscreteSpec = Extract<SpecColumn, { type: 'discrete' }>

/**
 * A chunk's decoded learned columns, by column index (null for unlearned ones): discrete columns as slot codes
 * (−1 for null), continuous ones as values with a validity mask (1 where present).
 */
export interface Decoded {
  readonly codes: (Int32Array | null)[]
  readonly values: (Float64Array | null)[]
  readonly valid: (Uint8Array | null)[]
}

export function createDecoded(specs: CtganSection['transformer']['columns'], rows: number): Decoded {
  return {
    codes: specs.map((s) => (s.type === 'discrete' ? new Int32Array(rows) : null)),
    values: specs.map((s) => (s.type === 'continuous' ? new Float64Array(rows) : null)),
    valid: specs.map((s) => (s.type === 'continuous' ? new Uint8Array(rows) : null)),
  }
}

/** How to round a continuous value after clipping (the column profile's rule). */
const ROUND_NONE = 0
const ROUND_INTEGER = 1
const ROUND_DECIMALS = 2
const ROUND_TO = 3

/** What decoding one learned column needs, hoisted out of the per-row loops. */
export interface DecodePlan {
  readonly column: number
  readonly discrete: boolean
  readonly spanStart: number
  readonly spanSize: number
  /** Discrete: the slot meaning null (−1 if none). Continuous: slots ≥ modes mean null. */
  readonly nullSlot: number
  readonly modes: number
  readonly pointMasses: number
  readonly alphaIndex: number
  readonly means: Float64Array
  /** 4σ per mode (the transformer's α is (x − μ) / 4σ). */
  readonly scales: Float64Array
  readonly min: number
  readonly max: number
  readonly round: number
  /** 10^decimals for ROUND_DECIMALS, the step for ROUND_TO. */
  readonly roundBy: number
  /** The calibrated quantile map of each Gaussian mode (ContinuousSpec.modeMaps; null: none), by slot − pointMasses. */
  readonly modeMaps: readonly (((x: number) => number) | null)[]
  /** The single map of a model written before per-mode maps (ContinuousSpec.valueMap), or null. */
  readonly valueMap: ((x: number) => number) | null
}

export function createDecodePlans(specs: CtganSection['transformer']['columns']): DecodePlan[] {
  const plans: DecodePlan[] = []
  specs.forEach((s, column) => {
    if (s.type === 'discrete') {
      plans.push({
        column,
        discrete: true,
        spanStart: s.spanStart,
        spanSize: s.spanSize,
        nullSlot: s.hasNull ? s.spanSize - 1 : -1,
        modes: s.spanSize,
        pointMasses: 0,
        alphaIndex: 0,
        means: new Float64Array(0),
        scales: new Float64Array(0),
        min: 0,
        max: 0,
        round: ROUND_NONE,
        roundBy: 1,
        modeMaps: [],
        valueMap: null,
      })
    } else if (s.type === 'continuous') {
      const round =
        s.kind === 'integer'
          ? ROUND_INTEGER
          : s.decimals !== null
            ? ROUND_DECIMALS
            : s.roundTo !== null && s.roundTo > 1
              ? ROUND_TO
              : ROUND_NONE
      plans.push({
        column,
        discrete: false,
        spanStart: s.spanStart,
        spanSize: s.spanSize,
        nullSlot: -1,
        modes: s.weights.length,
        pointMasses: s.pointMasses,
        alphaIndex: s.alphaIndex,
        means: Float64Array.from(s.means),
        scales: Float64Array.from(s.stds, (sd) => 4 * sd),
        modeMaps: (s.modeMaps ?? []).map((m) => createValueMap(m)),
        valueMap: createValueMap(s.valueMap),
        min: s.min,
        max: s.max,
        round,
        roundBy: round === ROUND_DECIMALS ? 10 ** s.decimals! : round === ROUND_TO ? s.roundTo! : 1,
      })
    }
  })
  return plans
}

/**
 * The conditional-vector draw of sampling: a discrete column uniformly, then one of its categories by its true
 * frequency, i.e. one draw from the mixture over all condDim positions. Writes the position for each row from
 * `uniforms[0, count)` (binary search in the mixture's cumulative distribution).
 */
export function createConditionDraw(
  discrete: readonly DiscreteSpec[],
  condDim: number,
): (uniforms: Float64Array, count: number, out: Int32Array) => void {
  const weights: number[] = []
  const positions: number[] = []
  for (const c of discrete) {
    const total = c.counts.reduce((a, b) => a + b, 0)
    c.counts.forEach((count, slot) => {
      // A column without counts puts all its weight on its last slot (as cumulativeWeights does).
      const w = total > 0 ? count / total : slot === c.counts.length - 1 ? 1 : 0
      weights.push(w / discrete.length)
      positions.push(c.condStart + slot)
    })
  }
  const cdf = cumulativeWeights(weights)
  const position = Int32Array.from(positions)
  return (uniforms, count, out) => {
    if (position.length === 0) {
      out.fill(condDim, 0, count)
      return
    }
    for (let i = 0; i < count; i++) out[i] = position[pickFromCdf(cdf, uniforms[i]!)]!
  }
}

/**
 * Decodes `count` activated generator rows into `out` at rows [at, at + count), column by column: each span's
 * slot is drawn from its softmax probabilities with uniform `uniforms[(1 + p)·count + i]` for plan p (the first
 * `count` uniforms drew the conditional vector); a continuous mode gives α·4σ + μ, clipped and rounded.
 */
export function decodeBatch(
  plans: readonly DecodePlan[],
  activated: Float32Array,
  count: number,
  dataDim: number,
  uniforms: Float64Array,
  out: Decoded,
  at: number,
): void {
  for (let p = 0; p < plans.length; p++) {
    const plan = plans[p]!
    const u0 = (1 + p) * count
    const last = plan.spanSize - 1
    if (plan.discrete) {
      const codes = out.codes[plan.column]!
      const nullSlot = plan.nullSlot
      for (let i = 0, row = plan.spanStart; i < count; i++, row += dataDim) {
        const t = drawSlot(activated, row, last, uniforms[u0 + i]!)
        codes[at + i] = t === nullSlot ? -1 : t
      }
    } else {
      const values = out.values[plan.column]!
      const valid = out.valid[plan.column]!
      const { modes, pointMasses, means, scales, alphaIndex, modeMaps, valueMap } = plan
      for (let i = 0, row = plan.spanStart; i < count; i++, row += dataDim) {
        const t = drawSlot(activated, row, last, uniforms[u0 + i]!)
        if (t >= modes) {
          valid[at + i] = 0
          values[at + i] = 0
        } else {
          valid[at + i] = 1
          if (t < pointMasses) values[at + i] = means[t]!
          else {
            const x = activated[i * dataDim + alphaIndex]! * scales[t]! + means[t]!
            const map = modeMaps[t - pointMasses] ?? valueMap
            values[at + i] = finishDecoded(plan, map === null ? x : map(x))
          }
        }
      }
    }
  }
}

/** The slot of the span starting at `start` (last slot `last`) that uniform `u` falls in, by its probabilities. */
function drawSlot(probs: Float32Array, start: number, last: number, u: number): number {
  let rest = u
  let t = 0
  while (t < last) {
    rest -= probs[start + t]!
    if (rest < 0) break
    t++
  }
  return t
}

/** `finish` over a decode plan: clip to the learned bounds, round by the column's rule, clip again. */
function finishDecoded(plan: DecodePlan, x: number): number {
  let y = Math.min(plan.max, Math.max(plan.min, x))
  if (plan.round === ROUND_INTEGER) y = Math.round(y)
  else if (plan.round === ROUND_DECIMALS) y = Math.round(y * plan.roundBy) / plan.roundBy
  else if (plan.round === ROUND_TO) y = Math.round(y / plan.roundBy) * plan.roundBy
  return Math.min(plan.max, Math.max(plan.min, y))
}

/** Copies the rows of a decoded batch that meet every condition into `out` from row `filled`; returns the new fill. */
export function keepMatching(
  plans: readonly DecodePlan[],
  batch: Decoded,
  count: number,
  conditions: readonly Condition[],
  out: Decoded,
  filled: number,
  rows: number,
): number {
  let at = filled
  for (let i = 0; i < count && at < rows; i++) {
    let ok = true
    for (const c of conditions) {
      if (c.codes !== undefined) ok &&= c.codes.includes(batch.codes[c.column]![i]!)
      else if (c.spec.type === 'discrete') ok &&= batch.codes[c.column]![i] === c.slot
      else ok &&= batch.valid[c.column]![i] === 1 && batch.values[c.column]![i] === c.value
    }
    if (!ok) continue
    for (const plan of plans) {
      if (plan.discrete) out.codes[plan.column]![at] = batch.codes[plan.column]![i]!
      else {
        out.values[plan.column]![at] = batch.values[plan.column]![i]!
        out.valid[plan.column]![at] = batch.valid[plan.column]![i]!
      }
    }
    at++
  }
  return at
}
