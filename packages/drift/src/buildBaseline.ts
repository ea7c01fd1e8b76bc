import type { ArgumentShape, Column, PiiType, Table, TableSchema } from '@modelgate/core'
import { checkArgument, detectPii, tableArgument, trimmedBoundsUnsorted, trimmedIndex } from '@modelgate/core'
import { createQuantileSketch, quantileSketchSize, quantiles } from '@modelgate/stats'
import { z } from 'zod'
import type {
  Baseline,
  BaselineSettings,
  CategoricalColumnBaseline,
  ColumnBaseline,
  NumericColumnBaseline,
} from './baseline.js'
import { BASELINE_FORMAT, BASELINE_VERSION, sealBaseline } from './baseline.js'
import { DriftError } from './errors.js'
import { buildBaselineShape } from './internal/arguments.js'
import { createBinLookup, lookupBin, quantileEdges } from './internal/bins.js'
import { binaryLabel, fitPerformance } from './internal/cbpe.js'
import { learnThresholds } from './internal/learnThresholds.js'
import { fitMultivariate } from './internal/multivariate.js'
import { isValidPiiFormat } from './internal/piiFormat.js'
import { clampSketch } from './internal/sketch.js'

export interface BuildBaselineOptions {
  /** PII tags (a column tagged `pii` keeps only its null rate and format-validity rate). */
  readonly schema?: TableSchema
  /** The model's score column: tested as any column, reported as prediction drift. */
  readonly prediction?: string
  /** The label column (kept out of the drift columns). */
  readonly target?: string
  /** Only these columns (default: every column but the target). */
  readonly columns?: readonly string[]
  /** Trimmed range: the trim-th smallest and largest values are stored, never the extremes. Default 5. */
  readonly trim?: number
  /** Categories seen fewer times are folded into one `(other)` count, never stored. Default 5. */
  readonly rareMinCount?: number
  /** Fixed bins per numeric column (edges at reference quantiles). Default 100. */
  readonly bins?: number
  /** The quantile sketch's rank error at `confidence` (sizes k by stats' quantileSketchSize). Default 0.0025. */
  readonly rankError?: number
  /** Default 0.99. */
  readonly confidence?: number
  /** Keep a quantile sketch per numeric column (needed by KS and for merging partitions). Default true. */
  readonly sketches?: boolean
  /** The reference's name for the report (a file name). */
  readonly name?: string
  /** Seed of the quantile sketches. Default 1. */
  readonly seed?: number
  /** Scores at or above it are predicted positive (CBPE's confusion matrix). Default 0.5. */
  readonly decisionThreshold?: number
  /** The positive class of a text or categorical target. Default: `1`, `true`, `yes` or `positive`. */
  readonly positiveLabel?: string
  /** Fit the PCA model for multivariate drift on the numeric columns (at least 2). Default true. */
  readonly multivariate?: boolean
  /**
   * Declared window sizes (rows): for each, the reference is cut into consecutive chunks of that size (up to 200)
   * and every distance is computed per chunk; mean + 3σ is stored as the learned threshold (NannyML's rule).
   */
  readonly windowRows?: readonly number[]
}

/** The options' shape (checked where buildBaseline starts, and checkDrift for its `baseline` option). */
export const buildBaselineOptionsArgument = z
  .object(buildBaselineShape satisfies ArgumentShape<BuildBaselineOptions>)
  .strict()

/** More distinct values than this, and more than half of the rows distinct: an identifier, not tested for drift. */
const IDENTIFIER_DISTINCT = 1000
/** Numeric columns with at most this many distinct values are categorical (Evidently's n_unique ≤ 5 rule). */
const DISCRETE_MAX = 5

/**
 * Builds a privacy-safe baseline of a reference table (see the README's "What a baseline holds"): per column its
 * kind, null count, trimmed range, fixed bins on reference quantiles, a quantile sketch sized from its stated rank
 * error, category counts with rare categories folded, and for PII columns only nulls and format validity.
 */
export function buildBaseline(table: Table, options: BuildBaselineOptions = {}): Baseline {
  checkArgument(tableArgument, table, { call: 'buildBaseline(table, options)', name: 'table' })
  checkArgument(buildBaselineOptionsArgument, options, { call: 'buildBaseline(table, options)', name: 'options' })
  const settings = resolveSettings(options)
  if (table.numRows === 0) {
    throw new DriftError(
      'MG_DRIFT_EMPTY_SAMPLE',
      `${options.name ?? 'reference'}: the reference has no rows; a baseline needs at least one.`,
    )
  }
  const byName = new Map(table.columns.map((c) => [c.name, c]))
  for (const name of [options.prediction, options.target, ...(options.columns ?? [])]) {
    if (name !== undefined && !byName.has(name)) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `${options.name ?? 'reference'}: no column "${name}" (columns: ${[...byName.keys()].join(', ')}).`,
      )
    }
  }
  const wanted = [...(options.columns ?? table.columns.map((c) => c.name).filter((n) => n !== options.target))]
  if (options.prediction !== undefined && !wanted.includes(options.prediction)) wanted.push(options.prediction)
  const piiTags = new Map<string, PiiType>()
  for (const c of options.schema?.columns ?? []) if (c.pii !== undefined) piiTags.set(c.name, c.pii.type)
  const notPii = new Set((options.schema?.columns ?? []).filter((c) => c.notPii === true).map((c) => c.name))
  const columns: ColumnBaseline[] = []
  for (const name of wanted) {
    const column = byName.get(name) as Column
    const pii =
      piiTags.get(name) ??
      (notPii.has(name) || name === options.prediction ? undefined : detectPii(column, table.numRows)?.type)
    columns.push(baselineColumn(column, table.numRows, settings, pii, options.sketches ?? true, options.seed ?? 1))
  }
  const numeric = columns.filter((c) => c.kind === 'numeric' && c.name !== options.prediction).map((c) => c.name)
  const body = {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    createdAt: new Date().toISOString(),
    source: { ...(options.name === undefined ? {} : { name: options.name }), rows: table.numRows, partitions: 1 },
    settings,
    columns,
    prediction: options.prediction === undefined ? null : { column: options.prediction },
    target: options.target === undefined ? null : { column: options.target },
    multivariate: (options.multivariate ?? true) && numeric.length >= 2 ? fitMultivariate(table, numeric) : null,
    performance:
      options.prediction !== undefined && options.target !== undefined
        ? performanceBaseline(
            byName.get(options.prediction) as Column,
            byName.get(options.target) as Column,
            table.numRows,
            options,
          )
        : null,
  } as const
  if (options.windowRows === undefined || options.windowRows.length === 0) return sealBaseline(body)
  return sealBaseline({ ...body, learned: learnThresholds(sealBaseline(body), table, options.windowRows) })
}

function resolveSettings(options: BuildBaselineOptions): BaselineSettings {
  const rankError = options.rankError ?? 0.0025
  const confidence = options.confidence ?? 0.99
  const positiveInt = (value: number | undefined, fallback: number, name: string, min: number): number => {
    const v = value ?? fallback
    if (!Number.isInteger(v) || v < min) {
      throw new DriftError('MG_DRIFT_BAD_OPTION', `buildBaseline: ${name} must be an integer ≥ ${min}, got ${v}.`)
    }
    return v
  }
  if (!(rankError > 0 && rankError < 1) || !(confidence > 0 && confidence < 1)) {
    throw new DriftError('MG_DRIFT_BAD_OPTION', 'buildBaseline: rankError and confidence must be in (0, 1).')
  }
  return {
    sketchK: quantileSketchSize({ rankError, confidence }),
    rankError,
    confidence,
    bins: positiveInt(options.bins, 100, 'bins', 2),
    trim: positiveInt(options.trim, 5, 'trim', 1),
    rareMinCount: positiveInt(options.rareMinCount, 5, 'rareMinCount', 1),
  }
}

function baselineColumn(
  column: Column,
  numRows: number,
  settings: BaselineSettings,
  pii: PiiType | undefined,
  sketches: boolean,
  seed: number,
): ColumnBaseline {
  const name = column.name
  if (pii !== undefined) {
    let nulls = 0
    let valid = 0
    forEachValue(column, numRows, (v) => {
      if (v === null) nulls++
      else if (isValidPiiFormat(pii, v)) valid++
    })
    return { name, rows: numRows, nulls, kind: 'pii', piiType: pii, count: numRows - nulls, valid }
  }
  switch (column.kind) {
    case 'numeric':
    case 'integer':
      return numericBaseline(column.name, column.values, column.valid, numRows, settings, sketches, seed)
    case 'boolean': {
      const counts = new Map<string, number>()
      let nulls = 0
      for (let i = 0; i < numRows; i++) {
        if (column.valid !== null && column.valid[i] === 0) nulls++
        else {
          const key = column.values[i] === 1 ? 'true' : 'false'
          counts.set(key, (counts.get(key) ?? 0) + 1)
        }
      }
      return categorical(name, numRows, nulls, counts, 'boolean', settings)
    }
    case 'categorical': {
      const perCode = new Float64Array(column.dictionary.length)
      let nulls = 0
      for (let i = 0; i < numRows; i++) {
        const c = column.codes[i] as number
        if (c < 0) nulls++
        else perCode[c] = (perCode[c] as number) + 1
      }
      const counts = new Map<string, number>()
      column.dictionary.forEach((key, c) => {
        if ((perCode[c] as number) > 0) counts.set(key, (counts.get(key) ?? 0) + (perCode[c] as number))
      })
      return categoricalOrIdentifier(name, numRows, nulls, counts, settings)
    }
    case 'text': {
      const counts = new Map<string, number>()
      let nulls = 0
      for (let i = 0; i < numRows; i++) {
        const v = column.values[i]
        if (v === null || v === undefined) nulls++
        else counts.set(v, (counts.get(v) ?? 0) + 1)
      }
      return categoricalOrIdentifier(name, numRows, nulls, counts, settings)
    }
    case 'id': {
      const nulls = column.values.reduce((n, v) => n + (v === null ? 1 : 0), 0)
      return { name, rows: numRows, nulls, kind: 'identifier', count: numRows - nulls, reason: 'an id column' }
    }
    case 'datetime': {
      let nulls = 0
      if (column.valid !== null) for (let i = 0; i < numRows; i++) nulls += column.valid[i] === 0 ? 1 : 0
      return {
        name,
        rows: numRows,
        nulls,
        kind: 'skipped',
        count: numRows - nulls,
        reason: 'datetime columns are not tested for drift',
      }
    }
  }
}

function categoricalOrIdentifier(
  name: string,
  numRows: number,
  nulls: number,
  counts: Map<string, number>,
  settings: BaselineSettings,
): ColumnBaseline {
  const count = numRows - nulls
  if (counts.size > IDENTIFIER_DISTINCT && counts.size > count / 2) {
    return {
      name,
      rows: numRows,
      nulls,
      kind: 'identifier',
      count,
      reason: `${counts.size.toLocaleString('en-US')} distinct values in ${count.toLocaleString('en-US')} (an identifier or free text)`,
    }
  }
  return categorical(name, numRows, nulls, counts, 'string', settings)
}

function categorical(
  name: string,
  numRows: number,
  nulls: number,
  counts: Map<string, number>,
  valueType: CategoricalColumnBaseline['valueType'],
  settings: BaselineSettings,
): CategoricalColumnBaseline {
  const categories: [string, number][] = []
  let other = 0
  for (const [key, n] of counts) {
    if (n >= settings.rareMinCount) categories.push([key, n])
    else other += n
  }
  // most frequent first, ties by name: the same baseline whatever the row order
  categories.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  return { name, rows: numRows, nulls, kind: 'categorical', count: numRows - nulls, valueType, categories, other }
}

function numericBaseline(
  name: string,
  values: Float64Array,
  valid: Uint8Array | null,
  numRows: number,
  settings: BaselineSettings,
  sketches: boolean,
  seed: number,
): ColumnBaseline {
  let nulls = 0
  let invalid = 0
  const kept = new Float64Array(numRows)
  let n = 0
  for (let i = 0; i < numRows; i++) {
    if (valid !== null && valid[i] === 0) nulls++
    else {
      const v = values[i] as number
      if (Number.isFinite(v)) kept[n++] = v
      else invalid++
    }
  }
  const x = kept.subarray(0, n)
  const distinct = distinctUpTo(x, DISCRETE_MAX + 1)
  if (distinct.length <= DISCRETE_MAX) {
    const counts = new Map<string, number>()
    for (const v of distinct.sort((a, b) => a - b)) counts.set(String(v), 0)
    for (let i = 0; i < n; i++) {
      const key = String(x[i])
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    const column = categorical(name, numRows, nulls + invalid, counts, 'number', settings)
    return column
  }
  const { trimmedMin, trimmedMax } = trimmedRange(x, settings.trim)
  // bin edges at the percentiles of the values, or of an evenly strided subsample of 2^18 of them for large
  // columns: the bins need not be exact percentiles (their counts below are exact), and selection on 1M values
  // per column would cost more than everything else
  const stride = Math.max(1, Math.ceil(n / EDGE_SAMPLE))
  const sample =
    stride === 1 ? x : Float64Array.from({ length: Math.ceil(n / stride) }, (_, i) => x[i * stride] as number)
  const edges = quantileEdges(settings.bins, (probabilities) =>
    quantiles(sample, probabilities, { inPlace: sample !== x }),
  )
  const lookup = createBinLookup(edges)
  const binCounts = new Float64Array(edges.length + 1)
  const binSums = new Float64Array(edges.length + 1)
  let below = 0
  let above = 0
  let excessBelow = 0
  let excessAbove = 0
  // moments about a shift (the first value): no division per value, and no cancellation for data far from 0. The
  // binning (counts, clamped sums, out-of-range counts) is the rule addNumberColumn (internal/accumulators.ts) applies
  // to a window; each loop keeps it inlined, as both are hot loops.
  const shift = x[0] as number
  let s1 = 0
  let s2 = 0
  for (let i = 0; i < n; i++) {
    const v = x[i] as number
    const d = v - shift
    s1 += d
    s2 += d * d
    const b = lookupBin(lookup, v)
    binCounts[b] = (binCounts[b] as number) + 1
    if (v < trimmedMin) {
      below++
      excessBelow += trimmedMin - v
      binSums[b] = (binSums[b] as number) + trimmedMin
    } else if (v > trimmedMax) {
      above++
      excessAbove += v - trimmedMax
      binSums[b] = (binSums[b] as number) + trimmedMax
    } else binSums[b] = (binSums[b] as number) + v
  }
  const mean = shift + s1 / n
  const m2 = Math.max(0, s2 - (s1 * s1) / n)
  const column: NumericColumnBaseline = {
    name,
    rows: numRows,
    nulls,
    kind: 'numeric',
    count: n,
    invalid,
    mean,
    m2,
    trimmedMin,
    trimmedMax,
    below,
    above,
    excessBelow,
    excessAbove,
    edges: Array.from(edges),
    binCounts: Array.from(binCounts),
    binSums: Array.from(binSums),
    exactBins: true,
    sketch: sketches
      ? clampSketch(createQuantileSketch({ k: settings.sketchK, seed }).addAll(x).toJSON(), trimmedMin, trimmedMax)
      : null,
  }
  return column
}

/** Values for edge quantiles, at most (a strided subsample above). */
const EDGE_SAMPLE = 1 << 18

/**
 * The trim-th smallest and largest values (the median for n < 2·trim): core's trimmedBoundsUnsorted, or for a deep
 * trim (64 or more, where its O(n·trim) buffers cost more) the same order statistics through quantiles.
 */
function trimmedRange(x: Float64Array, trim: number): { trimmedMin: number; trimmedMax: number } {
  const n = x.length
  const low = trimmedIndex(n, trim, 'low')
  const high = trimmedIndex(n, trim, 'high')
  if (low >= 64 || n - 1 - high >= 64) {
    const q = quantiles(x, [low / (n - 1), high / (n - 1)])
    return { trimmedMin: q[0] as number, trimmedMax: q[1] as number }
  }
  const { min, max } = trimmedBoundsUnsorted(x, trim)
  return { trimmedMin: min, trimmedMax: max }
}

function distinctUpTo(x: Float64Array, limit: number): number[] {
  const seen: number[] = []
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number
    if (!seen.includes(v)) {
      seen.push(v)
      if (seen.length >= limit) break
    }
  }
  return seen
}

/** Calls `visit` with each row's value (null for a null), as JavaScript values. */
export function forEachValue(
  column: Column,
  numRows: number,
  visit: (value: string | number | boolean | null) => void,
): void {
  switch (column.kind) {
    case 'numeric':
    case 'integer':
    case 'datetime':
      for (let i = 0; i < numRows; i++)
        visit(column.valid !== null && column.valid[i] === 0 ? null : (column.values[i] as number))
      return
    case 'boolean':
      for (let i = 0; i < numRows; i++)
        visit(column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1)
      return
    case 'categorical':
      for (let i = 0; i < numRows; i++) {
        const c = column.codes[i] as number
        visit(c < 0 ? null : (column.dictionary[c] as string))
      }
      return
    case 'text':
    case 'id':
      for (let i = 0; i < numRows; i++) visit(column.values[i] ?? null)
      return
  }
}

/** CBPE's calibration and bands from the rows with both a finite score and a label. */
function performanceBaseline(score: Column, target: Column, numRows: number, options: BuildBaselineOptions) {
  if (score.kind !== 'numeric' && score.kind !== 'integer') {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      `buildBaseline: the prediction column "${score.name}" must hold numeric scores.`,
    )
  }
  const scores: number[] = []
  const labels: number[] = []
  const positive = options.positiveLabel
  let nonBinary = 0
  forEachValue(target, numRows, (label) => {
    scores.push(Number.NaN)
    labels.push(Number.NaN)
    const i = scores.length - 1
    const s = score.valid !== null && score.valid[i] === 0 ? Number.NaN : (score.values[i] as number)
    if (label === null || !Number.isFinite(s)) return
    const y = binaryLabel(label, positive)
    if (Number.isNaN(y)) {
      nonBinary++
      return
    }
    scores[i] = s
    labels[i] = y
  })
  if (nonBinary > 0) {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      `buildBaseline: the target "${target.name}" has ${nonBinary.toLocaleString('en-US')} labels that are not 0/1, true/false or the positive label; performance estimation is for binary classifiers.`,
      { hint: 'Name the positive class with positiveLabel.' },
    )
  }
  const keep = scores.flatMap((s, i) => (Number.isFinite(s) && Number.isFinite(labels[i] as number) ? [i] : []))
  const s = Float64Array.from(keep, (i) => scores[i] as number)
  const y = Float64Array.from(keep, (i) => labels[i] as number)
  return fitPerformance(s, y, {
    column: score.name,
    target: target.name,
    threshold: options.decisionThreshold ?? 0.5,
    chunkRows: options.windowRows?.[0] ?? Math.max(1, Math.floor(s.length / 10)),
  })
}
