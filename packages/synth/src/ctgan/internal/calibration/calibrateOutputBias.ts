import type { CtganSection } from '../ctganSection.js'
import { cumulativeWeights, pickFromCdf } from '../cumulativeWeights.js'
import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Weight } from '../networks.js'
import type { Rng } from '../Rng.js'
import { foldGenerator } from '../sampling/foldGenerator.js'
import { midpointQuantiles } from '../transformer/modeMapsOf.js'
import { fitLogitOffsets, pilotShares, spanGap } from './fitLogitOffsets.js'

type SpecColumns = CtganSection['transformer']['columns']

export interface CalibrationResult {
  /** The transformer's columns with their value maps completed (see completeValueMaps). */
  readonly columns: SpecColumns
  /** Mean over spans of the total-variation gap between the generated and the target shares, before and after. */
  readonly gapBefore: number
  readonly gapAfter: number
  /** The largest logit shift applied. */
  readonly maxShift: number
}

/**
 * Marginal calibration of a trained generator by logit adjustment (Menon et al. 2021, "Long-tail learning via
 * logit adjustment"): every softmax span of the output (categories, null slots and numeric modes) gets a
 * per-entry offset b so that, over rows drawn as sampling draws them (noise, and a condition from the true
 * frequencies), the mean of softmax(raw + b) matches the share the training data holds. Offsets are found by
 * proportional fitting on a pilot of generated rows (fitLogitOffsets) and added to the output bias, so the
 * calibrated model is an ordinary set of weights. Within each row the generator's relative preferences are
 * kept: a multiplicative re-weighting, not a re-draw.
 */
export function calibrateOutputBias(options: {
  readonly engine: MatrixEngine
  readonly section: CtganSection
  /** The generator weights; `generator.out.bias` gets the offsets. */
  readonly weights: ReadonlyMap<string, Weight>
  /** The share of the training rows in each span entry (spanShares). */
  readonly target: Float64Array
  readonly rng: Rng
  /** Pilot rows. Default 16,384. */
  readonly rows?: number
  /** Proportional-fitting rounds. Default 8. */
  readonly rounds?: number
}): CalibrationResult {
  const { engine, section, weights, target, rng } = options
  const arch = section.architecture
  const { embeddingDim, condDim, dataDim } = arch
  const rows = options.rows ?? 16_384
  const rounds = options.rounds ?? 8
  const spans = arch.spans
  const outBias = weights.get('generator.out.bias')
  if (outBias === undefined || spans.length === 0)
    return {
      gapBefore: 0,
      gapAfter: 0,
      maxShift: 0,
      columns: completeValueMaps(section.transformer.columns, new Map()),
    }

  // A pilot drawn exactly as sampling draws rows.
  const discrete = section.transformer.columns.filter((c) => c.type === 'discrete')
  const cdfs = discrete.map((c) => cumulativeWeights(c.counts))
  const noise = rng.fillNormal(new Float32Array(rows * embeddingDim))
  const cond = new Int32Array(rows).fill(condDim)
  if (discrete.length > 0) {
    for (let i = 0; i < rows; i++) {
      const c = rng.int(discrete.length)
      cond[i] = discrete[c]!.condStart + pickFromCdf(cdfs[c]!, rng.uniform())
    }
  }
  const probs = engine.createGeneratorRunner(foldGenerator(section, weights))(noise, cond, rows)

  const offsets = new Float64Array(dataDim)
  const share = new Float64Array(dataDim)
  const pilot = { probs, dataDim, spans, first: 0, rows }
  pilotShares(pilot, offsets, share)
  const gapBefore = spanGap(share, target, spans)
  const gapAfter = fitLogitOffsets(pilot, target, offsets, share, rounds)
  let maxShift = 0
  for (const [start, size] of spans) {
    for (let t = 0; t < size; t++) {
      outBias.values[start + t]! += offsets[start + t]!
      maxShift = Math.max(maxShift, Math.abs(offsets[start + t]!))
    }
  }
  const factor = offsets.map(Math.exp)
  return {
    gapBefore,
    gapAfter,
    maxShift,
    columns: completeValueMaps(section.transformer.columns, generatedValueQuantiles(section, probs, factor, rows, rng)),
  }
}

/**
 * Transformer columns with each mode's value map given its generated side (see ContinuousSpec.modeMaps); a
 * mode without one (too few generated values, or no calibration) keeps an empty side, and so its values as
 * they are; a column left with no complete map loses its maps.
 */
export function completeValueMaps(columns: SpecColumns, generated: ReadonlyMap<string, number[][]>): SpecColumns {
  return columns.map((c) => {
    if (c.type !== 'continuous' || c.modeMaps === undefined) return c
    const knots = generated.get(c.name)
    const modeMaps = c.modeMaps.map((m, i) => ({ real: m.real, generated: knots?.[i] ?? [] }))
    if (modeMaps.every((m) => m.generated.length === 0)) {
      const { modeMaps: _dropped, ...rest } = c
      return rest
    }
    return { ...c, modeMaps }
  })
}

/**
 * The pilot's values drawn from Gaussian modes, per continuous column with mode maps and per mode, decoded as
 * sampling decodes them (a mode drawn from the calibrated shares — probabilities times `factor` = exp(offset)
 * — then α·4σ + μ, before clipping and rounding), and their quantiles at the same probabilities as that mode's
 * real side ([] when the pilot drew too few).
 */
function generatedValueQuantiles(
  section: CtganSection,
  probs: Float32Array,
  factor: Float64Array,
  rows: number,
  rng: Rng,
): Map<string, number[][]> {
  const dataDim = section.architecture.dataDim
  const out = new Map<string, number[][]>()
  for (const c of section.transformer.columns) {
    if (c.type !== 'continuous' || c.modeMaps === undefined) continue
    const modes = c.weights.length
    const values: [number, number][][] = c.modeMaps.map(() => [])
    const w = new Float64Array(c.spanSize)
    for (let r = 0; r < rows; r++) {
      const o = r * dataDim + c.spanStart
      let sum = 0
      for (let t = 0; t < c.spanSize; t++) {
        w[t] = probs[o + t]! * factor[c.spanStart + t]!
        sum += w[t]!
      }
      let u = rng.uniform() * sum
      let slot = c.spanSize - 1
      for (let t = 0; t < c.spanSize; t++) {
        u -= w[t]!
        if (u < 0) {
          slot = t
          break
        }
      }
      if (slot < c.pointMasses || slot >= modes) continue
      values[slot - c.pointMasses]?.push([probs[r * dataDim + c.alphaIndex]! * 4 * c.stds[slot]! + c.means[slot]!, 1])
    }
    out.set(
      c.name,
      c.modeMaps.map((m, i) => {
        const knots = m.real.length
        const generated = knots === 0 ? [] : midpointQuantiles(values[i]!, knots)
        return generated.length === knots ? generated : []
      }),
    )
  }
  return out
}

/** The share of the training rows in each span entry (the mean of the encoded one-hots), the calibration target. */
export function spanShares(
  data: Float32Array,
  dataDim: number,
  spans: readonly (readonly [number, number])[],
): Float64Array {
  const rows = data.length / dataDim
  const out = new Float64Array(dataDim)
  for (let r = 0; r < rows; r++) {
    for (const [start, size] of spans) for (let t = 0; t < size; t++) out[start + t]! += data[r * dataDim + start + t]!
  }
  for (let j = 0; j < dataDim; j++) out[j]! /= Math.max(1, rows)
  return out
}
