import { z } from 'zod'

/** The serialized window state (`DriftState.toJSON()`): its format tag, version and schema. */
export const DRIFT_STATE_FORMAT = 'modelgate.drift.state'
export const DRIFT_STATE_VERSION = 1

const commonJson = {
  present: z.number().nonnegative(),
  nulls: z.number().nonnegative(),
  typeErrors: z.number().nonnegative(),
}
export const stateSchema = z
  .object({
    format: z.literal(DRIFT_STATE_FORMAT),
    version: z.literal(DRIFT_STATE_VERSION),
    baseline: z.string(),
    rows: z.number().nonnegative(),
    methods: z.array(z.string()),
    extraFields: z.record(z.number().nonnegative()),
    multivariate: z
      .object({ count: z.number(), sum: z.number(), sumSq: z.number(), residuals: z.array(z.number()) })
      .strict()
      .nullable(),
    performance: z
      .object({
        rows: z.number(),
        tp: z.number(),
        fp: z.number(),
        fn: z.number(),
        tn: z.number(),
        binPositive: z.array(z.number()),
        binNegative: z.array(z.number()),
      })
      .strict()
      .nullable()
      .optional(),
    columns: z.record(
      z.union([
        z
          .object({
            ...commonJson,
            kind: z.literal('numeric'),
            count: z.number(),
            mean: z.number(),
            m2: z.number(),
            bins: z.array(z.number()),
            binSums: z.array(z.number()),
            below: z.number(),
            above: z.number(),
            excessBelow: z.number(),
            excessAbove: z.number(),
            sketch: z.unknown(),
          })
          .strict(),
        z.object({ ...commonJson, kind: z.literal('categorical'), counts: z.array(z.number()) }).strict(),
        z.object({ ...commonJson, kind: z.literal('pii'), count: z.number(), valid: z.number() }).strict(),
        z.object({ ...commonJson, kind: z.enum(['identifier', 'skipped']) }).strict(),
      ]),
    ),
  })
  .strict()
export type DriftStateJSON = z.infer<typeof stateSchema>
