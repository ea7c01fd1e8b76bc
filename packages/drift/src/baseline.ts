import { createHash } from 'node:crypto'
import { PII_TYPES } from '@modelgate/core'
import { z } from 'zod'
import { DriftError } from './errors.js'

/** The baseline file format this build reads and writes. */
export const BASELINE_VERSION = 1
export const BASELINE_FORMAT = 'modelgate.drift.baseline'

const count = z.number().int().nonnegative()
const finite = z.number().finite()

const sketchSchema = z
  .object({
    type: z.literal('kll'),
    version: z.literal(2),
    k: z.number().int().min(8),
    count,
    min: finite.nullable(),
    max: finite.nullable(),
    rngState: z.array(z.number().int().nonnegative()).length(4),
    levels: z.array(z.array(finite)),
  })
  .strict()

const columnBase = {
  name: z.string().min(1),
  /** Rows in which the column was present. */
  rows: count,
  nulls: count,
}

const numericColumnSchema = z
  .object({
    ...columnBase,
    kind: z.literal('numeric'),
    /** Non-null finite values. */
    count,
    /** Non-finite values (NaN, ±Infinity), left out of every statistic. */
    invalid: count,
    mean: finite,
    /** Sum of squared deviations from the mean (Chan et al.'s mergeable form). */
    m2: finite.nonnegative(),
    /** The trim-th smallest and largest values: the exact extremes of single records are never stored. */
    trimmedMin: finite,
    trimmedMax: finite,
    /** Values below / above the trimmed range, and their summed distance to it. */
    below: count,
    above: count,
    excessBelow: finite.nonnegative(),
    excessAbove: finite.nonnegative(),
    /** Inner bin edges at reference quantiles (ascending, distinct); bin i is [edge_{i−1}, edge_i), open tails. */
    edges: z.array(finite),
    binCounts: z.array(z.number().nonnegative()),
    /** Per bin, the sum of its values clamped to the trimmed range (for the binned Wasserstein distance). */
    binSums: z.array(finite),
    /** True when binCounts were counted on the data (single pass), false when derived from a merged sketch. */
    exactBins: z.boolean(),
    sketch: sketchSchema.nullable(),
  })
  .strict()
  .refine((c) => c.binCounts.length === c.edges.length + 1 && c.binSums.length === c.binCounts.length, {
    message: 'binCounts and binSums must have edges.length + 1 items',
  })
  .refine((c) => c.edges.every((e, i) => i === 0 || e > (c.edges[i - 1] as number)), {
    message: 'edges must be strictly ascending',
  })

const categoricalColumnSchema = z
  .object({
    ...columnBase,
    kind: z.literal('categorical'),
    count,
    /** What the values were: categories are kept as text (numbers and booleans as their text form). */
    valueType: z.enum(['string', 'number', 'boolean']),
    /** Categories seen at least `rareMinCount` times, with their counts. */
    categories: z.array(z.tuple([z.string(), count])),
    /** Everything rarer, folded into one count (never stored by value). */
    other: count,
  })
  .strict()

const piiColumnSchema = z
  .object({
    ...columnBase,
    kind: z.literal('pii'),
    piiType: z.enum(PII_TYPES),
    count,
    /** Values with a valid format for the PII type. */
    valid: count,
  })
  .strict()

const otherColumnSchema = z
  .object({
    ...columnBase,
    kind: z.enum(['identifier', 'skipped']),
    count,
    reason: z.string(),
  })
  .strict()

const columnBaselineSchema = z.union([numericColumnSchema, categoricalColumnSchema, piiColumnSchema, otherColumnSchema])

const baselineSettingsSchema = z
  .object({
    sketchK: z.number().int().min(8),
    rankError: z.number().positive(),
    confidence: z.number().positive().lt(1),
    bins: z.number().int().min(2),
    trim: z.number().int().min(1),
    rareMinCount: z.number().int().min(1),
  })
  .strict()

const multivariateSchema = z
  .object({
    columns: z.array(z.string()).min(2),
    means: z.array(finite),
    scales: z.array(finite.positive()),
    components: z.array(z.array(finite)).min(1),
    varianceKept: z.number().positive().max(1),
    /** Rows the error was measured on, its mean and variance. */
    rows: count,
    errorMean: finite,
    errorVariance: finite.nonnegative(),
    /** Per column, the mean squared residual on the reference. */
    residuals: z.array(finite.nonnegative()),
  })
  .strict()

const band = z.object({ mean: finite, std: finite.nonnegative() }).strict()
const metricRecord = <T extends z.ZodTypeAny>(value: T) =>
  z.object({ rocAuc: value, precision: value, recall: value, f1: value, accuracy: value }).strict()

const performanceSchema = z
  .object({
    /** The score column (the baseline's prediction column) and the label column it was calibrated against. */
    column: z.string(),
    target: z.string(),
    /** Scores at or above it are predicted positive. */
    threshold: finite,
    /** The isotonic calibration map (stats' IsotonicModel, compressed to the ends of its constant blocks). */
    calibration: z.object({ x: z.array(finite), y: z.array(finite), increasing: z.boolean() }).strict(),
    /** Realized figures on the whole reference (null where undefined, e.g. no positives). */
    reference: metricRecord(finite.nullable()),
    chunks: z.number().int().min(2),
    /** NannyML's bands: mean and standard deviation of the realized figures over reference chunks. */
    bands: metricRecord(band),
  })
  .strict()

const learnedSchema = z
  .object({
    windowRows: z.number().int().positive(),
    chunks: z.number().int().min(2),
    columns: z.array(
      z
        .object({
          name: z.string(),
          method: z.string(),
          mean: finite,
          std: finite.nonnegative(),
          /** NannyML's mean + 3σ of the chunk statistics. */
          threshold: finite,
          /** Mean and standard deviation of the log of the chunk statistics (what the gate's rule uses). */
          logMean: finite,
          logStd: finite.nonnegative(),
        })
        .strict(),
    ),
  })
  .strict()

export const baselineSchema = z
  .object({
    format: z.literal(BASELINE_FORMAT),
    version: z.literal(BASELINE_VERSION),
    createdAt: z.string(),
    source: z.object({ name: z.string().optional(), rows: count, partitions: z.number().int().min(1) }).strict(),
    settings: baselineSettingsSchema,
    columns: z.array(columnBaselineSchema).min(1),
    prediction: z.object({ column: z.string() }).strict().nullable(),
    target: z.object({ column: z.string() }).strict().nullable(),
    /** PCA model of the numeric columns and the reference's reconstruction error (multivariate drift). */
    multivariate: multivariateSchema.nullable().optional(),
    /** Score calibration and performance bands for CBPE (needs prediction and target). */
    performance: performanceSchema.nullable().optional(),
    /** Thresholds learned per declared window size: mean + 3σ of each distance over reference chunks. */
    learned: z.array(learnedSchema).optional(),
    /** sha256 of the baseline's JSON without this field: a hand-edited or corrupted file is refused. */
    checksum: z.string().regex(/^[0-9a-f]{64}$/),
  })
  .strict()

export type Baseline = z.infer<typeof baselineSchema>
export type BaselineSettings = z.infer<typeof baselineSettingsSchema>
export type ColumnBaseline = z.infer<typeof columnBaselineSchema>
export type NumericColumnBaseline = z.infer<typeof numericColumnSchema>
export type CategoricalColumnBaseline = z.infer<typeof categoricalColumnSchema>
export type PiiColumnBaseline = z.infer<typeof piiColumnSchema>

/** The checksum of a baseline (everything but its `checksum` field, as JSON). */
function baselineChecksum(baseline: Omit<Baseline, 'checksum'> & { checksum?: string }): string {
  const { checksum: _ignored, ...rest } = baseline
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex')
}

/** Seals a baseline body with its checksum (the last key, so the file reads top-down). */
export function sealBaseline(body: Omit<Baseline, 'checksum'>): Baseline {
  return { ...body, checksum: baselineChecksum(body) }
}

export interface BaselineFromJSONOptions {
  /** The file name for messages. */
  readonly source?: string
}

/**
 * Reads a baseline (JSON text or a parsed object): refuses text that is not JSON (a truncated file), another format,
 * a newer version, a file that fails validation (the message names the key) or whose checksum does not match (a
 * hand-edited or corrupted file).
 */
export function baselineFromJSON(json: unknown, options: BaselineFromJSONOptions = {}): Baseline {
  const where = options.source ?? 'baseline'
  const bad = (why: string, hint?: string): DriftError =>
    new DriftError('MG_DRIFT_BASELINE_INVALID', `${where}: ${why}`, {
      ...(hint === undefined ? {} : { hint }),
      ...(options.source === undefined ? {} : { location: { file: options.source } }),
    })
  let value: unknown = json
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json)
    } catch (cause) {
      throw bad(
        `not valid JSON (${(cause as Error).message}); the file may be truncated.`,
        'Rebuild it with `buildBaseline` (modelgate drift baseline).',
      )
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad('expected a JSON object.')
  const head = value as { format?: unknown; version?: unknown; checksum?: unknown }
  if (head.format !== BASELINE_FORMAT) {
    throw bad(`not a drift baseline (format must be "${BASELINE_FORMAT}", got ${JSON.stringify(head.format)}).`)
  }
  if (typeof head.version === 'number' && head.version > BASELINE_VERSION) {
    throw bad(
      `baseline version ${head.version} is newer than this build reads (version ${BASELINE_VERSION}).`,
      'Upgrade modelgate, or rebuild the baseline with this version.',
    )
  }
  const parsed = baselineSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue === undefined ? '' : formatPath(issue.path)
    throw bad(`${path === '' ? '' : `${path}: `}${issue?.message ?? 'invalid'}.`)
  }
  if (baselineChecksum(value as Baseline) !== head.checksum) {
    throw bad(
      'the checksum does not match the content: the file was edited or corrupted.',
      'Rebuild the baseline instead of editing it.',
    )
  }
  return parsed.data
}

function formatPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`
  return out
}
export type MultivariateBaseline = z.infer<typeof multivariateSchema>
export type LearnedThresholds = z.infer<typeof learnedSchema>
export type PerformanceBaseline = z.infer<typeof performanceSchema>
