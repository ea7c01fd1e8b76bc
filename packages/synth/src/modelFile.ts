import { PII_TYPES } from '@modelgate/core'
import { z } from 'zod'
import { ctganSectionSchema } from './ctgan/internal/ctganSection.js'

/**
 * The synth model file: versioned JSON holding only parameters — never raw PII values, never a category
 * seen fewer than k times, never code. Shared by every synthesizer: columns (marginals, PII types) and privacy
 * are common, `copula` holds the Gaussian copula, `ctgan` the GAN's transformer, architecture, training record
 * and weight manifest (the weights sit beside the file).
 */
export const SYNTH_MODEL_FORMAT = 'modelgate-synth'
export const SYNTH_MODEL_VERSION = 1

const finite = z.number().finite()
const probability = z.number().min(0).max(1)

const familySchemas = {
  normal: z.object({ family: z.literal('normal'), mu: finite, sigma: finite.positive() }),
  truncnorm: z.object({ family: z.literal('truncnorm'), mu: finite, sigma: finite.positive(), lo: finite, hi: finite }),
  uniform: z.object({ family: z.literal('uniform'), lo: finite, hi: finite }),
  beta: z.object({
    family: z.literal('beta'),
    alpha: finite.positive(),
    beta: finite.positive(),
    lo: finite,
    hi: finite,
  }),
  gamma: z.object({ family: z.literal('gamma'), shape: finite.positive(), scale: finite.positive(), loc: finite }),
  empirical: z.object({ family: z.literal('empirical'), quantiles: z.array(finite).min(2).max(100_000) }),
}
const partFields = { weight: probability, ks: z.number().min(0).max(1) }

const continuousFitSchema = z.discriminatedUnion('family', [
  familySchemas.normal.strict(),
  familySchemas.truncnorm.strict(),
  familySchemas.uniform.strict(),
  familySchemas.beta.strict(),
  familySchemas.gamma.strict(),
  familySchemas.empirical.strict(),
])

/** A continuous family with its mixture weight and goodness of fit (KS statistic). */
const continuousPartSchema = z.discriminatedUnion('family', [
  familySchemas.normal.extend(partFields).strict(),
  familySchemas.truncnorm.extend(partFields).strict(),
  familySchemas.uniform.extend(partFields).strict(),
  familySchemas.beta.extend(partFields).strict(),
  familySchemas.gamma.extend(partFields).strict(),
  familySchemas.empirical.extend(partFields).strict(),
])

const numericColumnModelSchema = z
  .object({
    name: z.string(),
    kind: z.enum(['numeric', 'integer', 'datetime']),
    nullRate: probability,
    min: finite.nullable(),
    max: finite.nullable(),
    /** Decimal places kept (0 for integers); for datetimes the rounding unit in ms. */
    decimals: z.number().int().min(0).max(15).nullable(),
    roundTo: finite.positive().nullable(),
    format: z.string().optional(),
    /** Point masses (e.g. zero-inflation), probability relative to non-null values, sorted by value. */
    spikes: z.array(z.object({ value: finite, p: probability }).strict()).max(10_000),
    continuous: continuousPartSchema.nullable(),
  })
  .strict()

const categoricalColumnModelSchema = z
  .object({
    name: z.string(),
    kind: z.literal('categorical'),
    nullRate: probability,
    /** In latent order; probabilities relative to non-null values. */
    categories: z.array(z.object({ value: z.string(), p: probability }).strict()).max(1_000_000),
    /**
     * How categories seen fewer than k times were handled; `share` is the share of non-null training values in
     * categories that were not stored (a count, never the values; absent in older and DP models).
     */
    rare: z
      .object({
        mode: z.enum(['drop', 'other']),
        label: z.string().nullable(),
        p: probability,
        share: probability.optional(),
      })
      .strict(),
  })
  .strict()

const booleanColumnModelSchema = z
  .object({ name: z.string(), kind: z.literal('boolean'), nullRate: probability, pTrue: probability })
  .strict()

const piiColumnModelSchema = z
  .object({
    name: z.string(),
    kind: z.literal('pii'),
    /** The semantic type; `id` for opaque unique identifiers. Only the type is stored, never a value. */
    pii: z.enum([...PII_TYPES, 'id']),
    outputKind: z.enum(['text', 'id']),
    nullRate: probability,
    unique: z.boolean(),
  })
  .strict()

/** Characters of one position (or class) with their weights: only characters seen at least k times. */
const textSlotSchema = z
  .object({ chars: z.array(z.string().min(1).max(4)).min(1).max(10_000), weights: z.array(finite.min(0)) })
  .strict()
  .refine((s) => s.weights.length === s.chars.length, { message: 'chars and weights differ in length' })

/**
 * How a regenerated text or identifier column is written (see `internal/fitTextShape.ts`): code-like shapes, or a
 * chain over character classes with the length distribution. `prefixes` are prefixes no training value starts
 * with; every generated value starts with one of them.
 */
const textShapeSchema = z.discriminatedUnion('mode', [
  z
    .object({
      mode: z.literal('patterns'),
      patterns: z
        .array(
          z
            .object({
              p: probability,
              slots: z.array(textSlotSchema).min(1).max(1000),
              prefixes: z.array(z.string().min(1)).min(1).max(256),
            })
            .strict(),
        )
        .min(1)
        .max(10_000),
    })
    .strict(),
  z
    .object({
      mode: z.literal('chain'),
      lengths: z.array(finite.min(0)).min(2).max(1001),
      classes: z.array(textSlotSchema).length(5),
      start: z.array(probability).length(5),
      next: z.array(z.array(probability).length(5)).length(5),
      prefixes: z.array(z.string().min(1)).min(1).max(256),
    })
    .strict(),
])

/** A text or identifier column regenerated from its shape, never learned value by value (and never a PII column). */
const textColumnModelSchema = z
  .object({
    name: z.string(),
    kind: z.literal('text'),
    outputKind: z.enum(['text', 'id']),
    nullRate: probability,
    unique: z.boolean(),
    shape: textShapeSchema,
  })
  .strict()

const columnModelSchema = z.union([
  numericColumnModelSchema,
  categoricalColumnModelSchema,
  booleanColumnModelSchema,
  piiColumnModelSchema,
  textColumnModelSchema,
])

/**
 * The copula section's format version: 1 = a dense correlation matrix (written without a `version`, as before);
 * 2 adds the factor structure for wide tables. Dense sections are still written as version 1 files read them.
 */
export const COPULA_SECTION_VERSION = 2

const copulaDimsSchema = z.array(z.object({ column: z.string(), part: z.enum(['value', 'null']) }).strict())

const denseCopulaSchema = z
  .object({
    version: z.literal(1).optional(),
    dims: copulaDimsSchema,
    /** Row-major, positive definite, unit diagonal. */
    correlation: z.array(z.array(finite)),
  })
  .strict()

const factorCopulaSchema = z
  .object({
    version: z.literal(2),
    structure: z.literal('factor'),
    dims: copulaDimsSchema,
    /**
     * Λ, one row of k loadings per dimension: the latent correlation is Λ Λᵀ off the diagonal, 1 on it (each
     * dimension's uniqueness is 1 − its row's sum of squares, so every row's sum of squares is below 1).
     */
    loadings: z.array(z.array(finite.min(-1).max(1)).max(256)),
  })
  .strict()

const copulaSchema = z.union([denseCopulaSchema, factorCopulaSchema])

/** One differentially private release: noisy counts of one quantity (see `internal/dp/createPrivacyLedger.ts`). */
const dpMechanismSchema = z
  .object({
    /** The column the counts describe; null for the copula's contingency tables over pairs of columns. */
    column: z.string().nullable(),
    quantity: z.string(),
    mechanism: z.enum(['discrete Laplace', 'discrete Laplace, thresholded']),
    epsilon: finite.positive(),
    delta: probability,
    /** L1 change of the released counts when one row is added or removed. */
    sensitivity: finite.positive(),
    /** Noise scale b: P(Z = z) ∝ exp(−|z|/b). */
    scale: finite.positive(),
    /** For a thresholded release: the noisy count a value needs to be kept. */
    threshold: finite.optional(),
  })
  .strict()

/** The privacy account of a DP model: neighbour definition, accountant, what was public, every mechanism. */
const dpAccountSchema = z
  .object({
    neighbours: z.literal('add or remove one row'),
    accountant: z.literal('basic composition'),
    /**
     * Where the noise came from: the OS's CSPRNG (nobody can regenerate it), or a generator seeded with the caller's
     * seed (reproducible; whoever knows the seed can subtract the noise, so the seed must stay secret).
     */
    noise: z.enum(['os-entropy', 'seeded']),
    /** Totals spent: the sums of the mechanisms' ε and δ (at most the requested budget). */
    epsilon: finite.min(0),
    delta: probability,
    /** What the model took as public, not charged to the budget (declared in the schema, or the table's layout). */
    public: z.array(z.string()).max(100_000),
    mechanisms: z.array(dpMechanismSchema).max(1_000_000),
  })
  .strict()

const privacySchema = z
  .object({
    k: z.number().int().min(1),
    /** The requested budget (null: no differential privacy). */
    epsilon: z.number().positive().nullable(),
    delta: probability.optional(),
    /** How the budget was spent (DP models written by this version). */
    dp: dpAccountSchema.nullable().optional(),
    /**
     * Written by versions before the DP rework (its ε was not a differential privacy guarantee: true-count thresholds,
     * data extremes); read for compatibility, never written.
     */
    budget: z
      .object({ marginals: z.number(), correlation: z.number(), spent: z.number() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict()

/** Why a column's values were not stored: all rare categories, quasi-identifier values, or too few values to fit. */
const LOST_REASONS = ['rare-categories', 'quasi-identifier', 'too-few-values'] as const

const lostColumnSchema = z
  .object({
    column: z.string(),
    reason: z.enum(LOST_REASONS),
    /** Share of the column's non-null values generated as null instead (absent under differential privacy). */
    share: probability.optional(),
    /** The column's non-null values in the training data (absent under differential privacy). */
    values: z.number().int().min(0).optional(),
  })
  .strict()

export const synthModelFileSchema = z
  .object({
    format: z.literal(SYNTH_MODEL_FORMAT),
    version: z.literal(SYNTH_MODEL_VERSION),
    synthesizer: z.enum(['copula', 'ctgan']),
    trainingRows: z.number().int().min(0),
    columns: z.array(columnModelSchema),
    privacy: privacySchema,
    copula: copulaSchema.optional(),
    /** Columns flagged as PII by detection (untagged by schema or options), with the reason; never holds values. */
    detectedPii: z
      .array(z.object({ column: z.string(), type: z.enum([...PII_TYPES, 'id']), reason: z.string() }).strict())
      .optional(),
    /**
     * Columns whose values marked repeated entities and were folded like rare categories; counts only, and not even
     * those in a DP model (exact counts are not released; the whole column is folded there).
     */
    quasiIdentifiers: z
      .array(
        z
          .object({
            column: z.string(),
            values: z.number().int().min(0).optional(),
            rows: z.number().int().min(0).optional(),
            partners: z.array(z.string()).max(3),
          })
          .strict(),
      )
      .optional(),
    /** The CTGAN synthesizer's section (typed and validated here; its own `version` is checked first). */
    ctgan: ctganSectionSchema.optional(),
    /**
     * Columns generated with far more nulls than the data had (all-null when no value could be stored), with the
     * reason and the share of their values affected (left out under differential privacy); never holds values.
     */
    lostColumns: z.array(lostColumnSchema).optional(),
  })
  .strict()

export type ContinuousFit = z.infer<typeof continuousFitSchema>
export type ContinuousPart = z.infer<typeof continuousPartSchema>
export type NumericColumnModel = z.infer<typeof numericColumnModelSchema>
export type CategoricalColumnModel = z.infer<typeof categoricalColumnModelSchema>
export type BooleanColumnModel = z.infer<typeof booleanColumnModelSchema>
export type PiiColumnModel = z.infer<typeof piiColumnModelSchema>
export type TextColumnModel = z.infer<typeof textColumnModelSchema>
export type TextShape = z.infer<typeof textShapeSchema>
export type TextSlot = z.infer<typeof textSlotSchema>
export type ColumnModel = z.infer<typeof columnModelSchema>
export type CopulaParams = z.infer<typeof copulaSchema>
export type DenseCopulaParams = z.infer<typeof denseCopulaSchema>
export type PrivacyParams = z.infer<typeof privacySchema>
export type DpMechanism = z.infer<typeof dpMechanismSchema>
export type DpAccount = z.infer<typeof dpAccountSchema>
export type SynthModelFile = z.infer<typeof synthModelFileSchema>
export type LostColumn = z.infer<typeof lostColumnSchema>
export type CtganSection = z.infer<typeof ctganSectionSchema>
