import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRandom, tableFromRows } from '@modelgate/core'
import { buildBaseline } from '@modelgate/drift'

/** Payload rows of a small scoring API: `nullShare` of them without a device fingerprint. */
function payloads(n: number, seed: number, nullShare: number): Record<string, unknown>[] {
  const random = createRandom(seed, 'payloads')
  const categories = ['grocery', 'fuel', 'travel', 'electronics']
  return Array.from({ length: n }, (_, i) => ({
    request_id: `r-${seed}-${i}`,
    amount: Math.round(Math.exp(3.5 + 0.8 * random.normal()) * 100) / 100,
    merchant_category: categories[random.int(categories.length)],
    account_age_days: random.int(2000),
    device_fingerprint: random.uniform() < nullShare ? null : `fp-${random.int(1e9).toString(16)}`,
  }))
}

const REQUEST_SCHEMA = {
  version: 1,
  columns: [
    { name: 'request_id', kind: 'id', nullable: false },
    { name: 'amount', kind: 'numeric', nullable: false, min: 0 },
    {
      name: 'merchant_category',
      kind: 'categorical',
      nullable: false,
      values: ['grocery', 'fuel', 'travel', 'electronics'],
    },
    { name: 'account_age_days', kind: 'integer', nullable: false, min: 0 },
    { name: 'device_fingerprint', kind: 'text', nullable: true, pii: { type: 'device_id' } },
  ],
}

const jsonl = (rows: readonly Record<string, unknown>[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`

export interface Scenario {
  readonly dir: string
  readonly url: string
  /** Requests the scoring server answered. */
  readonly served: () => number
  /** Writes modelgate.yaml (the given text) and returns its path. */
  readonly config: (text: string) => Promise<string>
  readonly close: () => Promise<void>
}

/**
 * A folder with a healthy reference sample, a healthy candidate, a broken candidate (40% of device fingerprints
 * null), the request schema, a baseline of the reference, and a scoring server on loopback (`delayMs` per answer).
 */
export async function createScenario(options: { delayMs?: number } = {}): Promise<Scenario> {
  const dir = await mkdtemp(join(tmpdir(), 'modelgate-gate-'))
  const reference = payloads(2000, 1, 0.01)
  await writeFile(join(dir, 'reference.jsonl'), jsonl(reference))
  await writeFile(join(dir, 'candidate.jsonl'), jsonl(payloads(2000, 2, 0.01)))
  await writeFile(join(dir, 'mobile-release.jsonl'), jsonl(payloads(2000, 3, 0.4)))
  await writeFile(join(dir, 'request.schema.json'), JSON.stringify(REQUEST_SCHEMA))
  const baseline = buildBaseline(tableFromRows(reference), { name: 'reference.jsonl' })
  await writeFile(join(dir, 'baseline.json'), JSON.stringify(baseline))
  let served = 0
  const server: Server = createServer((req, res) => {
    req.resume().on('end', () => {
      served++
      setTimeout(() => {
        res.setHeader('content-type', 'application/json')
        res.end('{"score":0.1}')
      }, options.delayMs ?? 0)
    })
  })
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/predict`
  return {
    dir,
    url,
    served: () => served,
    config: async (text) => {
      const path = join(dir, 'modelgate.yaml')
      await writeFile(path, text)
      return path
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise((closed) => server.close(closed))
      await rm(dir, { recursive: true, force: true })
    },
  }
}
