import type { Column, Random, Table } from '@modelgate/core'
import { createRandom, detectPii, findQuasiIdentifiers, tableFromColumns } from '@modelgate/core'
import { describeLostColumn } from '../describeLostColumn.js'
import { SynthError } from '../errors.js'
import type { CopulaParams, LostColumn, PrivacyParams, SynthModelFile } from '../modelFile.js'
import { SYNTH_MODEL_FORMAT, SYNTH_MODEL_VERSION } from '../modelFile.js'
import type { PiiKind, TrainSynthesizerOptions } from '../types.js'
import { createSecretBits } from './dp/discreteLaplace.js'
import type { DpState } from './dp/profileTableDp.js'
import { dpAccountOf, profileTableDp } from './dp/profileTableDp.js'
import { findLostColumns, lostColumnAdvice } from './findLostColumns.js'
import type { ColumnProfile } from './profileColumn.js'
import { profileColumn } from './profileColumn.js'

export type ProfileTrainingOptions = Omit<TrainSynthesizerOptions, 'synthesizer' | 'ctgan'>

interface QuasiIdentifierSummary {
  readonly column: string
  /** Distinct values folded and the rows holding them (counts only, never the values); absent under DP. */
  readonly values?: number
  readonly rows?: number
  /** Columns that repeat with them (at most three). */
  readonly partners: readonly string[]
}

interface TrainingWarning {
  readonly code: 'MG_SYNTH_PII_UNTAGGED' | 'MG_SYNTH_QUASI_IDENTIFIER' | 'MG_SYNTH_COLUMN_LOST'
  readonly column: string
  readonly message: string
}

/** What every synthesizer learns from before its own dependence model: the privacy-safe column profiles. */
export interface TrainingProfile {
  readonly numRows: number
  /** One per table column, in table order; the copula's category ordering mutates them. */
  readonly columns: ColumnProfile[]
  readonly privacy: PrivacyParams
  /** With `epsilon`: the privacy ledger and what the DP copula still may spend; null without. */
  readonly dp: DpState | null
  readonly detectedPii: readonly { readonly column: string; readonly type: PiiKind; readonly reason: string }[]
  /** Columns whose values mark repeated entities, folded like rare categories (the entity-memorization rule). */
  readonly quasiIdentifiers: readonly QuasiIdentifierSummary[]
  /** Columns that will be generated with far more nulls than the data had (see `findLostColumns`). */
  readonly lostColumns: readonly LostColumn[]
  /** Untagged columns that look like PII and quasi-identifier columns, each named; strict training refuses them. */
  readonly warnings: readonly TrainingWarning[]
  /**
   * The table a synthesizer learns from after profiling: numeric values folded as quasi-identifiers are replaced
   * by other values of their column drawn at random (hot deck), so no synthesizer reading raw values sees them.
   */
  readonly table: Table
  /** The seeded generator after profiling; a dependence fit continues from it, so one seed fixes the whole fit. */
  readonly random: Random
}

/**
 * The synthesizer-independent half of training: validates the options against the table, decides which
 * columns are PII (tags, schema, detection), and fits each column's marginal with the privacy rules applied
 * (PII never learned, categories seen fewer than k times never stored); with `epsilon`, every column goes through
 * the DP profile instead (`dp/profileTableDp.ts`: noisy counts only, categories chosen by noisy counts).
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
  const delta = options.delta ?? 1e-6
  if (epsilon !== null && !(delta >= 0 && delta < 1)) {
    throw new SynthError('MG_SYNTH_BAD_OPTION', `delta must be a number in [0, 1), got ${delta}.`, {
      hint: 'The default, 1e-6, is far below 1/rows for tables up to 100,000 rows; pass 0 with a schema that declares every category.',
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
  const detected: { column: string; type: PiiKind; reason: string }[] = []
  const warnings: TrainingWarning[] = []
  const piiOf = table.columns.map((column): PiiKind | undefined => {
    const schema = schemaColumns.get(column.name)
    // An identifier column not tagged as PII is regenerated from its shape (see `fitTextShape`), unless it looks
    // like PII; then it is PII like any other. Under DP it stays an opaque id (shapes are not noised).
    const isId = schema?.kind === 'id' || column.kind === 'id'
    const tagged: PiiKind | undefined =
      options.pii?.[column.name] ?? schema?.pii?.type ?? (epsilon !== null && isId ? 'id' : undefined)
    if (tagged !== undefined || schema?.notPii === true || options.detectPii === false) return tagged
    // Detection runs whether or not a schema describes the column: an untagged column that looks like PII is
    // treated as PII (never learned) and named in a warning.
    const finding = detectPii(column, table.numRows)
    if (finding === undefined) return undefined
    detected.push({ column: column.name, type: finding.type, reason: finding.reason })
    warnings.push({
      code: 'MG_SYNTH_PII_UNTAGGED',
      column: column.name,
      message:
        `Column "${column.name}"${where} looks like PII (${finding.reason}) but is not tagged: it is treated as ${finding.type} and not learned. ` +
        `Tag it as PII in the schema, or mark it "notPii": true if it is not.`,
    })
    return finding.type
  })
  // Entity memorization: values that mark a repeated entity are folded like rare categories, whatever detection
  // found. PII columns are not learned anyway; a categorical whose allowed values the schema declares is public.
  const skip = table.columns
    .filter(
      (c, i) =>
        piiOf[i] !== undefined ||
        schemaColumns.get(c.name)?.values !== undefined ||
        c.kind === 'id' ||
        schemaColumns.get(c.name)?.kind === 'id',
    )
    .map((c) => c.name)
  const found = findQuasiIdentifiers(table, { skip })
  const foldOf = new Map(found.map((q) => [q.column, q.rows]))
  // Under differential privacy the counts are exact statistics of the data: only the column and its partners are kept.
  const quasiIdentifiers: QuasiIdentifierSummary[] = found.map((q) => ({
    column: q.column,
    ...(epsilon === null ? { values: q.values, rows: q.rowCount } : {}),
    partners: q.partners,
  }))
  for (const q of found) {
    warnings.push({
      code: 'MG_SYNTH_QUASI_IDENTIFIER',
      column: q.column,
      message:
        epsilon === null
          ? `Column "${q.column}"${where} is a quasi-identifier: ${q.values.toLocaleString('en-US')} of its values each mark one repeated entity ` +
            `(${q.rowCount.toLocaleString('en-US')} rows whose ${q.partners.join(', ')} repeat with them); they are not stored, folded like rare categories.`
          : `Column "${q.column}"${where} is a quasi-identifier: some of its values each mark one repeated entity (rows whose ${q.partners.join(', ')} repeat with them). ` +
            'Under differential privacy none of its values is learned (the whole column is folded: a value-by-value choice made on the data would be outside the budget).',
    })
  }
  if (options.strict === true && warnings.length > 0) {
    const parts: string[] = []
    if (detected.length > 0)
      parts.push(
        `columns that look like PII are not tagged: ${detected.map((d) => `${d.column} (${d.type})`).join(', ')}`,
      )
    if (quasiIdentifiers.length > 0)
      parts.push(
        `quasi-identifier columns (values marking repeated entities): ${quasiIdentifiers.map((q) => q.column).join(', ')}`,
      )
    throw new SynthError('MG_SYNTH_PRIVACY_STRICT', `Strict mode${where}: ${parts.join('; ')}. Nothing was trained.`, {
      hint: 'Tag each PII column in the schema (or mark it "notPii": true after review); drop or tag quasi-identifiers.',
    })
  }
  if (epsilon !== null) {
    const seeded = options.seed !== undefined
    const { columns, state } = profileTableDp(table, piiOf, schemaColumns, {
      epsilon,
      delta,
      k,
      rareCategories: options.rareCategories ?? 'drop',
      otherLabel: options.otherLabel ?? '__other__',
      maxCategories: options.maxCategories ?? 1000,
      source,
      random: seeded ? random : createSecretBits(),
      generator: seeded ? 'seeded' : 'os-entropy',
      detected: detected.map((d) => d.column),
      quasiIdentifiers: found.map((q) => q.column),
      onColumn: (done) => options.onProgress?.({ phase: 'marginals', done, total: columnCount }),
    })
    const lostColumns = lostColumnsOf(columns, foldOf, true, { k, trainingRows: state.trainingRows, where }, warnings)
    if (options.strict === true) refuseLostColumns(lostColumns, warnings, where)
    return {
      numRows: table.numRows,
      columns,
      privacy: { k, epsilon, delta },
      lostColumns,
      dp: state,
      // Detection's reasons quote shares of the data; under DP only the verdict is kept.
      detectedPii: detected.map((d) => ({
        ...d,
        reason: 'name or value shapes (details withheld under differential privacy)',
      })),
      quasiIdentifiers,
      warnings,
      // CTGAN refuses epsilon: no synthesizer reads this table's raw values under DP.
      table,
      random,
    }
  }
  const columns: ColumnProfile[] = table.columns.map((column, i) => {
    const profile = profileColumn(column, table.numRows, schemaColumns.get(column.name), piiOf[i], {
      k,
      rareCategories: options.rareCategories ?? 'drop',
      otherLabel: options.otherLabel ?? '__other__',
      maxCategories: options.maxCategories ?? 1000,
      source,
      random,
      fold: foldOf.get(column.name) ?? null,
    })
    options.onProgress?.({ phase: 'marginals', done: i + 1, total: columnCount })
    return profile
  })
  const lostColumns = lostColumnsOf(columns, foldOf, false, { k, trainingRows: table.numRows, where }, warnings)
  if (options.strict === true) refuseLostColumns(lostColumns, warnings, where)
  return {
    numRows: table.numRows,
    columns,
    privacy: { k, epsilon: null },
    lostColumns,
    dp: null,
    detectedPii: detected,
    quasiIdentifiers,
    warnings,
    // A generator of its own, so the dependence fits continue from the same state with or without folding.
    table: withoutFoldedNumbers(table, foldOf, createRandom(seed, 'quasi-identifier hot deck')),
    random,
  }
}

/** The lost columns of the profiles, each also named in a `MG_SYNTH_COLUMN_LOST` warning. */
function lostColumnsOf(
  columns: readonly ColumnProfile[],
  foldOf: ReadonlyMap<string, Uint8Array>,
  dp: boolean,
  o: { k: number; trainingRows: number; where: string },
  warnings: TrainingWarning[],
): LostColumn[] {
  const lost = findLostColumns(columns, foldOf, dp)
  for (const l of lost) {
    const nullRate = columns.find((c) => c.model.name === l.column)?.model.nullRate ?? 1
    const text = describeLostColumn(l, { k: o.k, trainingRows: o.trainingRows, nullRate })
    warnings.push({
      code: 'MG_SYNTH_COLUMN_LOST',
      column: l.column,
      message: `${text.charAt(0).toUpperCase()}${text.slice(1)}${o.where}. ${lostColumnAdvice(l)}`,
    })
  }
  return lost
}

/** Strict training refuses a model that would generate a column with values in the data as (mostly) null. */
function refuseLostColumns(lost: readonly LostColumn[], warnings: readonly TrainingWarning[], where: string): void {
  if (lost.length === 0) return
  const messages = warnings.filter((w) => w.code === 'MG_SYNTH_COLUMN_LOST').map((w) => w.message)
  throw new SynthError(
    'MG_SYNTH_COLUMN_LOST',
    `Strict mode${where}: ${lost.length === 1 ? 'a column' : `${lost.length} columns`} would be generated with values lost (${lost.map((l) => l.column).join(', ')}); nothing was trained. ${messages.join(' ')}`,
    { location: { column: (lost[0] as LostColumn).column } },
  )
}

/** The table with numeric values folded as quasi-identifiers replaced by other values of their column (hot deck). */
function withoutFoldedNumbers(table: Table, foldOf: ReadonlyMap<string, Uint8Array>, random: Random): Table {
  const n = table.numRows
  let changed = false
  const columns = table.columns.map((column): Column => {
    const fold = foldOf.get(column.name)
    if (fold === undefined || (column.kind !== 'numeric' && column.kind !== 'integer' && column.kind !== 'datetime'))
      return column
    changed = true
    const donors: number[] = []
    for (let i = 0; i < n; i++) if (fold[i] === 0 && (column.valid === null || column.valid[i] === 1)) donors.push(i)
    const values = Float64Array.from(column.values)
    const valid = column.valid === null ? new Uint8Array(n).fill(1) : Uint8Array.from(column.valid)
    for (let i = 0; i < n; i++) {
      if (fold[i] !== 1) continue
      // Nothing left to draw from: the row's value becomes null (the model stores the column as all-null).
      if (donors.length === 0) valid[i] = 0
      else values[i] = column.values[donors[random.int(donors.length)] as number] as number
    }
    return { ...column, values, valid }
  })
  return changed ? tableFromColumns(columns) : table
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
    // Under DP the row count itself is private: the model stores the median of the columns' noisy counts.
    trainingRows: profile.dp === null ? profile.numRows : profile.dp.trainingRows,
    columns: profile.columns.map((p) => p.model),
    privacy: profile.dp === null ? profile.privacy : { ...profile.privacy, dp: dpAccountOf(profile.dp) },
    ...(copula === undefined ? {} : { copula }),
    ...(profile.detectedPii.length > 0 ? { detectedPii: profile.detectedPii.map((d) => ({ ...d })) } : {}),
    ...(profile.quasiIdentifiers.length > 0
      ? { quasiIdentifiers: profile.quasiIdentifiers.map((q) => ({ ...q, partners: [...q.partners] })) }
      : {}),
    ...(profile.lostColumns.length > 0 ? { lostColumns: profile.lostColumns.map((l) => ({ ...l })) } : {}),
  }
}
