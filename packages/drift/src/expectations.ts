import { readFile } from 'node:fs/promises'
import { COLUMN_KINDS } from '@modelgate/core'
import { z } from 'zod'
import { DriftError } from './errors.js'

/** One quantile band: the p-quantile of the feature must fall in [min, max]. */
const quantileBandSchema = z.object({ p: z.number().min(0).max(1), min: z.number(), max: z.number() }).strict()

const featureExpectationSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(COLUMN_KINDS),
    /** A datetime field's format as its schema declares it, so a checked sample is read the way it is written. */
    format: z.string().optional(),
    /** The field must be present (possibly null) in every payload. */
    required: z.boolean().default(true),
    /** Upper bound of the share of nulls among payloads that carry the field. */
    maxNullRate: z.number().min(0).max(1).optional(),
    /** Values a categorical feature may take. */
    allowedValues: z.array(z.string()).optional(),
    /** Share of non-null values outside `allowedValues` that is tolerated. Default 0. */
    maxOtherRate: z.number().min(0).max(1).optional(),
    quantiles: z.array(quantileBandSchema).optional(),
  })
  .strict()

export const expectationsSchema = z
  .object({
    version: z.literal(1),
    name: z.string().optional(),
    /** Where the expectations came from, for humans. */
    derivedFrom: z
      .object({
        schema: z.string().optional(),
        sample: z.string().optional(),
        rows: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    features: z.array(featureExpectationSchema),
  })
  .strict()

export type QuantileBand = z.infer<typeof quantileBandSchema>
export type FeatureExpectation = z.infer<typeof featureExpectationSchema>
export type Expectations = z.infer<typeof expectationsSchema>

/** Validates parsed JSON as expectations; `source` names the file in errors. */
export function parseExpectations(json: unknown, source = 'expectations'): Expectations {
  const parsed = expectationsSchema.safeParse(json)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue !== undefined && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
    throw new DriftError(
      'MG_DRIFT_EXPECTATIONS_INVALID',
      `Expectations ${source}${where}: ${issue?.message ?? 'invalid'}.`,
      {
        location: { file: source },
        hint: 'Derive a fresh file with deriveExpectations().',
      },
    )
  }
  for (const f of parsed.data.features) {
    for (const band of f.quantiles ?? []) {
      if (band.min > band.max) {
        throw new DriftError(
          'MG_DRIFT_EXPECTATIONS_INVALID',
          `Expectations ${source}: feature "${f.name}" p${band.p * 100} band has min ${band.min} > max ${band.max}.`,
          {
            location: { file: source, column: f.name },
          },
        )
      }
    }
  }
  return parsed.data
}

/** Reads and validates an expectations file (as written by `deriveExpectations`, `modelgate contracts expect`). */
export async function loadExpectations(file: string): Promise<Expectations> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    throw new DriftError(
      'MG_DRIFT_EXPECTATIONS_INVALID',
      `Expectations file ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`,
      {
        cause,
        location: { file },
      },
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new DriftError(
      'MG_DRIFT_EXPECTATIONS_INVALID',
      `Expectations file ${file} is not valid JSON: ${(cause as Error).message}`,
      {
        cause,
        location: { file },
      },
    )
  }
  return parseExpectations(json, file)
}
