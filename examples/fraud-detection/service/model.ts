import type { LogisticRegressionModel } from '@modelgate/stats'
import { fitLogisticRegression } from '@modelgate/stats'
import { generatePayloads } from './generatePayloads.js'

/** The fraud model behind the example service: a logistic regression trained on labelled example transactions. */
export const MODEL_VERSION = 'fraud-logreg-2026.12.1'

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
  readonly card_number?: string
  readonly ip_address?: string
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

/** The model's inputs, in order (what `featureVector` computes from a payload). */
export const MODEL_FEATURES = [
  'log_amount',
  'is_international',
  'category_fuel',
  'category_travel',
  'category_electronics',
  'category_gaming',
  'device_missing',
  'new_account',
  'account_age_years',
  'night',
] as const

export function featureVector(p: FeaturePayload): number[] {
  return [
    Math.log1p(p.amount),
    p.is_international ? 1 : 0,
    p.merchant_category === 'fuel' ? 1 : 0,
    p.merchant_category === 'travel' ? 1 : 0,
    p.merchant_category === 'electronics' ? 1 : 0,
    p.merchant_category === 'gaming' ? 1 : 0,
    p.device_fingerprint === null ? 1 : 0,
    p.account_age_days < 30 ? 1 : 0,
    p.account_age_days / 365,
    p.hour_of_day <= 5 ? 1 : 0,
  ]
}

/**
 * How fraud happens in the example's world (the labels' generating process, never seen by the model): a logit
 * over amount, international use, the merchant category, a missing device fingerprint, new accounts and the night.
 */
function fraudLogit(p: FeaturePayload): number {
  return (
    -4.2 +
    0.35 * Math.log1p(p.amount) +
    (p.is_international ? 0.8 : 0) +
    (CATEGORY_WEIGHT[p.merchant_category] ?? 0) +
    (p.device_fingerprint === null ? 1.0 : 0) +
    (p.account_age_days < 30 ? 0.9 : 0) -
    0.0002 * p.account_age_days +
    (p.hour_of_day <= 5 ? 0.5 : 0)
  )
}

export interface TrainedFraudModel {
  readonly version: string
  readonly features: readonly string[]
  readonly model: LogisticRegressionModel
  /** Rows and fraud rate of the training set. */
  readonly rows: number
  readonly fraudRate: number
}

/**
 * Trains the service's model: `rows` labelled transactions (seeded payloads, each labelled fraud with the
 * probability of the generating process, drawn from a seeded stream), fitted with stats' logistic regression
 * (Newton's method, L2 1e-3). Deterministic: the same options give the same coefficients.
 */
export function trainFraudModel(options: { readonly rows?: number; readonly seed?: number } = {}): TrainedFraudModel {
  const rows = options.rows ?? 10_000
  const seed = options.seed ?? 2026
  const payloads = generatePayloads({ n: rows, seed, deviceFingerprintNullRate: 0.05 })
  const x = new Float64Array(rows * MODEL_FEATURES.length)
  const y = new Float64Array(rows)
  let state = (seed * 2654435761) >>> 0
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  let frauds = 0
  payloads.forEach((p, i) => {
    x.set(featureVector(p), i * MODEL_FEATURES.length)
    const fraud = uniform() < 1 / (1 + Math.exp(-fraudLogit(p))) ? 1 : 0
    y[i] = fraud
    frauds += fraud
  })
  const model = fitLogisticRegression(x, y, { columns: MODEL_FEATURES.length, l2: 1e-3 })
  return { version: MODEL_VERSION, features: MODEL_FEATURES, model, rows, fraudRate: frauds / rows }
}

let defaultModel: TrainedFraudModel | undefined

/** The model the service serves: trained once, on first use (well under a second). */
export function fraudModel(): TrainedFraudModel {
  defaultModel ??= trainFraudModel()
  return defaultModel
}

export function scorePayload(p: FeaturePayload, trained: TrainedFraudModel = fraudModel()): Prediction {
  const v = featureVector(p)
  let z = trained.model.intercept
  for (let j = 0; j < v.length; j++) z += (trained.model.coefficients[j] as number) * (v[j] as number)
  const score = Math.round((1 / (1 + Math.exp(-z))) * 1e6) / 1e6
  return {
    score,
    model_version: trained.version,
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
