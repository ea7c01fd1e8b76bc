import type { Table } from '@modelgate/core'
import type { BooleanColumnModel, CategoricalColumnModel, ColumnModel } from '../../../modelFile.js'
import { findDerivedColumns } from './findDerivedColumns.js'
import type { BayesianGmmOptions } from './fitBayesianGmm.js'
import { fitBayesianGmm } from './fitBayesianGmm.js'
import { modeMapsOf } from './modeMapsOf.js'
import { discreteLabels, kindChanged, NULL_SLOT, RARE_DROPPED, slotMapper } from './slotMapper.js'
import type {
  ColumnSpec,
  ContinuousSpec,
  DerivedSpec,
  DiscreteSpec,
  TransformerSpec,
  UnlearnedSpec,
} from './TransformerSpec.js'

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
    if (column === undefined || model.kind === 'pii' || model.kind === 'text' || model.nullRate >= 1) {
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
