import type { Column, Table } from '@modelgate/core'
import { categoricalFromStrings, createRandom, tableFromColumns } from '@modelgate/core'

export interface SampleOptions {
  readonly rows: number
  readonly seed: number
  /** Added to `amount` in units of its standard deviation (1). */
  readonly shift?: number
  /** Share of `device_fingerprint` set to null. */
  readonly nullShare?: number
}

const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'BR', 'IN']

/**
 * A transactions-like table: amount (normal, sd 1), latency (lognormal), items (Poisson-like small counts),
 * country (6 categories), is_mobile (boolean), device_fingerprint (a UUID-like PII column), email (PII).
 */
export function sampleTable(options: SampleOptions): Table {
  const rng = createRandom(options.seed, 'drift-test')
  const n = options.rows
  const amount = new Float64Array(n)
  const latency = new Float64Array(n)
  const items = new Float64Array(n)
  const mobile = new Uint8Array(n)
  const country: string[] = []
  const device: (string | null)[] = []
  const email: string[] = []
  for (let i = 0; i < n; i++) {
    amount[i] = 50 + rng.normal() + (options.shift ?? 0)
    latency[i] = Math.exp(2 + 0.5 * rng.normal())
    items[i] = Math.floor(-Math.log(1 - rng.uniform()) * 4)
    mobile[i] = rng.uniform() < 0.4 ? 1 : 0
    country.push(COUNTRIES[Math.min(5, Math.floor(rng.uniform() ** 1.5 * 6))] as string)
    device.push(rng.uniform() < (options.nullShare ?? 0) ? null : `dev-${(rng.int(1e9) + 1e9).toString(16)}-${i}`)
    email.push(`user${options.seed}x${i}@example.com`)
  }
  const columns: Column[] = [
    { kind: 'numeric', name: 'amount', values: amount, valid: null },
    { kind: 'numeric', name: 'latency', values: latency, valid: null },
    { kind: 'integer', name: 'items', values: items, valid: null },
    categoricalFromStrings('country', country),
    { kind: 'boolean', name: 'is_mobile', values: mobile, valid: null },
    { kind: 'text', name: 'device_fingerprint', values: device },
    { kind: 'text', name: 'email', values: email },
  ]
  return tableFromColumns(columns)
}
