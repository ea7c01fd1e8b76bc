/** The fraud model behind the example service: a fixed logistic scorecard over the feature payload. */
export const MODEL_VERSION = 'fraud-gbm-2026.11.1'

/** A type alias (not an interface) so payloads are assignable to `Record<string, unknown>`. */
export type FeaturePayload = {
  readonly transaction_id: string
  readonly amount: number
  readonly currency: string
  readonly merchant_category: string
  readonly account_age_days: number
  readonly hour_of_day: number
  readonly is_international: boolean
  readonly customer_email: string
  readonly device_fingerprint: string | null
  readonly event_time: string
}

export interface Prediction {
  readonly score: number
  readonly model_version: string
  readonly decision: 'approve' | 'review' | 'decline'
}

const CATEGORY_WEIGHT: Readonly<Record<string, number>> = {
  grocery: -0.5,
  fuel: -0.2,
  travel: 0.4,
  electronics: 0.6,
  gaming: 1.2,
}
const REQUIRED = [
  'transaction_id',
  'amount',
  'currency',
  'merchant_category',
  'account_age_days',
  'hour_of_day',
  'is_international',
  'customer_email',
  'device_fingerprint',
  'event_time',
] as const

/** Why a payload cannot be scored, or undefined. */
export function payloadProblem(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body must be a JSON object'
  const record = body as Record<string, unknown>
  for (const field of REQUIRED) if (!(field in record)) return `missing field "${field}"`
  if (typeof record.amount !== 'number' || record.amount < 0) return '"amount" must be a non-negative number'
  if (typeof record.account_age_days !== 'number') return '"account_age_days" must be a number'
  if (typeof record.hour_of_day !== 'number') return '"hour_of_day" must be a number'
  return undefined
}

export function scorePayload(p: FeaturePayload): Prediction {
  const z =
    -3 +
    0.0004 * p.amount +
    (p.is_international ? 0.8 : 0) +
    (CATEGORY_WEIGHT[p.merchant_category] ?? 0) +
    (p.device_fingerprint === null ? 1.0 : 0) +
    (p.account_age_days < 30 ? 0.9 : 0) -
    0.0002 * p.account_age_days +
    (p.hour_of_day <= 5 ? 0.5 : 0)
  const score = Math.round((1 / (1 + Math.exp(-z))) * 1e6) / 1e6
  return {
    score,
    model_version: MODEL_VERSION,
    decision: score >= 0.8 ? 'decline' : score >= 0.5 ? 'review' : 'approve',
  }
}

export interface FeatureLogEvent {
  readonly event_type: 'prediction.logged'
  readonly event_id: string
  readonly logged_at: string
  readonly features: FeaturePayload
  readonly prediction: Prediction
}

/** The Kafka-style record the service emits for every scored payload (features + prediction). */
export function buildFeatureLogEvent(
  features: FeaturePayload,
  prediction: Prediction,
  eventId: string,
  now: Date,
): FeatureLogEvent {
  return { event_type: 'prediction.logged', event_id: eventId, logged_at: now.toISOString(), features, prediction }
}
