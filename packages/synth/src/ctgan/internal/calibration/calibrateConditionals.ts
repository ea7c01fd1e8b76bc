import type { CtganSection } from '../ctganSection.js'
import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Weight } from '../networks.js'
import type { Rng } from '../Rng.js'
import { foldGenerator } from '../sampling/foldGenerator.js'
import type { EncodedTable } from '../transformer/TransformerSpec.js'
import { fitLogitOffsets, pilotShares, spanGap } from './fitLogitOffsets.js'

export interface ConditionalCalibrationOptions {
  readonly engine: MatrixEngine
  readonly section: CtganSection
  /** The generator weights; `generator.out.weight`'s condition rows get the offsets. */
  readonly weights: ReadonlyMap<string, Weight>
  readonly encoded: EncodedTable
  readonly rng: Rng
  /** Pilot rows generated per condition. Default 512. */
  readonly rowsPerCondition?: number
  /** Proportional-fitting rounds. Default 8. */
  readonly rounds?: number
  /**
   * Conditions held by fewer training rows are left as the generator learned them, and every target is shrunk
   * towards the generator's own shares by this many pseudo-rows, so no small group of rows is reproduced.
   * Default 100.
   */
  readonly minRows?: number
}

export interface ConditionalCalibrationResult {
  /** Conditions calibrated, of all conditional-vector positions. */
  readonly conditions: number
  readonly of: number
  /** Mean over calibrated conditions and spans of the total-variation gap to the (shrunk) targets, before and after. */
  readonly gapBefore: number
  readonly gapAfter: number
}

/**
 * Conditional logit adjustment of a trained CTGAN generator. Every generated row is drawn under a condition
 * "column C takes value c" (Xu et al. 2019: training-by-sampling; at sampling time c follows the true
 * frequencies). For each condition, every softmax span D of the output (other categorical columns, null slots,
 * numeric modes) gets per-entry offsets so that, over rows generated under C = c, the mean of
 * softmax(raw + b_c) matches the share of D's entries among the training rows holding C = c — the logit
 * adjustment of Menon et al. 2021, fitted per condition on a pilot (fitLogitOffsets). The condition's one-hot
 * input has its own row of output weights, so b_c is folded into that row: the calibrated model is an ordinary
 * set of weights.
 *
 * Rows conditioned on C then pair C with every other column as the data does; since the conditions are drawn
 * with the true frequencies, the marginals stay calibrated. Run after calibrateOutputBias (the pilot includes
 * its offsets). Privacy: a condition held by fewer than `minRows` rows is skipped, and each target is a blend
 * of the data's shares with the generator's (minRows pseudo-rows), so small groups are never copied.
 */
export function calibrateConditionals(options: ConditionalCalibrationOptions): ConditionalCalibrationResult {
  const { engine, section, weights, encoded, rng } = options
  const arch = section.architecture
  const { embeddingDim, condDim, dataDim, spans } = arch
  const perCondition = options.rowsPerCondition ?? 512
  const rounds = options.rounds ?? 8
  const minRows = options.minRows ?? 100
  const outW = weights.get('generator.out.weight')
  const discrete = section.transformer.columns.filter((c) => c.type === 'discrete')
  if (outW === undefined || spans.length === 0 || condDim === 0 || discrete.length === 0)
    return { conditions: 0, of: condDim, gapBefore: 0, gapAfter: 0 }

  // The conditions with enough rows, and the rows holding each (rowsBySlot is in discrete-column order).
  const conditions: { position: number; rows: Int32Array }[] = []
  discrete.forEach((c, i) => {
    const bySlot = encoded.rowsBySlot[i]!
    for (let slot = 0; slot < c.spanSize; slot++) {
      const rows = bySlot[slot]
      if (rows !== undefined && rows.length >= minRows) conditions.push({ position: c.condStart + slot, rows })
    }
  })
  if (conditions.length === 0) return { conditions: 0, of: condDim, gapBefore: 0, gapAfter: 0 }

  // One pilot for all conditions: `perCondition` rows under each, drawn as sampling draws them.
  const pilotRows = conditions.length * perCondition
  const noise = rng.fillNormal(new Float32Array(pilotRows * embeddingDim))
  const cond = new Int32Array(pilotRows)
  for (const [i, c] of conditions.entries()) cond.fill(c.position, i * perCondition, (i + 1) * perCondition)
  const probs = engine.createGeneratorRunner(foldGenerator(section, weights))(noise, cond, pilotRows)

  const data = encoded.data
  const inputs = outW.values.length / dataDim - condDim
  const target = new Float64Array(dataDim)
  const share = new Float64Array(dataDim)
  const offsets = new Float64Array(dataDim)
  let gapBefore = 0
  let gapAfter = 0
  for (const [i, c] of conditions.entries()) {
    const pilot = { probs, dataDim, spans, first: i * perCondition, rows: perCondition }
    offsets.fill(0)
    pilotShares(pilot, offsets, share)
    // Target: the data's shares under this condition, shrunk towards the generator's by minRows pseudo-rows.
    target.fill(0)
    for (const r of c.rows)
      for (const [start, size] of spans)
        for (let t = 0; t < size; t++) target[start + t]! += data[r * dataDim + start + t]!
    const n = c.rows.length
    for (let j = 0; j < dataDim; j++) target[j] = (target[j]! + minRows * share[j]!) / (n + minRows)
    gapBefore += spanGap(share, target, spans) / conditions.length
    gapAfter += fitLogitOffsets(pilot, target, offsets, share, rounds) / conditions.length
    // Fold into the output weights' row for this condition's one-hot input.
    const base = (inputs + c.position) * dataDim
    for (const [start, size] of spans)
      for (let t = 0; t < size; t++) outW.values[base + start + t]! += offsets[start + t]!
  }
  return { conditions: conditions.length, of: condDim, gapBefore, gapAfter }
}
