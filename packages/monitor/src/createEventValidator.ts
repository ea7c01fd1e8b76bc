import type { ErrorObject, ValidateFunction } from 'ajv'
import { Ajv } from 'ajv'
import type { InferenceEvent, LabelEvent } from './inferenceEvent.js'
import { inferenceEventJsonSchema, labelEventJsonSchema } from './inferenceEvent.js'

/** Why an event was refused: a bounded set (metric labels), never a value from the event. */
export type BadEventReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'bad_timestamp'
  | `missing_${'request_id' | 'timestamp' | 'features' | 'label'}`
  | `bad_${'request_id' | 'model_version' | 'features' | 'prediction' | 'latency_ms' | 'error' | 'label'}`
  | 'invalid'
  | 'late'
  | 'duplicate'

export type ValidatedEvent =
  | { readonly kind: 'inference'; readonly event: InferenceEvent; readonly time: number }
  | { readonly kind: 'label'; readonly event: LabelEvent; readonly time: number | undefined }
  | { readonly kind: 'bad'; readonly reason: BadEventReason; readonly problem: string }

export type EventValidator = (value: unknown) => ValidatedEvent

const FIELDS = new Set([
  'request_id',
  'timestamp',
  'model_version',
  'features',
  'prediction',
  'latency_ms',
  'error',
  'label',
])
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/

/**
 * The fast validation path: an Ajv validator compiled from the JSON Schema that is generated from the zod schema
 * (`inferenceEventSchema`), so both accept the same events (a test checks that on generated events), at a
 * fraction of zod's cost per event (bench/monitor.bench.ts). Timestamps are parsed here (ISO-8601 with offset, or
 * epoch ms). A refusal names its reason from a bounded set and the field, never a value.
 */
export function createEventValidator(): EventValidator {
  // validateFormats off: `date-time` is checked below, where the timestamp is parsed anyway.
  const ajv = new Ajv({ allErrors: false, strict: false, validateFormats: false })
  const inference = ajv.compile(inferenceEventJsonSchema())
  const label = ajv.compile(labelEventJsonSchema())
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { kind: 'bad', reason: 'not_an_object', problem: 'an event must be a JSON object' }
    }
    const isLabel = 'label' in value && !('features' in value)
    const validate: ValidateFunction = isLabel ? label : inference
    if (!validate(value)) return refusal(validate.errors?.[0])
    const raw = (value as { timestamp?: unknown }).timestamp
    const time = raw === undefined ? undefined : parseTimestamp(raw)
    if (time === null) {
      return { kind: 'bad', reason: 'bad_timestamp', problem: 'timestamp: expected epoch ms or ISO-8601 with offset' }
    }
    if (isLabel) return { kind: 'label', event: value as LabelEvent, time }
    return { kind: 'inference', event: value as InferenceEvent, time: time as number }
  }
}

/** Epoch ms from a number (ms) or an ISO-8601 string with offset; null when neither. */
export function parseTimestamp(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : null
  if (typeof raw !== 'string' || !ISO.test(raw)) return null
  const ms = Date.parse(raw)
  return Number.isNaN(ms) ? null : ms
}

function refusal(error: ErrorObject | undefined): ValidatedEvent {
  if (error === undefined) return { kind: 'bad', reason: 'invalid', problem: 'invalid event' }
  if (error.keyword === 'required' && error.instancePath === '') {
    const field = String((error.params as { missingProperty?: unknown }).missingProperty)
    if (FIELDS.has(field)) {
      return { kind: 'bad', reason: `missing_${field}` as BadEventReason, problem: `${field}: required` }
    }
  }
  const field = error.instancePath.split('/')[1] ?? ''
  if (field === 'timestamp') return { kind: 'bad', reason: 'bad_timestamp', problem: `timestamp: ${error.message}` }
  if (FIELDS.has(field)) {
    // The path below a feature is a feature name (a column name, not a value); keep it for the dead letter.
    const path = error.instancePath.slice(1).replaceAll('/', '.')
    return { kind: 'bad', reason: `bad_${field}` as BadEventReason, problem: `${path}: ${error.message ?? 'invalid'}` }
  }
  return { kind: 'bad', reason: 'invalid', problem: error.message ?? 'invalid event' }
}
