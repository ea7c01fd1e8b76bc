import type { ArgumentShape, TableSchema } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import type { Baseline } from '../baseline.js'
import type { DriftState, EvaluateOptions } from '../DriftState.js'

// The shapes shared by drift's public arguments, checked where the documented functions start (core's checkArgument,
// as contracts and skew do; an options object's schema is checked against its type beside the type): types only; the
// rules about values (a method name, a share in (0, 1], a column of the baseline) stay with the code that uses them. A wrong argument is core's MG_ARGUMENT_INVALID naming the
// function, the path inside the argument and what was expected (a value that breaks a rule stays MG_DRIFT_BAD_OPTION).

export const count = z.number().int().nonnegative()
export const strings = z.array(z.string())

/** A baseline as baselineFromJSON / buildBaseline return it (the shape only; its columns are trusted). */
export const baselineArgument = z.custom<Baseline>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as Baseline).checksum === 'string' &&
    Array.isArray((v as Baseline).columns) &&
    typeof (v as Baseline).settings === 'object',
  { message: 'expected a Baseline (buildBaseline or baselineFromJSON returns one)' },
)

/** An annotated schema (loadSchema or defineSchema returns one): the shape only. */
const schemaArgument = z.custom<TableSchema>(
  (v) => typeof v === 'object' && v !== null && Array.isArray((v as TableSchema).columns),
  { message: 'expected a table schema ({ version, columns }: loadSchema or defineSchema returns one)' },
)

export const stateArgument = z.custom<DriftState>(
  (v) =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as DriftState).addEvents === 'function' &&
    typeof (v as DriftState).baseline === 'object',
  { message: 'expected a DriftState (createDriftState returns one)' },
)

export const evaluateShape = {
  methods: strings.optional(),
  failOn: z.union([z.literal('any'), z.object({ share: z.number() }).strict()]).optional(),
  alpha: z.number().gt(0).max(1).optional(),
  correction: z.enum(['holm', 'bh', 'none']).optional(),
  minRows: count.optional(),
  nullRateIncrease: z.number().min(0).max(1).optional(),
  nullRateRatio: z.number().min(1).optional(),
  unseenShare: z.number().min(0).max(1).optional(),
  outOfRangeShare: z.number().min(0).max(1).optional(),
  columns: strings.optional(),
  currentName: z.string().optional(),
  thresholds: z.enum(['fixed', 'learned']).optional(),
  multivariateSigmas: z.number().positive().optional(),
  realizedPerformance: z
    .object({ rows: count, figures: z.record(z.union([z.number(), z.nan()])) })
    .strict()
    .optional(),
} satisfies ArgumentShape<EvaluateOptions>

const evaluateOptions = z.object(evaluateShape).strict()

/** buildBaseline's options (the type check is beside the type: `satisfies ArgumentShape<BuildBaselineOptions>`). */
export const buildBaselineShape = {
  schema: schemaArgument.optional(),
  prediction: z.string().optional(),
  target: z.string().optional(),
  columns: strings.optional(),
  trim: z.number().optional(),
  rareMinCount: z.number().optional(),
  bins: z.number().optional(),
  rankError: z.number().optional(),
  confidence: z.number().optional(),
  sketches: z.boolean().optional(),
  name: z.string().optional(),
  seed: z.number().optional(),
  decisionThreshold: z.number().optional(),
  positiveLabel: z.string().optional(),
  multivariate: z.boolean().optional(),
  windowRows: z.array(z.number().int().positive()).optional(),
}

export function checkEvaluateOptions(options: unknown): void {
  checkArgument(evaluateOptions, options, { call: 'DriftState.evaluate(options)', name: 'options' })
}
