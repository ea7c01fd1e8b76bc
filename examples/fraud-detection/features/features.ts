// The fraud-scoring features, computed two ways: `batchFeatures` over a whole table (the training path)
// and `computeOnlineFeatures` per request from an in-memory history store (the serving path).

import type { Column, Table } from '@modelgate/core'
import { getColumn } from '@modelgate/core'
import { MERCHANT_CATEGORIES } from './generateTransactions.js'

export const FEATURES = [
  'avg_amount_7d',
  'txn_count_24h',
  'amount_zscore_30d',
  'mcc_code',
  'is_high_risk_merchant',
  'hour_of_day_local',
] as const

const MINUTE = 60_000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const HIGH_RISK = new Set(['gambling', 'crypto'])

export function mccCode(category: string | null): number {
  return category === null ? -1 : (MERCHANT_CATEGORIES as readonly string[]).indexOf(category)
}

/** Hour of day in the user's local time, from a UTC epoch-ms timestamp and a UTC offset in minutes. */
export function localHour(ts: number, tzOffsetMin: number): number {
  const minuteOfDay = (((Math.floor(ts / MINUTE) + tzOffsetMin) % 1440) + 1440) % 1440
  return Math.floor(minuteOfDay / 60)
}

function strings(column: Column): (string | null)[] {
  const n = column.kind === 'categorical' ? column.codes.length : column.values.length
  const out = new Array<string | null>(n)
  for (let i = 0; i < n; i++) {
    if (column.kind === 'categorical') {
      const c = column.codes[i] ?? -1
      out[i] = c < 0 ? null : (column.dictionary[c] ?? null)
    } else if (column.kind === 'text' || column.kind === 'id') out[i] = column.values[i] ?? null
    else out[i] = String(column.values[i])
  }
  return out
}

function numbers(column: Column): Float64Array {
  if (column.kind === 'categorical' || column.kind === 'text' || column.kind === 'id') {
    return Float64Array.from(strings(column), (s) => (s === null ? Number.NaN : Number(s)))
  }
  return Float64Array.from(column.values as ArrayLike<number>)
}

/** Per user, the rows sorted by time (stable), as the window computations walk them. */
function groupByUser(users: readonly (string | null)[], ts: Float64Array): Int32Array[] {
  const groups = new Map<string, number[]>()
  for (let i = 0; i < users.length; i++) {
    const u = users[i] ?? ''
    let g = groups.get(u)
    if (g === undefined) {
      g = []
      groups.set(u, g)
    }
    g.push(i)
  }
  return [...groups.values()].map((g) =>
    Int32Array.from(g).sort((a, b) => (ts[a] as number) - (ts[b] as number) || a - b),
  )
}

/**
 * Mean and sample sd of amounts over history positions [lo, hi) — summed in time order, exactly as the
 * online store does, so that both paths produce the same floating-point result.
 */
export function windowStats(
  amounts: ArrayLike<number>,
  lo: number,
  hi: number,
): { count: number; mean: number; sd: number } {
  const count = hi - lo
  if (count <= 0) return { count: 0, mean: Number.NaN, sd: Number.NaN }
  let sum = 0
  for (let q = lo; q < hi; q++) sum += amounts[q] as number
  const mean = sum / count
  if (count < 2) return { count, mean, sd: Number.NaN }
  let ss = 0
  for (let q = lo; q < hi; q++) ss += ((amounts[q] as number) - mean) ** 2
  return { count, mean, sd: Math.sqrt(ss / (count - 1)) }
}

export function zscore(amount: number, stats: { count: number; mean: number; sd: number }): number | null {
  return stats.count >= 2 && stats.sd > 0 ? (amount - stats.mean) / stats.sd : null
}

/**
 * The batch (training) path: every feature for every transaction, point-in-time correct — a row only
 * sees the same user's transactions strictly before it. Windows are half-open: [ts − 7d, ts).
 */
export function batchFeatures(input: Table): Table {
  const n = input.numRows
  const users = strings(getColumn(input, 'user_id'))
  const ts = numbers(getColumn(input, 'ts'))
  const amount = numbers(getColumn(input, 'amount'))
  const categories = strings(getColumn(input, 'merchant_category'))
  const tz = numbers(getColumn(input, 'tz_offset_min'))
  const avg7 = new Float64Array(n)
  const avg7Valid = new Uint8Array(n)
  const count24 = new Float64Array(n)
  const z30 = new Float64Array(n)
  const z30Valid = new Uint8Array(n)
  for (const group of groupByUser(users, ts)) {
    const gTs = Float64Array.from(group, (i) => ts[i] as number)
    const gAmount = Float64Array.from(group, (i) => amount[i] as number)
    let lo7 = 0
    let lo24 = 0
    let lo30 = 0
    let hi = 0
    for (let p = 0; p < group.length; p++) {
      const t = gTs[p] as number
      while ((gTs[hi] as number) < t) hi++
      while ((gTs[lo7] as number) < t - 7 * DAY) lo7++
      while ((gTs[lo24] as number) < t - DAY) lo24++
      while ((gTs[lo30] as number) < t - 30 * DAY) lo30++
      const row = group[p] as number
      const w7 = windowStats(gAmount, lo7, hi)
      if (w7.count > 0) {
        avg7[row] = w7.mean
        avg7Valid[row] = 1
      }
      count24[row] = hi - lo24
      const z = zscore(amount[row] as number, windowStats(gAmount, lo30, hi))
      if (z !== null) {
        z30[row] = z
        z30Valid[row] = 1
      }
    }
  }
  const mcc = Float64Array.from(categories, (c) => mccCode(c))
  const risky = Uint8Array.from(categories, (c) => (c !== null && HIGH_RISK.has(c) ? 1 : 0))
  const hour = new Float64Array(n)
  for (let i = 0; i < n; i++) hour[i] = localHour(ts[i] as number, tz[i] as number)
  return {
    numRows: n,
    columns: [
      getColumn(input, 'txn_id'),
      { kind: 'numeric', name: 'avg_amount_7d', values: avg7, valid: avg7Valid },
      { kind: 'integer', name: 'txn_count_24h', values: count24, valid: null },
      { kind: 'numeric', name: 'amount_zscore_30d', values: z30, valid: z30Valid },
      { kind: 'integer', name: 'mcc_code', values: mcc, valid: null },
      { kind: 'boolean', name: 'is_high_risk_merchant', values: risky, valid: null },
      { kind: 'integer', name: 'hour_of_day_local', values: hour, valid: null },
    ],
  }
}

/** The serving side's history: per user, event times (sorted) and amounts. */
export interface FeatureStore {
  readonly users: ReadonlyMap<string, { readonly ts: Float64Array; readonly amount: Float64Array }>
}

/** Fills the online store from an event log (here: the same transactions the batch path sees). */
export function createFeatureStore(history: Table): FeatureStore {
  const users = strings(getColumn(history, 'user_id'))
  const ts = numbers(getColumn(history, 'ts'))
  const amount = numbers(getColumn(history, 'amount'))
  const out = new Map<string, { ts: Float64Array; amount: Float64Array }>()
  for (const group of groupByUser(users, ts)) {
    const u = users[group[0] as number] ?? ''
    out.set(u, {
      ts: Float64Array.from(group, (i) => ts[i] as number),
      amount: Float64Array.from(group, (i) => amount[i] as number),
    })
  }
  return { users: out }
}

/** First index with sorted[i] ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((sorted[mid] as number) < x) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The request body the feature service accepts: one transaction. */
export interface TransactionRequest {
  readonly txn_id: number | string
  readonly user_id: string
  /** ISO 8601 or epoch ms. */
  readonly ts: string | number
  readonly amount: number
  readonly merchant_category: string | null
  readonly tz_offset_min: number
}

export type OnlineFeatures = Record<(typeof FEATURES)[number], number | boolean | null>

/**
 * The online (serving) path: features for one transaction from the history store.
 * `broken: true` reproduces a real class of bug: the 7-day window is anchored on the user's *local*
 * calendar day and goes back 6 days from there — "7 days" that are really 6 days plus today so far.
 */
export function computeOnlineFeatures(
  store: FeatureStore,
  request: TransactionRequest,
  options: { readonly broken?: boolean } = {},
): OnlineFeatures {
  const ts = typeof request.ts === 'number' ? request.ts : Date.parse(request.ts)
  const tz = Number(request.tz_offset_min)
  const history = store.users.get(request.user_id) ?? { ts: new Float64Array(0), amount: new Float64Array(0) }
  const hi = lowerBound(history.ts, ts)
  let start7 = ts - 7 * DAY
  if (options.broken === true) {
    // BUG (deliberate, for the skew demo): local midnight minus 6 days instead of now minus 7 days.
    const local = ts + tz * MINUTE
    const localMidnight = local - (((local % DAY) + DAY) % DAY)
    start7 = localMidnight - tz * MINUTE - 6 * DAY
  }
  const w7 = windowStats(history.amount, lowerBound(history.ts, start7), hi)
  const w30 = windowStats(history.amount, lowerBound(history.ts, ts - 30 * DAY), hi)
  const category = request.merchant_category ?? null
  return {
    avg_amount_7d: w7.count > 0 ? w7.mean : null,
    txn_count_24h: hi - lowerBound(history.ts, ts - DAY),
    amount_zscore_30d: zscore(Number(request.amount), w30),
    mcc_code: mccCode(category),
    is_high_risk_merchant: category !== null && HIGH_RISK.has(category),
    hour_of_day_local: localHour(ts, tz),
  }
}
