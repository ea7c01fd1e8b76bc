import type { Random, Table } from '@modelgate/core'
import { createRandom, detectPii } from '@modelgate/core'
import { SynthError } from '../errors.js'
import type { CopulaParams, PrivacyParams, SynthModelFile } from '../modelFile.js'
import { SYNTH_MODEL_FORMAT, SYNTH_MODEL_VERSION } from '../modelFile.js'
import type { PiiKind, TrainSynthesizerOptions } from '../types.js'
import type { ColumnProfile } from './profileColumn.js'
import { profileColumn } from './profileColumn.js'

export type ProfileTrainingOptions = Omit<TrainSynthesizerOptions, 'synthesizer' | 'ctgan'>

/** What every synthesizer learns from before its own dependence model: the privacy-safe column profiles. */
export interface TrainingProfile {
  readonly numRows: number
  /** One per table column, in table order; the copula's category ordering mutates them. */
  readonly columns: ColumnProfile[]
  readonly privacy: PrivacyParams
  readonly detectedPii: readonly { readonly column: string; readonly type: PiiKind; readonly reason: string }[]
  /** The seeded generator after profiling; a dependence fit continues from it, so one seed fixes the whole fit. */
  readonly random: Random
}

/**
 * The synthesizer-independent half of training: validates the options against the table, decides which
 * columns are PII (tags, schema, detection), and fits each column's marginal with the privacy rules applied
 * (PII never learned, categories seen fewer than k times never stored, DP noise when `epsilon` is set).
 * Reports `marginals` progress per column.
 */
export function profileTrainingTable(table: Table, options: ProfileTrainingOptions = {}): TrainingProfile {
  const source = options.source
  const where = source === undefined ? '' : ` in ${source}`
  const k = options.k ?? 5
  if (!Number.isInteger(k) || k < 1)
    throw new SynthError('MG_SYNTH_BAD_OPTION', `k must be a positive integer, got ${k}.`)
  const epsilon = options.epsilon ?? null
  if (epsilon !== null && !(epsilon > 0 && Number.isFinite(epsilon))) {
    throw new SynthError('MG_SYNTH_BAD_OPTION', `epsilon must be a positive number, got ${epsilon}.`, {
      hint: 'Typical values are 0.5 to 10.',
    })
  }
  if (table.numRows === 0) {
    throw new SynthError('MG_SYNTH_EMPTY_TABLE', `The training data${where} has no rows.`, {
      hint: 'Train on a file with at least one data row.',
    })
  }
  const names = new Set(table.columns.map((c) => c.name))
  const schemaColumns = new Map((options.schema?.columns ?? []).map((c) => [c.name, c]))
  for (const name of schemaColumns.keys()) {
    if (!names.has(name)) {
      throw new SynthError(
        'MG_SYNTH_SCHEMA_COLUMN_MISSING',
        `The schema describes column "${name}", which the data${where} does not have.`,
        {
          hint: `Columns in the data: ${[...names].join(', ')}. Fix the schema or pass the right file.`,
          location: { ...(source === undefined ? {} : { file: source }), column: name },
        },
      )
    }
  }
  for (const name of Object.keys(options.pii ?? {})) {
    if (!names.has(name)) {
      throw new SynthError(
        'MG_SYNTH_UNKNOWN_COLUMN',
        `pii names column "${name}", which the data${where} does not have.`,
        {
          hint: `Columns in the data: ${[...names].join(', ')}.`,
        },
      )
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
    const tagged: PiiKind | undefined =
      options.pii?.[column.name] ??
      schema?.pii?.type ??
      (schema?.kind === 'id' || column.kind === 'id' ? 'id' : undefined)
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
  const columns: ColumnProfile[] = table.columns.map((column, i) => {
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
  return { numRows: table.numRows, columns, privacy: { k, epsilon, budget }, detectedPii: detected, random }
}

/** The model file of a profile: columns and privacy, plus the copula when there is one (the synthesizer adds its own section). */
export function modelFileOf(
  profile: TrainingProfile,
  synthesizer: SynthModelFile['synthesizer'],
  copula?: CopulaParams,
): SynthModelFile {
  return {
    format: SYNTH_MODEL_FORMAT,
    version: SYNTH_MODEL_VERSION,
    synthesizer,
    trainingRows: profile.numRows,
    columns: profile.columns.map((p) => p.model),
    privacy: profile.privacy,
    ...(copula === undefined ? {} : { copula }),
    ...(profile.detectedPii.length > 0 ? { detectedPii: profile.detectedPii.map((d) => ({ ...d })) } : {}),
  }
}
