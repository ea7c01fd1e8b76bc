import type { Table } from '@modelgate/core'
import { checkArgument, tableArgument } from '@modelgate/core'
import { refuseDifferentialPrivacy } from './ctgan/internal/refuseDifferentialPrivacy.js'
import { SynthError } from './errors.js'
import type { CopulaDimInput } from './fitGaussianCopula.js'
import { fitGaussianCopula } from './fitGaussianCopula.js'
import { trainOptions } from './internal/arguments.js'
import { createCopulaModel } from './internal/createCopulaModel.js'
import { fitDpCopula } from './internal/dp/fitDpCopula.js'
import { fitSynthModelFileCancellable, IN_THREAD_MAX_CELLS } from './internal/fitSynthModelFileCancellable.js'
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
  checkWidth(table, options.source)
  // A fit that can take more than a second runs in a worker thread when it may be cancelled (Ctrl-C in the CLI).
  const signal = options.signal
  if (signal !== undefined && table.numRows * table.columns.length > IN_THREAD_MAX_CELLS)
    return createCopulaModel(await fitSynthModelFileCancellable(table, options, signal))
  return createCopulaModel(fitSynthModelFile(table, options))
}

/** Most columns the copula learns (a factor structure above 128 latent dimensions; see MAX_FACTOR_COPULA_DIMS). */
export const MAX_COPULA_COLUMNS = 10_000

function checkWidth(table: Table, source: string | undefined): void {
  if (table.columns.length <= MAX_COPULA_COLUMNS) return
  throw new SynthError(
    'MG_SYNTH_TOO_MANY_COLUMNS',
    `The training data${source === undefined ? '' : ` in ${source}`} has ${table.columns.length.toLocaleString('en-US')} columns; the Gaussian copula learns at most ${MAX_COPULA_COLUMNS.toLocaleString('en-US')}.`,
    {
      hint: 'Train on a subset of the columns (or several models on column groups), keeping those the tests need.',
      ...(source === undefined ? {} : { location: { file: source } }),
    },
  )
}

/**
 * The fitting step of `trainSynthesizer`, returning the model file: the shared column profile, then the
 * copula's dependence model (category latent order and the Gaussian copula), both from one seeded generator.
 */
export function fitSynthModelFile(table: Table, options: TrainSynthesizerOptions = {}): SynthModelFile {
  checkArguments('fitSynthModelFile(table, options)', table, options)
  checkWidth(table, options.source)
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
  options.onProgress?.({ phase: 'correlation', done: 0, total: columnCount })
  const copula = fitGaussianCopula(dims, profile.numRows, { random: profile.random })
  options.onProgress?.({ phase: 'done', done: columnCount, total: columnCount })
  return modelFileOf(profile, 'copula', copula)
}

function checkArguments(call: string, table: unknown, options: unknown): void {
  checkArgument(tableArgument, table, { call, name: 'table' })
  checkArgument(trainOptions, options, { call, name: 'options' })
}
