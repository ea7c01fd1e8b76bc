import type { Table } from '@modelgate/core'
import { checkArgument, tableArgument } from '@modelgate/core'
import { refuseDifferentialPrivacy } from './ctgan/internal/refuseDifferentialPrivacy.js'
import type { CopulaDimInput } from './fitGaussianCopula.js'
import { fitGaussianCopula } from './fitGaussianCopula.js'
import { trainOptions } from './internal/arguments.js'
import { createCopulaModel } from './internal/createCopulaModel.js'
import { fitDpCopula } from './internal/dp/fitDpCopula.js'
import { orderCategories } from './internal/orderCategories.js'
import { modelFileOf, profileTrainingTable } from './internal/profileTrainingTable.js'
import type { SynthModelFile } from './modelFile.js'
import type { SynthModel, TrainSynthesizerOptions } from './types.js'

/**
 * Learns a privacy-safe synthesizer from a table: per-column marginals (PII columns never learned, rare
 * categories never stored) joined by a Gaussian copula that also models where values are missing.
 */
export async function trainSynthesizer(table: Table, options: TrainSynthesizerOptions = {}): Promise<SynthModel> {
  checkArguments('trainSynthesizer(table, options)', table, options)
  if (options.synthesizer === 'ctgan') {
    refuseDifferentialPrivacy(options)
    // CTGAN (and ONNX Runtime) load only when asked for.
    const { fitCtgan } = await import('./ctgan/fitCtgan.js')
    const { synthesizer: _synthesizer, ctgan, onProgress: _onProgress, ...shared } = options
    return fitCtgan(table, { ...shared, ...ctgan })
  }
  return createCopulaModel(fitSynthModelFile(table, options))
}

/**
 * The fitting step of `trainSynthesizer`, returning the model file: the shared column profile, then the
 * copula's dependence model (category latent order and the Gaussian copula), both from one seeded generator.
 */
export function fitSynthModelFile(table: Table, options: TrainSynthesizerOptions = {}): SynthModelFile {
  checkArguments('fitSynthModelFile(table, options)', table, options)
  const profile = profileTrainingTable(table, options)
  const columnCount = profile.columns.length
  if (profile.dp !== null) {
    // DP: category order and correlations from noisy contingency tables only.
    const copula = fitDpCopula(profile.columns, { ledger: profile.dp.ledger, epsilon: profile.dp.correlationEpsilon })
    options.onProgress?.({ phase: 'done', done: columnCount, total: columnCount })
    return modelFileOf(profile, 'copula', copula)
  }
  orderCategories(profile.columns, profile.numRows, profile.random)
  const dims: CopulaDimInput[] = []
  for (const p of profile.columns) {
    if (p.keys !== null && p.model.nullRate < 1) dims.push({ column: p.model.name, part: 'value', keys: p.keys })
    if (p.model.nullRate > 0 && p.model.nullRate < 1) {
      dims.push({ column: p.model.name, part: 'null', keys: Float64Array.from(p.isNull) })
    }
  }
  const copula = fitGaussianCopula(dims, profile.numRows, { random: profile.random })
  options.onProgress?.({ phase: 'done', done: columnCount, total: columnCount })
  return modelFileOf(profile, 'copula', copula)
}

function checkArguments(call: string, table: unknown, options: unknown): void {
  checkArgument(tableArgument, table, { call, name: 'table' })
  checkArgument(trainOptions, options, { call, name: 'options' })
}
