import type { JsonSchema } from '@modelgate/core'
import { configJsonSchema } from '@modelgate/core'
import { z } from 'zod'

const scalar = z.union([z.number(), z.string(), z.boolean(), z.null()])
/** A feature value: a JSON scalar, or an object whose keys flatten with dots (`geo.country`). */
const featureValue = z.union([scalar, z.record(z.unknown())])

/** Epoch milliseconds, or an ISO-8601 date-time with its offset (`2026-12-06T10:00:00.123Z`). */
const timestamp = z.union([z.number().nonnegative(), z.string().datetime({ offset: true })])

/**
 * One inference as the service logs it. `features.x` is the baseline's column `x`; `prediction.score` is its
 * prediction column. Unknown top-level fields are allowed (and ignored).
 */
export const inferenceEventSchema = z
  .object({
    request_id: z.string().min(1).max(256),
    timestamp,
    model_version: z.string().max(256).optional(),
    features: z.record(featureValue),
    prediction: z
      .object({
        score: z.number().optional(),
        label: z.union([z.string(), z.number(), z.boolean()]).optional(),
      })
      .passthrough()
      .optional(),
    latency_ms: z.number().nonnegative().optional(),
    /** The request failed (counted by an `errors<1%` SLO). */
    error: z.boolean().optional(),
  })
  .passthrough()

/** A label arriving after its inference: `{"request_id": "…", "label": …}`. */
export const labelEventSchema = z
  .object({
    request_id: z.string().min(1).max(256),
    label: z.union([z.string(), z.number(), z.boolean()]),
    timestamp: timestamp.optional(),
  })
  .passthrough()

export type InferenceEvent = z.infer<typeof inferenceEventSchema>
export type LabelEvent = z.infer<typeof labelEventSchema>

/** The JSON Schema (draft-07) of an inference event, generated from its zod schema. */
export function inferenceEventJsonSchema(): JsonSchema {
  return configJsonSchema(inferenceEventSchema, {
    title: 'ModelGate inference event',
    description: 'One inference logged by the service, as accepted by `modelgate monitor`.',
  })
}

/** The JSON Schema (draft-07) of a late label event. */
export function labelEventJsonSchema(): JsonSchema {
  return configJsonSchema(labelEventSchema, { title: 'ModelGate label event' })
}
