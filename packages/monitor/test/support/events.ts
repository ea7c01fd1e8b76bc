import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A small seeded generator (mulberry32) for test events. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface EventOptions {
  readonly time: number
  readonly id: string
  readonly latency?: number
  readonly nullDevice?: boolean
}

export function makeEvent(random: () => number, o: EventOptions): Record<string, unknown> {
  return {
    request_id: o.id,
    timestamp: o.time,
    model_version: 'v3',
    features: {
      amount: Math.round(random() * 1000) / 10,
      country: ['FR', 'DE', 'US'][Math.floor(random() * 3)],
      device_fingerprint: o.nullDevice === true ? null : `dev-${Math.floor(random() * 50)}`,
    },
    prediction: { score: random() },
    ...(o.latency === undefined ? {} : { latency_ms: o.latency }),
  }
}

/** A webhook receiver on loopback: records each request; `failFirst` answers 503 that many times first. */
export async function startReceiver(options: { failFirst?: number } = {}) {
  const calls: { headers: Record<string, string | string[] | undefined>; body: unknown; status: number }[] = []
  let failures = options.failFirst ?? 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const status = failures > 0 ? 503 : 200
      if (failures > 0) failures--
      calls.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), status })
      res.writeHead(status).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/rollback`,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > until) throw new Error('waitFor: timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}
