import { tableFromRows } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import { buildBaseline } from '@modelgate/drift'
import { seeded } from './events.js'

/** 20 features of a fraud model: 14 numeric of varied shapes, 6 categorical (3–20 categories), and a score. */
function fraudFeatures(random: () => number, options: { nullDevice?: number } = {}): Record<string, unknown> {
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random())
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)] as T
  const f: Record<string, unknown> = {
    amount: Math.round(Math.exp(3 + normal()) * 100) / 100,
    age: Math.round(35 + 12 * normal()),
    tenure_days: Math.round(-Math.log(1 - random()) * 400),
    txn_count_7d: Math.floor(-Math.log(1 - random()) * 6),
    avg_amount_7d: Math.exp(3.2 + 0.5 * normal()),
    hour: random() * 24,
    distance_km: -Math.log(1 - random()) * 30,
    balance: 1000 + 400 * normal(),
    ratio_1: random(),
    ratio_2: random() ** 2,
    z_1: normal(),
    z_2: normal() * 2 + 1,
    z_3: normal() * 0.5 - 3,
    velocity: Math.abs(normal()) * 10,
    country: pick(['FR', 'DE', 'US', 'GB', 'ES', 'IT']),
    channel: pick(['web', 'ios', 'android']),
    merchant_category: pick(['grocery', 'travel', 'fuel', 'electronics', 'fashion', 'gaming', 'other']),
    card_type: pick(['debit', 'credit', 'prepaid']),
    currency: pick(['EUR', 'USD', 'GBP']),
    device_fingerprint: random() < (options.nullDevice ?? 0) ? null : `dev-${Math.floor(random() * 20)}`,
  }
  return f
}

export function fraudEvent(random: () => number, id: string, time: number, options: { nullDevice?: number } = {}) {
  return {
    request_id: id,
    timestamp: time,
    model_version: 'v3',
    features: fraudFeatures(random, options),
    prediction: { score: random() },
    latency_ms: 5 + random() * 20,
  }
}

let cached: Baseline | undefined
/** The baseline of 20,000 reference rows from the same generator (seed 1). */
export function fraudBaseline(): Baseline {
  if (cached !== undefined) return cached
  const random = seeded(1)
  const rows = Array.from({ length: 20_000 }, () => ({ ...fraudFeatures(random), score: random() }))
  cached = buildBaseline(tableFromRows(rows), { prediction: 'score', name: 'reference' })
  return cached
}
