import type { FeaturePayload } from './model.js'

export interface GeneratePayloadsOptions {
  readonly n: number
  readonly seed?: number
  /** Share of payloads whose device_fingerprint is null; exactly round(n × rate) of them. Default 0.01. */
  readonly deviceFingerprintNullRate?: number
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pickWeighted = <T extends string>(u: number, table: readonly (readonly [T, number])[]): T => {
  let acc = 0
  for (const [value, w] of table) {
    acc += w
    if (u < acc) return value
  }
  return (table[table.length - 1] as readonly [T, number])[0]
}

/**
 * A card number as a payment app sends it: 16 digits behind a Visa-like `4` — with a check digit that fails the
 * Luhn check on purpose, so that no generated number can be a real card (detection still flags the column by its
 * name and shape).
 */
function cardNumber(rand: () => number): string {
  const digits = [4, ...Array.from({ length: 14 }, () => Math.floor(rand() * 10))]
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits[digits.length - 1 - i] as number
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  const luhn = (10 - (sum % 10)) % 10
  return `${digits.join('')}${(luhn + 1) % 10}`
}

/** A client IP in 100.64.0.0/10 (carrier-grade NAT space, RFC 6598: no public host has one). */
function clientIp(rand: () => number): string {
  return `100.${64 + Math.floor(rand() * 64)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`
}

const FIRST = ['maria', 'john', 'wei', 'fatima', 'lucas', 'aisha', 'noah', 'elena']
const LAST = ['garcia', 'smith', 'zhang', 'khan', 'silva', 'okafor', 'muller', 'rossi']

/**
 * The "production" transactions of the example: realistic-looking payloads as the checkout app sends them, with
 * four PII fields — `customer_email`, `device_fingerprint`, `card_number`, `ip_address` — that look real on purpose,
 * so tests can prove no model file, baseline, contract or report ever copies them (none can belong to a person:
 * `.test` mail domains, Luhn-invalid card numbers, CGNAT addresses, random hex fingerprints). Seeded (mulberry32):
 * the same options give the same payloads. The mobile release that stopped sending `device_fingerprint` for part of
 * its requests is `deviceFingerprintNullRate: 0.4` (exactly round(n × rate) of them, at random positions).
 */
export function generatePayloads(options: GeneratePayloadsOptions): FeaturePayload[] {
  const rand = mulberry32(options.seed ?? 7)
  // card numbers and IPs from a stream of their own, so the other fields do not depend on them
  const pii = mulberry32(((options.seed ?? 7) ^ 0x5eed) >>> 0)
  const n = options.n
  const nulls = Math.round(n * (options.deviceFingerprintNullRate ?? 0.01))
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = 0; i < nulls; i++) {
    const j = i + Math.floor(rand() * (n - i))
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  const isNull = new Uint8Array(n)
  for (let i = 0; i < nulls; i++) isNull[order[i] as number] = 1
  const out: FeaturePayload[] = []
  const start = Date.parse('2026-11-01T00:00:00.000Z')
  for (let i = 0; i < n; i++) {
    // Box–Muller normal for a log-normal amount.
    const z = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
    const amount = Math.min(10000, Math.round(Math.exp(3.8 + z) * 100) / 100)
    const hex = Array.from({ length: 32 }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('')
    const first = FIRST[Math.floor(rand() * FIRST.length)] as string
    const last = LAST[Math.floor(rand() * LAST.length)] as string
    out.push({
      transaction_id: `tx-${(100000 + i).toString(36)}-${Math.floor(rand() * 1e9).toString(36)}`,
      amount,
      currency: pickWeighted(rand(), [
        ['USD', 0.6],
        ['EUR', 0.3],
        ['GBP', 0.1],
      ] as const),
      merchant_category: pickWeighted(rand(), [
        ['grocery', 0.35],
        ['fuel', 0.2],
        ['electronics', 0.2],
        ['travel', 0.15],
        ['gaming', 0.1],
      ] as const),
      account_age_days: Math.min(3650, Math.floor(-Math.log(1 - rand()) * 400)),
      hour_of_day: Math.floor(rand() * 24),
      is_international: rand() < 0.1,
      customer_email: `${first}.${last}${Math.floor(rand() * 1000)}@mailbox.test`,
      device_fingerprint: isNull[i] === 1 ? null : hex,
      event_time: new Date(start + Math.floor(rand() * 20 * 86400) * 1000).toISOString(),
      card_number: cardNumber(pii),
      ip_address: clientIp(pii),
    })
  }
  return out
}
