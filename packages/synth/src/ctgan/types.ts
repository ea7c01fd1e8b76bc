import type { SynthModelFile } from '../modelFile.js'
import type { SynthModel, TrainSynthesizerOptions } from '../types.js'
import type { CtganBackend, CtganSettings } from './CtganSettings.js'

export type { CtganBackend, CtganProgress, CtganSettings } from './CtganSettings.js'

/**
 * CTGAN options. Defaults are those of Xu et al. 2019 and the reference implementation's documentation.
 * The privacy options (schema, pii, k, rareCategories, otherLabel, maxCategories) are the copula's.
 */
export interface CtganOptions
  extends Omit<TrainSynthesizerOptions, 'synthesizer' | 'epsilon' | 'delta' | 'onProgress' | 'ctgan'>,
    CtganSettings {}

export interface CtganModel extends SynthModel {
  readonly synthesizer: 'ctgan'
  readonly backend: CtganBackend
  /** Epochs trained so far and the per-epoch losses. */
  readonly epochsTrained: number
  readonly losses: readonly { readonly lossG: number; readonly lossD: number }[]
  /** Writes `<path>` (JSON, parameters only) and the weights beside it (`<name>.weights.bin`), atomically. */
  save(path: string): Promise<void>
  toJSON(): SynthModelFile
  /** Releases the model's native sessions or tensors and ends its sampling worker thread. */
  dispose(): void
}
