import { SynthError } from '../../errors.js'

/**
 * CTGAN does not implement differential privacy: a DP GAN needs DP-SGD (per-example clipped, noised gradients with
 * an accountant). `epsilon` (or `delta`) with CTGAN is refused rather than ignored — the one refusal, used by
 * trainSynthesizer before CTGAN loads and by fitCtgan for direct callers.
 */
export function refuseDifferentialPrivacy(options: object): void {
  const given = (name: string): boolean => name in options && (options as Record<string, unknown>)[name] !== undefined
  if (given('epsilon') || given('delta'))
    throw new SynthError(
      'MG_SYNTH_BAD_OPTION',
      'CTGAN does not implement differential privacy: epsilon would be a promise the model does not keep (a DP GAN needs DP-SGD, per-example clipped and noised gradients).',
      { hint: 'Train the copula (the default synthesizer) with epsilon, or CTGAN without it.' },
    )
}
