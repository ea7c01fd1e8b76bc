import { detectPii } from '@modelgate/core'
import type { Table } from '@modelgate/core'
import { SYNTH_ERROR_CODES, SynthError } from './errors.js'
import { fitGaussianCopula } from './fitGaussianCopula.js'
import type { CopulaDimInput } from './fitGaussianCopula.js'
import { createCopulaModel } from './internal/createCopulaModel.js'
import { orderCategories } from './internal/orderCategories.js'
import { profileColumn } from './internal/profileColumn.js'
import type { ColumnProfile } from './internal/profileColumn.js'
import { createRandom } from './internal/random.js'
import { SYNTH_MODEL_FORMAT, SYNTH_MODEL_VERSION } from './modelFile.js'
import type { SynthModelFile } from './modelFile.js'
import type { PiiKind, SynthModel, TrainSynthesizerOptions } from './types.js'

/**
 * Learns a privacy-safe synthesizer from a table: per-column marginals (PII columns never learned, rare
 * categories never stored) joined by a Gaussian copula that also models where values are missing.
 */
export async function trainSynthesizer(table: Table, options: TrainSynthesizerOptions = {}): Promise<SynthModel> {
  if (options.synthesizer === 'ctgan') {
    // CTGAN (and TensorFlow.js) load only when asked for.
    const { fitCtgan } = await import('./ctgan/fitCtgan.js')
    const { synthesizer: _synthesizer, ctgan, onProgress: _onProgress, ...shared } = options
    return fitCtgan(table, { ...shared, ...ctgan })
  }
  return createCopulaModel(fitSynthModelFile(table, options))
}

/** The fitting step of `trainSynthesizer`, returning the model file. */
export function fitSynthModelFile(table: Table, options: TrainSynthesizerOptions = {}): SynthModelFile {
  const source = options.source
  const where = source === undefined ? '' : ` in ${source}`
  const k = options.k ?? 5
  if (!Number.isInteger(k) || k < 1) throw new SynthError(SYNTH_ERROR_CODES.badOption, `k must be a positive integer, got ${k}.`)
  const epsilon = options.epsilon ?? null
  if (epsilon !== null && !(epsilon > 0 && Number.isFinite(epsilon))) {
    throw new SynthError(SYNTH_ERROR_CODES.badOption, `--epsilon must be a positive number, got ${epsilon}.`, { hint: 'Typical values are 0.5 to 10.' })
  }
  if (table.numRows === 0) {
    throw new SynthError(SYNTH_ERROR_CODES.emptyTable, `The training data${where} has no rows.`, { hint: 'Train on a file with at least one data row.' })
  }
  const names = new Set(table.columns.map((c) => c.name))
  const schemaColumns = new Map((options.schema?.columns ?? []).map((c) => [c.name, c]))
  for (const name of schemaColumns.keys()) {
    if (!names.has(name)) {
      throw new SynthError(SYNTH_ERROR_CODES.schemaColumnMissing, `The schema describes column "${name}", which the data${where} does not have.`, {
        hint: `Columns in the data: ${[...names].join(', ')}. Fix the schema or pass the right file.`,
        location: { ...(source === undefined ? {} : { file: source }), column: name },
      })
    }
  }
  for (const name of Object.keys(options.pii ?? {})) {
    if (!names.has(name)) {
      throw new SynthError(SYNTH_ERROR_CODES.unknownColumn, `--pii names column "${name}", which the data${where} does not have.`, {
        hint: `Columns in the data: ${[...names].join(', ')}.`,
      })
    }
  }
  const seed = options.seed ?? 0
  const random = createRandom(seed, Math.floor(seed / 4294967296), 0xf17)
  const columnCount = table.columns.length
  // Budget split: half to the marginals (shared equally by the columns, each using it twice at most:
  // null rate and values), half to the correlation matrix.
  const budget = epsilon === null ? null : { marginals: epsilon / 2, correlation: epsilon / 2, spent: epsilon }
  const detected: { column: string; type: PiiKind; reason: string }[] = []
  const piiOf = table.columns.map((column): PiiKind | undefined => {
    const schema = schemaColumns.get(column.name)
    const tagged: PiiKind | undefined = options.pii?.[column.name] ?? schema?.pii?.type ?? (schema?.kind === 'id' || column.kind === 'id' ? 'id' : undefined)
    if (tagged !== undefined || schema !== undefined || options.detectPii === false) return tagged
    const finding = detectPii(column, table.numRows)
    if (finding === undefined) return undefined
    detected.push({ column: column.name, type: finding.type, reason: finding.reason })
    return finding.type
  })
  // Marginal budget: shared equally by the learned (non-PII) columns, each spending half on its null count
  // and half on its values (sequential composition).
  const learned = Math.max(1, piiOf.filter((p) => p === undefined).length)
  const perColumn = budget === null ? null : budget.marginals / learned / 2
  const profiles: ColumnProfile[] = table.columns.map((column, i) => {
    const profile = profileColumn(column, table.numRows, schemaColumns.get(column.name), piiOf[i], {
      k,
      rareCategories: options.rareCategories ?? 'drop',
      otherLabel: options.otherLabel ?? '__other__',
      maxCategories: options.maxCategories ?? 1000,
      source,
      epsilon: perColumn,
      random,
    })
    options.onProgress?.({ phase: 'marginals', done: i + 1, total: columnCount })
    return profile
  })
  orderCategories(profiles, table.numRows, random)
  const dims: CopulaDimInput[] = []
  for (const p of profiles) {
    if (p.keys !== null && p.model.nullRate < 1) dims.push({ column: p.model.name, part: 'value', keys: p.keys })
    if (p.model.nullRate > 0 && p.model.nullRate < 1) {
      dims.push({ column: p.model.name, part: 'null', keys: Float64Array.from(p.isNull) })
    }
  }
  const copula = fitGaussianCopula(dims, table.numRows, { random, epsilon: budget?.correlation ?? null })
  options.onProgress?.({ phase: 'done', done: columnCount, total: columnCount })
  return {
    format: SYNTH_MODEL_FORMAT,
    version: SYNTH_MODEL_VERSION,
    synthesizer: 'copula',
    trainingRows: table.numRows,
    columns: profiles.map((p) => p.model),
    privacy: { k, epsilon, budget },
    copula,
    ...(detected.length > 0 ? { detectedPii: detected } : {}),
  }
}
