import { ModelGateError } from '../errors.js'
import { formatCount } from '../format/formatNumber.js'
import { inferTextKind, isDigitCodeColumn, isLowCardinality } from '../io/inferTextKind.js'
import { datetimePattern, isDateOnlyFormat, parseDatetimeAs } from '../io/parseDatetime.js'
import { trimmedBoundsUnsorted, trimmedIndex } from '../profile/trimmedBounds.js'
import type { Column, Table } from '../Table.js'
import type { PiiFinding } from './detectPii.js'
import { detectPii } from './detectPii.js'
import type { QuasiIdentifier } from './findQuasiIdentifiers.js'
import { findQuasiIdentifiers } from './findQuasiIdentifiers.js'
import { countDistinctNumbers, countNulls, countStrings } from './internal/columnValues.js'
import { isIdLikeName, piiFromName } from './internal/piiNames.js'
import type { ColumnSchema, PiiType, TableSchema } from './Schema.js'
import { SCHEMA_VERSION } from './Schema.js'

export interface InferSchemaOptions {
  /** Schema name written into the file. */
  readonly name?: string
  /** Minimum count for a category to be written as an allowed value, and the depth of the trimmed bounds (default 5). */
  readonly k?: number
  /** Values sampled per column for PII patterns (default 1,000). */
  readonly piiSample?: number
  /** Share of sampled values that must look like PII to flag a column by values (default 0.8). */
  readonly piiThreshold?: number
  /** Columns to flag as PII whatever they look like (type from the name, else `free_text`). */
  readonly pii?: readonly string[]
  /** Most distinct values a string column may have to be drafted as categorical (default 1,000). */
  readonly maxCategories?: number
  /**
   * Read dates written with day and month as numbers (`01/02/2000`) day first when the data does not prove the
   * order; default month first. Pass the same to the reader (`ReadOptions.dayFirst`).
   */
  readonly dayFirst?: boolean
  /** The table's quasi-identifiers when already computed (`findQuasiIdentifiers`); computed when absent. */
  readonly quasiIdentifiers?: readonly QuasiIdentifier[]
  readonly onProgress?: (progress: { readonly column: string; readonly done: number; readonly total: number }) => void
}

export interface SchemaWarning {
  /**
   * `MG_SCHEMA_CONSTANT_COLUMN`, `MG_SCHEMA_ALL_NULL_COLUMN`, `MG_SCHEMA_RARE_CATEGORIES`, `MG_SCHEMA_QUASI_IDENTIFIER`
   * (and, from `profileTable` with a schema, `MG_SCHEMA_PII_UNTAGGED`).
   */
  readonly code: string
  readonly column: string
  readonly message: string
}

export interface InferredSchema {
  readonly schema: TableSchema
  readonly warnings: readonly SchemaWarning[]
  /**
   * What the draft decided that the data proved, worth saying but not a problem: `MG_SCHEMA_DAY_FIRST` (dates read
   * day first because a first field above 12 proves it), `MG_SCHEMA_MONTH_FIRST` (read month first although day first
   * was asked, because a second field above 12 proves it).
   */
  readonly notes: readonly SchemaWarning[]
}

const BOOLEAN_PAIRS: readonly (readonly [string, string])[] = [
  ['true', 'false'],
  ['yes', 'no'],
  ['t', 'f'],
  ['y', 'n'],
]

/**
 * Drafts an annotated schema from data: kind per column, nullability, bounds (trimmed: the k-th smallest and largest
 * value, never a single record's extreme — widen them to the real domain when reviewing), allowed categorical values
 * (only when every value was seen at least k times and the column is not PII — rare values never reach the
 * schema), and PII flags with the reason for each. Digit codes with leading zeros (`00501`) stay strings as written:
 * categorical when few, else id. Constant, all-null and rare-category columns come back as warnings.
 */
export function inferSchema(table: Table, options: InferSchemaOptions = {}): InferredSchema {
  if (table.columns.length === 0) {
    throw new ModelGateError('MG_SCHEMA_NO_COLUMNS', 'The table has no columns, so there is no schema to draft.', {
      hint: 'check that the file has a header row',
    })
  }
  const k = options.k ?? 5
  const forced = new Set(options.pii ?? [])
  const warnings: SchemaWarning[] = []
  const notes: SchemaWarning[] = []
  const columns: ColumnSchema[] = []
  table.columns.forEach((column, index) => {
    const inferred = inferColumn(column, table.numRows, { ...options, k, forced: forced.has(column.name) }, warnings)
    columns.push(inferred)
    if (inferred.kind === 'datetime' && column.kind !== 'boolean')
      dateOrderNote(inferred, column, table.numRows, options.dayFirst === true, warnings, notes)
    options.onProgress?.({ column: column.name, done: index + 1, total: table.columns.length })
  })
  // Entity memorization: a column whose values mark repeated entities keeps no allowed values and no bounds.
  const quasi = options.quasiIdentifiers ?? findQuasiIdentifiers(table)
  const indexOf = new Map(columns.map((c, i) => [c.name, i]))
  for (const q of quasi) {
    const index = indexOf.get(q.column) ?? -1
    const column = columns[index]
    if (column === undefined || column.pii !== undefined || column.kind === 'id') continue
    const { values: _values, min: _min, max: _max, ...rest } = column
    columns[index] = rest
    warnings.push({
      code: 'MG_SCHEMA_QUASI_IDENTIFIER',
      column: q.column,
      message: `Column "${q.column}" ${describeQuasiIdentifier(q)}; its values and bounds are left out of the schema. Tag it as PII if it is.`,
    })
  }
  const schema: TableSchema = {
    version: SCHEMA_VERSION,
    ...(options.name === undefined ? {} : { name: options.name }),
    columns,
  }
  return { schema, warnings, notes }
}

/**
 * For dates with day and month written as numbers: a note when the data proves day first (a day above 12 in the
 * first field), a warning when nothing proves the order and it was assumed (`MG_SCHEMA_DATE_ORDER_ASSUMED`).
 */
function dateOrderNote(
  inferred: ColumnSchema,
  column: Column,
  numRows: number,
  dayFirst: boolean,
  warnings: SchemaWarning[],
  notes: SchemaWarning[],
): void {
  const format = inferred.format === undefined ? '' : datetimePattern(inferred.format)
  const order = /^(d{1,2}|M{1,2})[/.-](d{1,2}|M{1,2})[/.-]y/.exec(format)
  if (order === null || order[1]?.[0] === order[2]?.[0]) return
  const first = order[1]?.[0] === 'd' ? 'day' : 'month'
  let maxDay = 0
  if (column.kind === 'datetime') {
    for (let i = 0; i < numRows; i++) {
      if (column.valid !== null && column.valid[i] === 0) continue
      const day = new Date(column.values[i] as number).getUTCDate()
      if (day > maxDay) maxDay = day
    }
  } else {
    for (const v of columnStrings(column, numRows)) {
      const ms = parseDatetimeAs(v.trim(), format)
      if (!Number.isNaN(ms)) maxDay = Math.max(maxDay, new Date(ms).getUTCDate())
    }
  }
  const name = inferred.name
  if (maxDay > 12 && first === 'day') {
    notes.push({
      code: 'MG_SCHEMA_DAY_FIRST',
      column: name,
      message: `Column "${name}" is read day first (${format}): some values have a day above 12 in the first field.`,
    })
  } else if (maxDay > 12 && dayFirst) {
    notes.push({
      code: 'MG_SCHEMA_MONTH_FIRST',
      column: name,
      message: `Column "${name}" is read month first (${format}) although day first was asked: some values have a day above 12 in the second field.`,
    })
  } else if (maxDay <= 12 && !(dayFirst && first === 'day')) {
    warnings.push({
      code: 'MG_SCHEMA_DATE_ORDER_ASSUMED',
      column: name,
      message: `Column "${name}" has dates whose first two fields are 12 or less in every row, so nothing proves their order; they are read ${first} first (${format}). Declare the format if that is wrong.`,
    })
  }
}

function columnStrings(column: Column, numRows: number): string[] {
  const out: string[] = []
  for (const [value] of countStrings(column, numRows)) out.push(value)
  return out
}

/** `is a quasi-identifier: 30 of its values each mark one repeated entity (300 rows whose a, b repeat with them)`. */
export function describeQuasiIdentifier(q: QuasiIdentifier): string {
  return (
    `is a quasi-identifier: ${formatCount(q.values)} of its values each mark one repeated entity ` +
    `(${formatCount(q.rowCount)} rows whose ${q.partners.join(', ')} repeat with them)`
  )
}

interface ColumnOptions extends InferSchemaOptions {
  readonly k: number
  readonly forced: boolean
}

function inferColumn(column: Column, numRows: number, options: ColumnOptions, warnings: SchemaWarning[]): ColumnSchema {
  const name = column.name
  const nulls = countNulls(column, numRows)
  const nonNull = numRows - nulls
  const nullable = nulls > 0
  const warn = (code: string, message: string): void => {
    warnings.push({ code, column: name, message: `Column "${name}" ${message}` })
  }
  if (nonNull === 0) {
    warn('MG_SCHEMA_ALL_NULL_COLUMN', `has no values (all ${formatCount(numRows)} rows are null); its kind is a guess.`)
  }
  const finding = findPii(column, numRows, options)
  const pii = finding === undefined ? {} : { pii: { type: finding.type, reason: finding.reason } }

  switch (column.kind) {
    case 'boolean': {
      if (nonNull > 0 && isConstantBoolean(column.values, column.valid, numRows))
        warn('MG_SCHEMA_CONSTANT_COLUMN', 'is constant: every value is the same.')
      return { name, kind: 'boolean', nullable }
    }
    case 'datetime': {
      const { min, max, constant } = numericRange(column.values, column.valid, numRows, options.k)
      if (nonNull > 0 && constant) warn('MG_SCHEMA_CONSTANT_COLUMN', 'is constant: every value is the same.')
      const bounds = nonNull === 0 ? {} : { min: formatBound(min, column.format), max: formatBound(max, column.format) }
      return { name, kind: 'datetime', nullable, format: column.format, ...bounds }
    }
    case 'numeric':
    case 'integer': {
      const { min, max, integral, constant } = numericRange(column.values, column.valid, numRows, options.k)
      const kind =
        integral && nonNull > 0 ? 'integer' : column.kind === 'integer' && nonNull === 0 ? 'integer' : 'numeric'
      if (nonNull > 0 && constant) warn('MG_SCHEMA_CONSTANT_COLUMN', 'is constant: every value is the same.')
      // Digit-only phones, SSNs and card numbers are identifiers written with digits, not quantities: text (or
      // id when unique), as the synthesizers regenerate them.
      if (finding !== undefined) {
        const distinct = countDistinctNumbers(column.values, column.valid, numRows)
        return { name, kind: piiKind(finding, distinct, nonNull), nullable, ...pii }
      }
      if (kind === 'integer' && isIdLikeName(name) && nonNull > 1) {
        const distinct = countDistinctNumbers(column.values, column.valid, numRows)
        if (distinct >= 0.95 * nonNull)
          return { name, kind: 'id', nullable, ...(distinct === nonNull ? { unique: true } : {}) }
      }
      return { name, kind, nullable, ...(nonNull === 0 ? {} : { min, max }) }
    }
    default:
      return inferStringColumn(column, numRows, nonNull, nullable, finding, options, warn)
  }
}

function inferStringColumn(
  column: Column,
  numRows: number,
  nonNull: number,
  nullable: boolean,
  finding: PiiFinding | undefined,
  options: ColumnOptions,
  warn: (code: string, message: string) => void,
): ColumnSchema {
  const name = column.name
  const counts = countStrings(column, numRows)
  const distinct = counts.size
  if (nonNull > 0 && distinct === 1) warn('MG_SCHEMA_CONSTANT_COLUMN', 'is constant: every value is the same.')
  const unique = nonNull > 1 && distinct === nonNull ? { unique: true } : {}
  if (finding !== undefined) {
    // PII: never bounds or values, only the kind the generator needs.
    return {
      name,
      kind: piiKind(finding, distinct, nonNull),
      nullable,
      ...unique,
      pii: { type: finding.type, reason: finding.reason },
    }
  }
  if (nonNull === 0) return { name, kind: column.kind === 'id' ? 'id' : 'text', nullable }

  const keys = [...counts.keys()]
  const lower = new Set(keys.map((v) => v.trim().toLowerCase()))
  if (lower.size <= 2 && BOOLEAN_PAIRS.some(([a, b]) => [...lower].every((v) => v === a || v === b))) {
    return { name, kind: 'boolean', nullable }
  }
  const datetime = parseAllDatetimes(counts, options.k, options.dayFirst === true)
  if (datetime !== undefined) {
    const { min, max, format } = datetime
    return { name, kind: 'datetime', nullable, format, min: formatBound(min, format), max: formatBound(max, format) }
  }
  if ((isIdLikeName(name) || column.kind === 'id') && distinct >= 0.95 * nonNull && nonNull > 1) {
    return { name, kind: 'id', nullable, ...unique }
  }
  // The readers' rule (distinct ≤ half the values and ≤ max(50, 5%), at most 1,000) unless the reader already
  // dictionary-encoded the column; either way no more than maxCategories.
  const maxCategories = options.maxCategories ?? 1000
  const categorical =
    distinct <= maxCategories &&
    (column.kind === 'categorical' ? distinct <= Math.max(2, nonNull / 2) : isLowCardinality(distinct, nonNull))
  if (categorical) {
    let rare = 0
    for (const count of counts.values()) if (count < options.k) rare++
    if (rare > 0) {
      warn(
        'MG_SCHEMA_RARE_CATEGORIES',
        `has ${formatCount(rare)} categor${rare === 1 ? 'y' : 'ies'} seen fewer than ${options.k} times; allowed values are left out of the schema so that rare values never reach it.`,
      )
      return { name, kind: 'categorical', nullable }
    }
    return { name, kind: 'categorical', nullable, values: keys.sort(compareStrings) }
  }
  // Codes written with digits and leading zeros (zip codes `00501`) too many to be categories are identifiers.
  if (isDigitCodeColumn(keys)) return { name, kind: 'id', nullable, ...unique }
  return { name, kind: 'text', nullable, ...unique }
}

/** PII columns are text, or id when the type is an identifier and (nearly) every value is distinct. */
function piiKind(finding: PiiFinding, distinct: number, nonNull: number): 'id' | 'text' {
  const idLike = finding.type === 'device_id' || finding.type === 'card_number' || finding.type === 'national_id'
  return idLike && distinct >= 0.95 * nonNull ? 'id' : 'text'
}

function findPii(column: Column, numRows: number, options: ColumnOptions): PiiFinding | undefined {
  const finding = detectPii(column, numRows, {
    ...(options.piiSample === undefined ? {} : { sampleSize: options.piiSample }),
    ...(options.piiThreshold === undefined ? {} : { threshold: options.piiThreshold }),
  })
  if (finding !== undefined || !options.forced) return finding
  const type: PiiType = piiFromName(column.name)?.type ?? 'free_text'
  return { type, reason: 'flagged by the user', byName: false, valueShare: 0, sampled: 0 }
}

/** Trimmed bounds (the k-th smallest and largest value, never a single record's extreme) and whether all are integers. */
function numericRange(
  values: Float64Array,
  valid: Uint8Array | null,
  numRows: number,
  k: number,
): { min: number; max: number; integral: boolean; constant: boolean } {
  const sorted = new Float64Array(numRows)
  let n = 0
  let integral = true
  for (let i = 0; i < numRows; i++) {
    if (valid !== null && valid[i] !== 1) continue
    const v = values[i] as number
    sorted[n++] = v
    if (integral && !Number.isInteger(v)) integral = false
  }
  const present = sorted.subarray(0, n)
  const { min, max } = n === 0 ? { min: Number.NaN, max: Number.NaN } : trimmedBoundsUnsorted(present, k)
  let constant = n > 0
  for (let i = 1; i < n && constant; i++) constant = present[i] === present[0]
  return { min, max, integral, constant }
}

function isConstantBoolean(values: Uint8Array, valid: Uint8Array | null, numRows: number): boolean {
  let seen = -1
  for (let i = 0; i < numRows; i++) {
    if (valid !== null && valid[i] !== 1) continue
    const v = values[i] as number
    if (seen === -1) seen = v
    else if (v !== seen) return false
  }
  return true
}

/**
 * Trimmed bounds and format when every distinct value is a date or datetime in one format (as the readers infer
 * them); `counts` holds each distinct value's count, so the bounds are the k-th smallest and largest of all values.
 */
function parseAllDatetimes(
  counts: ReadonlyMap<string, number>,
  k: number,
  dayFirst: boolean,
): { min: number; max: number; format: string } | undefined {
  const keys = [...counts.keys()].map((key) => key.trim())
  const inferred = inferTextKind(keys, { numbers: false, dayFirst })
  if (inferred.kind !== 'datetime' || inferred.format === undefined) return undefined
  const format = inferred.format
  const times: [number, number][] = []
  for (const [key, count] of counts) {
    const ms = parseDatetimeAs(key.trim(), format)
    if (Number.isNaN(ms)) return undefined
    times.push([ms, count])
  }
  if (times.length === 0) return undefined
  times.sort((a, b) => a[0] - b[0])
  let total = 0
  for (const [, count] of times) total += count
  const at = (rank: number): number => {
    let seen = 0
    for (const [ms, count] of times) {
      seen += count
      if (rank < seen) return ms
    }
    return (times[times.length - 1] as [number, number])[0]
  }
  return { min: at(trimmedIndex(total, k, 'low')), max: at(trimmedIndex(total, k, 'high')), format }
}

/** Bounds are written as ISO 8601 (a date alone for date-only formats), whatever the column's format. */
function formatBound(ms: number, format: string): string {
  const iso = new Date(ms).toISOString()
  return isDateOnlyFormat(format) ? iso.slice(0, 10) : iso
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
