import type { Table } from '@modelgate/core'

export const MERCHANT_CATEGORIES = [
  'grocery',
  'restaurants',
  'travel',
  'electronics',
  'fuel',
  'gambling',
  'crypto',
  'other',
] as const
const TZ_OFFSETS_MIN = [-480, -300, -240, 0, 60, 120, 330, 540, 600] as const

/** A small seeded generator (mulberry32), so that every example table is reproducible. */
export function createRng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface GenerateOptions {
  readonly rows: number
  readonly users?: number
  readonly days?: number
  readonly seed?: number
  /** First day (UTC, epoch ms). Default 2026-01-01. */
  readonly start?: number
}

/**
 * Card transactions for the fraud-scoring example, in time order: txn_id, user_id, ts (whole seconds),
 * amount, merchant_category, tz_offset_min (the user's UTC offset). Synthetic — no real person's data.
 */
export function generateTransactions(options: GenerateOptions): Table {
  const n = options.rows
  const users = options.users ?? Math.max(1, Math.round(n / 40))
  const days = options.days ?? 60
  const rng = createRng(options.seed ?? 1)
  const start = options.start ?? Date.UTC(2026, 0, 1)
  const userTz = Int32Array.from(
    { length: users },
    () => TZ_OFFSETS_MIN[Math.floor(rng() * TZ_OFFSETS_MIN.length)] as number,
  )
  const userScale = Float64Array.from({ length: users }, () => 20 + rng() * 180)
  const ts = new Float64Array(n)
  for (let i = 0; i < n; i++) ts[i] = start + Math.floor(rng() * days * 86_400) * 1000
  ts.sort()
  const txnId = new Float64Array(n)
  const userCodes = new Int32Array(n)
  const amount = new Float64Array(n)
  const mcc = new Int32Array(n)
  const tz = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    txnId[i] = i + 1
    // a few heavy users, many light ones
    const u = Math.min(users - 1, Math.floor(users * rng() ** 1.5))
    userCodes[i] = u
    const scale = userScale[u] as number
    amount[i] = Math.round(scale * -Math.log(1 - rng() * 0.999) * 100) / 100
    mcc[i] = Math.floor(rng() ** 1.3 * MERCHANT_CATEGORIES.length)
    tz[i] = userTz[u] as number
  }
  const dictionary = Array.from({ length: users }, (_, u) => `u${String(u).padStart(5, '0')}`)
  return {
    numRows: n,
    columns: [
      { kind: 'integer', name: 'txn_id', values: txnId, valid: null },
      { kind: 'categorical', name: 'user_id', codes: userCodes, dictionary },
      { kind: 'datetime', name: 'ts', values: ts, valid: null, format: 'iso' },
      { kind: 'numeric', name: 'amount', values: amount, valid: null },
      { kind: 'categorical', name: 'merchant_category', codes: mcc, dictionary: [...MERCHANT_CATEGORIES] },
      { kind: 'integer', name: 'tz_offset_min', values: tz, valid: null },
    ],
  }
}
