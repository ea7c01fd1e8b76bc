import type { SeedPart } from '@modelgate/core'
import type { CtganSection } from '../ctganSection.js'
import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Weight } from '../networks.js'
import type { Rng } from '../Rng.js'
import type { EncodedTable } from '../transformer/TransformerSpec.js'
import { calibrateConditionals } from './calibrateConditionals.js'
import { calibrateOutputBias, completeValueMaps, spanShares } from './calibrateOutputBias.js'

export interface CalibrateGeneratorOptions {
  readonly engine: MatrixEngine
  /** The section of the trained model, before calibration. */
  readonly section: CtganSection
  /** The generator weights to sample from; the calibration adds its offsets to them in place. */
  readonly weights: ReadonlyMap<string, Weight>
  readonly encoded: EncodedTable
  /** See CtganSettings.calibrate. */
  readonly calibrate: boolean | 'marginal'
  /** The Rng of a purpose of the training's seed. */
  readonly rngFor: (...purpose: SeedPart[]) => Rng
}

/**
 * The calibrations after training: marginal logit adjustment folded into the output bias (calibrateOutputBias),
 * then, unless `'marginal'`, per-condition adjustment folded into the condition rows of the output weights
 * (calibrateConditionals). Returns the section with the value maps' generated sides and the calibration record.
 */
export function calibrateGenerator(options: CalibrateGeneratorOptions): CtganSection {
  const { engine, section, weights, encoded } = options
  if (options.calibrate === false) {
    // Uncalibrated: no value map has its generated side, so none is kept.
    return {
      ...section,
      transformer: { ...section.transformer, columns: completeValueMaps(section.transformer.columns, new Map()) },
    }
  }
  const arch = section.architecture
  const target = spanShares(encoded.data, arch.dataDim, arch.spans)
  const { columns, ...marginal } = calibrateOutputBias({
    engine,
    section,
    weights,
    target,
    rng: options.rngFor('calibrate', 'marginal'),
  })
  const conditional =
    options.calibrate === 'marginal'
      ? null
      : calibrateConditionals({ engine, section, weights, encoded, rng: options.rngFor('calibrate', 'conditional') })
  return {
    ...section,
    transformer: { ...section.transformer, columns },
    training: { ...section.training, calibration: conditional === null ? marginal : { ...marginal, conditional } },
  }
}
