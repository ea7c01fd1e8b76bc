import { detectPii } from '../schema/detectPii.js'
import { findQuasiIdentifiers } from '../schema/findQuasiIdentifiers.js'
import type { SchemaWarning } from '../schema/inferSchema.js'
import { describeQuasiIdentifier, inferSchema } from '../schema/inferSchema.js'
import { countNulls, countStrings, textAt } from '../schema/internal/columnValues.js'
import type { ColumnSchema, TableSchema } from '../schema/Schema.js'
import type { Column, Table } from '../Table.js'
import type { CategoryCount, ColumnProfile, NumericSummary, TableProfile } from './Profile.js'
import { trimmedBounds } from './trimmedBounds.js'

export interface ProfileOptions {
  /**
   * Kinds and PII tags to use; inferred (with PII detection) when absent. Given, detection still runs on the
   * columns it does not tag (nor mark `notPii`): one that looks like PII is summarized as PII, with a warning.
   */
  readonly schema?: TableSchema
  /** Categories seen fewer than k times are collapsed into `(other)`; numeric bounds are the k-th values (default 5). */
  readonly k?: number
  /** Histogram bins (default 20). */
  readonly bins?: number
  /** Most categories listed per column before `(other)` (default 10). */
  readonly top?: number
  readonly onProgress?: (progress: { readonly column: string; readonly done: number; readonly total: number }) => void
}

const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99] as const
export const OTHER_CATEGORY = '(other)'

/**
 * Profiles every column: kind, count, null rate, distinct count, numeric summary with quantiles and a
 * histogram, top categories. Privacy: categories seen fewer than k times are folded into `(other)`, and PII
 * columns are summarized by counts only (no values, bounds or categories).
 */
export function profileTable(table: Table, options: ProfileOptions = {}): TableProfile {
  const k = options.k ?? 5
  // Values marking repeated entities (the entity-memorization rule) are folded into `(other)` like rare ones.
  const quasi = findQuasiIdentifiers(table)
  let schema = options.schema
  const warnings: SchemaWarning[] = []
  if (schema === undefined) {
    const inferred = inferSchema(table, { k, quasiIdentifiers: quasi })
    schema = inferred.schema
    warnings.push(...inferred.warnings)
  } else {
    schema = withDetectedPii(table, schema, warnings)
  }
  const specs = new Map(schema.columns.map((c) => [c.name, c]))
  const folds = new Map<string, Uint8Array>()
  for (const q of quasi) {
    const spec = specs.get(q.column)
    if (spec?.pii !== undefined || spec?.kind === 'id' || spec?.values !== undefined) continue
    folds.set(q.column, q.rows)
    if (options.schema !== undefined) {
      warnings.push({
        code: 'MG_SCHEMA_QUASI_IDENTIFIER',
        column: q.column,
        message: `Column "${q.column}" ${describeQuasiIdentifier(q)}; they are folded into ${OTHER_CATEGORY}.`,
      })
    }
  }
  const settings = { k, bins: options.bins ?? 20, top: options.top ?? 10 }
  const columns = table.columns.map((column, index) => {
    const profile = profileColumn(column, specs.get(column.name), table.numRows, settings, folds.get(column.name))
    options.onProgress?.({ column: column.name, done: index + 1, total: table.columns.length })
    return profile
  })
  return { numRows: table.numRows, numColumns: table.columns.length, k, columns, warnings }
}

/** The schema with every untagged column that looks like PII tagged as such (and a warning naming it). */
function withDetectedPii(table: Table, schema: TableSchema, warnings: SchemaWarning[]): TableSchema {
  const specs = new Map(schema.columns.map((c) => [c.name, c]))
  const columns: ColumnSchema[] = [...schema.columns]
  for (const column of table.columns) {
    const spec = specs.get(column.name)
    if (spec?.pii !== undefined || spec?.notPii === true || spec?.kind === 'id') continue
    const finding = detectPii(column, table.numRows)
    if (finding === undefined) continue
    warnings.push({
      code: 'MG_SCHEMA_PII_UNTAGGED',
      column: column.name,
      message: `Column "${column.name}" looks like PII (${finding.reason}) but the schema does not tag it: it is profiled as ${finding.type} (counts only). Tag it, or mark it "notPii": true if it is not PII.`,
    })
    const tagged: ColumnSchema = {
      ...(spec ?? { name: column.name, kind: column.kind, nullable: true }),
      pii: { type: finding.type, reason: finding.reason },
    }
    const index = columns.findIndex((c) => c.name === column.name)
    if (index >= 0) columns[index] = tagged
    else columns.push(tagged)
  }
  return { ...schema, columns }
}

interface Settings {
  readonly k: number
  readonly bins: number
  readonly top: number
}

function profileColumn(
  column: Column,
  spec: ColumnSchema | undefined,
  numRows: number,
  settings: Settings,
  fold: Uint8Array | undefined,
): ColumnProfile {
  const nulls = countNulls(column, numRows)
  const kind = spec?.kind ?? column.kind
  const base = { name: column.name, kind, count: numRows, nulls, nullRate: numRows === 0 ? 0 : nulls / numRows }
  if (spec?.pii !== undefined) {
    const { type, reason } = spec.pii
    return { ...base, distinct: distinctOf(column, numRows), pii: reason === undefined ? { type } : { type, reason } }
  }
  switch (column.kind) {
    case 'numeric':
    case 'integer': {
      if (kind === 'id') return { ...base, distinct: distinctOf(column, numRows) }
      const summary = summarizeNumbers(column.values, unfolded(column.valid, fold, numRows), numRows, settings)
      return summary === undefined ? base : { ...base, distinct: summary.distinct, numeric: summary }
    }
    case 'datetime': {
      const summary = summarizeNumbers(column.values, unfolded(column.valid, fold, numRows), numRows, settings)
      if (summary === undefined) return base
      const iso = (ms: number): string => new Date(ms).toISOString()
      return {
        ...base,
        distinct: summary.distinct,
        numeric: summary,
        datetime: { min: iso(summary.min), max: iso(summary.max), p50: iso(summary.quantiles.p50) },
      }
    }
    case 'boolean': {
      let trueCount = 0
      for (let i = 0; i < numRows; i++)
        if ((column.valid === null || column.valid[i] === 1) && column.values[i] === 1) trueCount++
      const nonNull = numRows - nulls
      const distinct = trueCount > 0 && trueCount < nonNull ? 2 : nonNull > 0 ? 1 : 0
      return { ...base, distinct, boolean: { trueCount, trueRate: nonNull === 0 ? 0 : trueCount / nonNull } }
    }
    default: {
      const counts = countStrings(column, numRows)
      if (kind === 'id') return { ...base, distinct: counts.size }
      if (kind === 'categorical' || kind === 'boolean') {
        const distinct = counts.size
        const folded = fold === undefined ? null : foldedValues(column, counts, fold, numRows)
        return { ...base, distinct, categories: topCategories(counts, numRows - nulls, settings, folded) }
      }
      let totalLength = 0
      let maxLength = 0
      let n = 0
      for (const [value, count] of counts) {
        totalLength += value.length * count
        n += count
        if (value.length > maxLength) maxLength = value.length
      }
      return { ...base, distinct: counts.size, text: { meanLength: n === 0 ? 0 : totalLength / n, maxLength } }
    }
  }
}

function topCategories(
  counts: Map<string, number>,
  nonNull: number,
  settings: Settings,
  folded: ReadonlySet<string> | null,
): { top: CategoryCount[]; rareCategories: number } {
  const frequent: [string, number][] = []
  let rareCategories = 0
  let other = 0
  for (const [value, count] of counts) {
    if (count >= settings.k && folded?.has(value) !== true) frequent.push([value, count])
    else {
      rareCategories++
      other += count
    }
  }
  frequent.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
  for (const [, count] of frequent.slice(settings.top)) other += count
  const share = (count: number): number => (nonNull === 0 ? 0 : count / nonNull)
  const top: CategoryCount[] = frequent
    .slice(0, settings.top)
    .map(([value, count]) => ({ value, count, share: share(count) }))
  if (other > 0) top.push({ value: OTHER_CATEGORY, count: other, share: share(other) })
  return { top, rareCategories }
}

/** The validity mask without the rows whose value is folded (a quasi-identifier's). */
function unfolded(valid: Uint8Array | null, fold: Uint8Array | undefined, numRows: number): Uint8Array | null {
  if (fold === undefined) return valid
  const out = new Uint8Array(numRows)
  for (let i = 0; i < numRows; i++) out[i] = (valid === null || valid[i] === 1) && fold[i] !== 1 ? 1 : 0
  return out
}

/** The values of a string-like column whose rows are folded. */
function foldedValues(column: Column, counts: Map<string, number>, fold: Uint8Array, numRows: number): Set<string> {
  const out = new Set<string>()
  for (let i = 0; i < numRows && out.size < counts.size; i++) {
    if (fold[i] !== 1) continue
    const v = textAt(column, i)
    if (v !== null) out.add(v)
  }
  return out
}

function distinctOf(column: Column, numRows: number): number {
  if (column.kind === 'categorical' || column.kind === 'text' || column.kind === 'id')
    return countStrings(column, numRows).size
  const seen = new Set<string>()
  for (let i = 0; i < numRows; i++) {
    const v = textAt(column, i)
    if (v !== null) seen.add(v)
  }
  return seen.size
}

/**
 * Summary statistics of the non-null values, or undefined when there are none. Bounds are trimmed (`trimmedBounds`:
 * the k-th smallest and largest value, default k 5) and the quantiles and histogram stay within them, values beyond
 * counted in the end bins: no single record's extreme value is shown.
 */
export function summarizeNumbers(
  values: Float64Array,
  valid: Uint8Array | null,
  numRows: number,
  options: { readonly bins?: number; readonly k?: number } = {},
): NumericSummary | undefined {
  const bins = options.bins ?? 20
  const sorted = new Float64Array(numRows)
  let n = 0
  for (let i = 0; i < numRows; i++) if (valid === null || valid[i] === 1) sorted[n++] = values[i] as number
  if (n === 0) return undefined
  const x = sorted.subarray(0, n).sort()
  // Mean and variance by Welford's update (stable for large offsets such as epoch ms).
  let mean = 0
  let m2 = 0
  for (let i = 0; i < n; i++) {
    const v = x[i] as number
    const delta = v - mean
    mean += delta / (i + 1)
    m2 += delta * (v - mean)
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0
  const { min, max } = trimmedBounds(x, options.k ?? 5)
  const q = (p: number): number => {
    const h = (n - 1) * p
    const lo = Math.floor(h)
    const a = x[lo] as number
    const b = x[Math.min(lo + 1, n - 1)] as number
    return Math.min(max, Math.max(min, a + (h - lo) * (b - a)))
  }
  const [p1, p5, p25, p50, p75, p95, p99] = QUANTILES.map(q) as [number, number, number, number, number, number, number]
  let distinct = 1
  for (let i = 1; i < n; i++) if (x[i] !== x[i - 1]) distinct++
  const binCount = min === max ? 1 : bins
  const width = (max - min) / binCount
  const edges = Array.from({ length: binCount + 1 }, (_, i) => (i === binCount ? max : min + i * width))
  const counts = new Array<number>(binCount).fill(0)
  for (let i = 0; i < n; i++) {
    const v = x[i] as number
    const bin = width === 0 ? 0 : Math.max(0, Math.min(binCount - 1, Math.floor((v - min) / width)))
    counts[bin] = (counts[bin] as number) + 1
  }
  return { min, max, mean, std, distinct, quantiles: { p1, p5, p25, p50, p75, p95, p99 }, histogram: { edges, counts } }
}
