import { SynthError } from '../../../errors.js'
import type { CtganSettings } from '../../CtganSettings.js'

/** The training hyperparameters of CTGAN, defaults resolved (see CtganSettings for each one's meaning). */
export interface TrainerHyperparameters {
  readonly batchSize: number
  readonly learningRate: number
  readonly beta1: number
  readonly beta2: number
  readonly generatorDecay: number
  readonly discriminatorDecay: number
  readonly gradientPenalty: number
  readonly tau: number
  readonly discriminatorSteps: number
  readonly dropout: number
  /**
   * Decay of an exponential moving average of the generator's weights (Yazıcı et al. 2019, "The Unusual
   * Effectiveness of Averaging in GAN Training"); 0 keeps the last weights. The effective decay ramps up as
   * min(decay, (1 + t)/(10 + t)) over steps t, so short runs average only their recent steps.
   */
  readonly generatorAverage: number
}

/**
 * The hyperparameters of `settings` with the defaults of Xu et al. 2019 (and the reference implementation's
 * documentation) filled in, checked: MG_SYNTH_BAD_OPTION names what is out of range.
 */
export function resolveHyperparameters(settings: CtganSettings): TrainerHyperparameters {
  const hp: TrainerHyperparameters = {
    batchSize: settings.batchSize ?? 500,
    learningRate: settings.learningRate ?? 2e-4,
    beta1: settings.betas?.[0] ?? 0.5,
    beta2: settings.betas?.[1] ?? 0.9,
    generatorDecay: settings.generatorDecay ?? 1e-6,
    discriminatorDecay: settings.discriminatorDecay ?? 1e-6,
    gradientPenalty: settings.gradientPenalty ?? 10,
    tau: settings.tau ?? 0.2,
    discriminatorSteps: settings.discriminatorSteps ?? 1,
    dropout: settings.dropout ?? 0.5,
    generatorAverage: settings.generatorAverage ?? 0.999,
  }
  const pac = settings.pac ?? 10
  if (!Number.isInteger(hp.batchSize) || hp.batchSize < pac || hp.batchSize % pac !== 0) {
    throw new SynthError(
      'MG_SYNTH_BAD_OPTION',
      `The CTGAN batch size must be a positive multiple of pac (${pac}), got ${hp.batchSize}.`,
      { hint: 'The default is 500.' },
    )
  }
  if (
    !(hp.tau >= 0.05) ||
    !(hp.learningRate > 0) ||
    !(hp.dropout >= 0 && hp.dropout < 1) ||
    !(hp.generatorAverage >= 0 && hp.generatorAverage < 1) ||
    !Number.isInteger(hp.discriminatorSteps) ||
    hp.discriminatorSteps < 1
  ) {
    throw new SynthError(
      'MG_SYNTH_BAD_OPTION',
      'CTGAN options out of range: tau at least 0.05, learningRate positive, dropout and generatorAverage in [0, 1), discriminatorSteps a positive integer.',
    )
  }
  return hp
}
