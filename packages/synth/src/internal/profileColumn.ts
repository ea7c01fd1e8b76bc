import type { Column, ColumnSchema, Random } from '@modelgate/core'
import { categoricalFromStrings, trimmedBounds } from '@modelgate/core'
import { SynthError } from '../errors.js'
import type { ColumnModel, NumericColumnModel } from '../modelFile.js'
import type { PiiKind } from '../types.js'
import { fitNumericMarginal } from './fitNumericMarginal.js'
import { fitTextShape } from './fitTextShape.js'
import { isFreeText, isFreeTextCounts } from './isFreeText.js'
import { sortAndRank } from './sortAndRank.js'

export interface ProfileSettings {
  readonly k: number
  readonly rareCategories: 'drop' | 'other'
  readonly otherLabel: string
  readonly maxCategories: number
  readonly source: string | undefined
  readonly random: Random
  /** 1 where the row's value marks a repeated entity (a quasi-identifier): never stored, folded like a rare category. */
  readonly fold: Uint8Array | null
}

export interface ColumnProfile {
  readonly model: ColumnModel
  /** Ordinal latent key per row (NaN where the value is null or not modelled); null when no value dimension. */
  readonly keys: Float64Array | null
  /** 1 where the row's value is null. */
  readonly isNull: Uint8Array
}

/** Profiles one column: its marginal model (privacy rules applied) and the ordinal keys the copula is fitted on. */
export function profileColumn(
  column: Column,
  numRows: number,
  schema: ColumnSchema | undefined,
  pii: PiiKind | undefined,
  settings: ProfileSettings,
): ColumnProfile {
  const isNull = nullMask(column, numRows)
  let nulls = 0
  for (let i = 0; i < numRows; i++) nulls += isNull[i] as number
  const nullRate = numRows === 0 ? 0 : nulls / numRows
  if (pii !== undefined) {
    const unique = pii === 'id' || column.kind === 'id' || schema?.unique === true
    return {
      model: {
        name: column.name,
        kind: 'pii',
        pii,
        outputKind: column.kind === 'id' || pii === 'id' ? 'id' : 'text',
        nullRate,
        unique,
      },
      keys: null,
      isNull,
    }
  }
  switch (column.kind) {
    case 'numeric':
    case 'integer':
    case 'datetime':
      return profileNumeric(column.values, isNull, numRows, column, schema, nullRate, settings)
    case 'boolean': {
      let trues = 0
      const keys = new Float64Array(numRows)
      for (let i = 0; i < numRows; i++) {
        if (isNull[i] === 1) keys[i] = Number.NaN
        else {
          keys[i] = column.values[i] as number
          trues += column.values[i] as number
        }
      }
      const present = numRows - nulls
      const pTrue = present === 0 ? 0 : trues / present
      return {
        model: { name: column.name, kind: 'boolean', nullRate, pTrue },
        keys: present === 0 ? null : keys,
        isNull,
      }
    }
    case 'categorical': {
      const coded = distinctCodes(column.codes, column.dictionary, numRows)
      // A column the reader drafted as categorical follows the rule of text columns: when its values seen at least k
      // times cover less than half of it (every value rare, say), it is regenerated in its shape instead of being
      // generated nearly all-null. A column the schema declares categorical is learned (and named in the
      // MG_SYNTH_COLUMN_LOST warning when no category could be stored).
      if (
        schema?.kind !== 'categorical' &&
        isFreeTextCounts(codeCounts(coded, null), settings.k, settings.maxCategories)
      )
        return textProfile(column.name, presentValues(coded, isNull), isNull, nullRate, 'text', false, settings)
      return profileCategorical(column.name, numRows, isNull, coded, schema, nullRate, settings)
    }
    case 'text': {
      // Free text and codes are regenerated from their shape; a column the schema calls categorical is learned
      // (and refused when it has too many values to learn without memorizing them).
      if (schema?.kind !== 'categorical') {
        const present = presentStrings(column.values, isNull)
        if (isFreeText(present, settings.k, settings.maxCategories))
          return textProfile(column.name, present, isNull, nullRate, 'text', schema?.unique === true, settings)
      }
      const textCodes = categoricalFromStrings(column.name, column.values)
      return profileCategorical(column.name, numRows, isNull, textCodes, schema, nullRate, settings)
    }
    case 'id':
      return textProfile(
        column.name,
        presentStrings(column.values, isNull),
        isNull,
        nullRate,
        'id',
        schema?.unique !== false,
        settings,
      )
  }
}

/** A column's values as codes into a dictionary of distinct strings; −1 where null. */
interface Coded {
  readonly codes: Int32Array
  readonly dictionary: readonly string[]
}

/** A categorical column's codes with a dictionary whose strings are distinct (codes of equal strings merged). */
function distinctCodes(codes: Int32Array, dictionary: readonly string[], n: number): Coded {
  const first = new Map<string, number>()
  const merged = new Int32Array(dictionary.length)
  const distinct: string[] = []
  for (let c = 0; c < dictionary.length; c++) {
    const v = dictionary[c] as string
    let to = first.get(v)
    if (to === undefined) {
      to = distinct.length
      first.set(v, to)
      distinct.push(v)
    }
    merged[c] = to
  }
  const same = distinct.length === dictionary.length && merged.every((to, c) => to === c)
  if (same && codes.length === n) return { codes, dictionary }
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const c = codes[i] as number
    out[i] = c < 0 ? -1 : (merged[c] as number)
  }
  return { codes: out, dictionary: distinct }
}

/** Rows per code, leaving out null rows and, with `fold`, rows marked 1. */
function codeCounts(coded: Coded, fold: Uint8Array | null): Int32Array {
  const counts = new Int32Array(coded.dictionary.length)
  const codes = coded.codes
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i] as number
    if (c >= 0 && (fold === null || fold[i] === 0)) counts[c] = (counts[c] as number) + 1
  }
  return counts
}

function presentValues(coded: Coded, isNull: Uint8Array): string[] {
  const out: string[] = []
  for (let i = 0; i < isNull.length; i++)
    if (isNull[i] === 0) out.push(coded.dictionary[coded.codes[i] as number] as string)
  return out
}

function presentStrings(values: readonly (string | null)[], isNull: Uint8Array): string[] {
  const out: string[] = []
  for (let i = 0; i < values.length; i++) if (isNull[i] === 0) out.push(values[i] as string)
  return out
}

/** A text or identifier column regenerated from its shape: no value dimension in any dependence model. */
function textProfile(
  name: string,
  present: readonly string[],
  isNull: Uint8Array,
  nullRate: number,
  outputKind: 'text' | 'id',
  unique: boolean,
  settings: ProfileSettings,
): ColumnProfile {
  const shape = fitTextShape(present, { k: settings.k, random: settings.random.fork('text shape', name) })
  return { model: { name, kind: 'text', outputKind, nullRate, unique, shape }, keys: null, isNull }
}

export function nullMask(column: Column, n: number): Uint8Array {
  const out = new Uint8Array(n)
  if (column.kind === 'categorical') {
    for (let i = 0; i < n; i++) out[i] = (column.codes[i] as number) < 0 ? 1 : 0
  } else if (column.kind === 'text' || column.kind === 'id') {
    for (let i = 0; i < n; i++) out[i] = column.values[i] === null || column.values[i] === undefined ? 1 : 0
  } else if ('valid' in column && column.valid !== null) {
    const valid = column.valid
    for (let i = 0; i < n; i++) out[i] = valid[i] === 0 ? 1 : 0
  }
  return out
}

function profileNumeric(
  values: Float64Array,
  isNull: Uint8Array,
  n: number,
  column: Column,
  schema: ColumnSchema | undefined,
  nullRate: number,
  settings: ProfileSettings,
): ColumnProfile {
  const fold = settings.fold
  // A folded value is left out like a null's: its latent is imputed, its value never stored.
  const keys = numericKeys(values, isNull, fold, n)
  const count = finiteCount(keys)
  const folded = fold === null ? 0 : foldedCount(values, isNull, fold, n)
  // Keys become the ranks of their values among the column's distinct values (0, 1, …): the same order and ties, so
  // the copula's tie groups and normal scores are unchanged, but counted in one pass instead of sorted again for
  // every subsample of rows (`latentScores.ts`).
  const sorted = sortAndRank(keys, count)
  const kind = column.kind as 'numeric' | 'integer' | 'datetime'
  // Bounds are the k-th smallest and largest values: the exact extremes of single records are never stored.
  const trimmed = count > 0 ? trimmedBounds(sorted, settings.k) : null
  let min = trimmed === null ? null : trimmed.min
  let max = trimmed === null ? null : trimmed.max
  const schemaMin = boundOf(schema?.min)
  const schemaMax = boundOf(schema?.max)
  if (schemaMin !== null) min = min === null ? schemaMin : Math.max(min, schemaMin)
  if (schemaMax !== null) max = max === null ? schemaMax : Math.min(max, schemaMax)
  const fit = fitNumericMarginal(sorted, { k: settings.k, spikeShare: 0.005, maxSpikes: 128, maxKnots: 1001 })
  const model: NumericColumnModel = {
    name: column.name,
    kind,
    nullRate,
    min,
    max,
    decimals: kind === 'integer' ? 0 : kind === 'datetime' ? null : detectDecimals(sorted),
    roundTo: kind === 'datetime' ? detectTimeUnit(sorted) : null,
    ...(column.kind === 'datetime' ? { format: column.format } : {}),
    spikes: fit.spikes,
    continuous: fit.continuous,
  }
  const hasValues = fit.spikes.length > 0 || fit.continuous !== null
  if (!hasValues && count + folded > 0) model.nullRate = 1
  return { model, keys: hasValues ? keys : null, isNull }
}

function profileCategorical(
  name: string,
  n: number,
  isNull: Uint8Array,
  coded: Coded,
  schema: ColumnSchema | undefined,
  nullRate: number,
  settings: ProfileSettings,
): ColumnProfile {
  // A value marking a repeated entity is never counted, so never kept: its rows join the rare ones.
  const fold = settings.fold
  const counts = codeCounts(coded, fold)
  let folded = 0
  if (fold !== null) for (let i = 0; i < n; i++) if (isNull[i] === 0 && fold[i] === 1) folded++
  const allowed = schema?.values === undefined ? null : new Set(schema.values)
  const present = n - isNull.reduce((s, x) => s + x, 0)
  const kept: [string, number, number][] = []
  let rareCount = folded
  let distinct = 0
  for (let code = 0; code < counts.length; code++) {
    const c = counts[code] as number
    if (c === 0) continue
    distinct++
    const v = coded.dictionary[code] as string
    if (c >= settings.k && (allowed === null || allowed.has(v))) kept.push([v, c, code])
    else rareCount += c
  }
  if (
    kept.length > settings.maxCategories ||
    (present >= 100 && rareCount > 0.5 * present && distinct > settings.maxCategories)
  ) {
    throw new SynthError(
      'MG_SYNTH_CATEGORY_EXPLOSION',
      `Column "${name}"${settings.source === undefined ? '' : ` in ${settings.source}`} has ${distinct.toLocaleString('en-US')} distinct values ` +
        `(${((rareCount / Math.max(1, present)) * 100).toFixed(1)}% of rows in values seen fewer than ${settings.k} times): ` +
        'a synthesizer cannot learn it without memorizing values.',
      {
        hint: `If it is an identifier or free text, declare it kind "id" or "text" in the schema (then regenerated in its shape, never learned); if it is PII, tag it (pii: { ${name}: 'id' }, or 'free_text'); or drop the column.`,
        location: { ...(settings.source === undefined ? {} : { file: settings.source }), column: name },
      },
    )
  }
  // Latent order: most frequent first (reordered later by the copula fit).
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  const useOther = settings.rareCategories === 'other' && allowed === null && rareCount >= settings.k
  const keptTotal = kept.reduce((s, [, c]) => s + c, 0) + (useOther ? rareCount : 0)
  const categories = kept.map(([value, c]) => ({ value, p: keptTotal > 0 ? c / keptTotal : 0 }))
  // Each code's key: its category's index, the "other" bucket's, or NaN (a dropped rare value).
  const keyOf = new Float64Array(counts.length).fill(useOther ? kept.length : Number.NaN)
  kept.forEach(([, , code], i) => {
    keyOf[code] = i
  })
  const keys = keysOfCodes(coded.codes, isNull, keyOf, n)
  const rareP = keptTotal > 0 && useOther ? rareCount / keptTotal : 0
  const model: ColumnModel = {
    name,
    kind: 'categorical',
    nullRate: kept.length === 0 && !useOther ? 1 : nullRate,
    categories,
    rare: {
      mode: useOther ? 'other' : 'drop',
      label: useOther ? settings.otherLabel : null,
      p: rareP,
      share: present > 0 ? rareCount / present : 0,
    },
  }
  return { model, keys: kept.length === 0 && !useOther ? null : keys, isNull }
}

// The row loops are functions of their own (see `latentScores.ts` on loops compiled while they run).

/** Each row's value where present, finite and not folded; NaN elsewhere. */
function numericKeys(values: Float64Array, isNull: Uint8Array, fold: Uint8Array | null, n: number): Float64Array {
  const keys = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i] as number
    keys[i] = isNull[i] === 0 && Number.isFinite(v) && (fold === null || fold[i] === 0) ? v : Number.NaN
  }
  return keys
}

function finiteCount(keys: Float64Array): number {
  let count = 0
  for (let i = 0; i < keys.length; i++) if (!Number.isNaN(keys[i] as number)) count++
  return count
}

function foldedCount(values: Float64Array, isNull: Uint8Array, fold: Uint8Array, n: number): number {
  let folded = 0
  for (let i = 0; i < n; i++) if (isNull[i] === 0 && Number.isFinite(values[i]) && fold[i] === 1) folded++
  return folded
}

/** Each row's key: its code's (NaN where null). */
function keysOfCodes(codes: Int32Array, isNull: Uint8Array, keyOf: Float64Array, n: number): Float64Array {
  const keys = new Float64Array(n)
  for (let i = 0; i < n; i++) keys[i] = isNull[i] === 1 ? Number.NaN : (keyOf[codes[i] as number] as number)
  return keys
}

/** A schema bound as a number (datetimes as epoch ms), or null when absent or unparsable. */
export function boundOf(b: number | string | undefined): number | null {
  if (typeof b === 'number') return b
  if (typeof b === 'string') {
    const t = Date.parse(b)
    return Number.isNaN(t) ? null : t
  }
  return null
}

function detectDecimals(sorted: Float64Array): number | null {
  const n = sorted.length
  if (n === 0) return null
  const step = Math.max(1, Math.floor(n / 2000))
  for (let d = 0; d <= 6; d++) {
    const f = 10 ** d
    let ok = true
    for (let i = 0; i < n && ok; i += step) {
      const x = (sorted[i] as number) * f
      if (Math.abs(x - Math.round(x)) > 1e-6 * Math.max(1, Math.abs(x))) ok = false
    }
    if (ok) return d
  }
  return null
}

function detectTimeUnit(sorted: Float64Array): number {
  for (const unit of [86_400_000, 3_600_000, 60_000, 1000]) {
    let ok = true
    for (let i = 0; i < sorted.length && ok; i += Math.max(1, Math.floor(sorted.length / 2000)))
      if ((sorted[i] as number) % unit !== 0) ok = false
    if (ok) return unit
  }
  return 1
}
