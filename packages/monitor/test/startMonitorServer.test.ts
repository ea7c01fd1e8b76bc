import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Monitor, MonitorServer } from '@modelgate/monitor'
import { createMonitor, createMonitorMetrics, startMonitorServer } from '@modelgate/monitor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEvent, seeded } from './support/events.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-http-'))
const deadLetter = join(dir, 'dead.jsonl')
let monitor: Monitor
let server: MonitorServer
const auth = { authorization: 'Bearer s3cret-token' }

beforeAll(async () => {
  monitor = createMonitor({
    windowMs: 60_000,
    metrics: createMonitorMetrics({ processMetrics: false }),
    deadLetterPath: deadLetter,
  })
  server = await startMonitorServer(monitor, { port: 0, token: 's3cret-token', maxInFlight: 1 })
})
afterAll(async () => {
  await server.close()
  await monitor.close()
  rmSync(dir, { recursive: true, force: true })
})

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/v1/events`, { method: 'POST', body, headers: { ...auth, ...headers } })

describe('startMonitorServer', () => {
  it('refuses /v1/events without the bearer token', async () => {
    const res = await fetch(`${server.url}/v1/events`, { method: 'POST', body: '[]' })
    expect(res.status).toBe(401)
    const wrong = await post('[]', { authorization: 'Bearer nope' })
    expect(wrong.status).toBe(401)
  })

  it('takes a JSON array, JSONL and gzip, and counts bad events by reason', async () => {
    const random = seeded(7)
    const now = Date.now()
    const events = Array.from({ length: 50 }, (_, i) => makeEvent(random, { id: `h${i}`, time: now, latency: 5 }))
    const a = await post(JSON.stringify(events.slice(0, 20)))
    expect(a.status).toBe(200)
    expect(await a.json()).toMatchObject({ accepted: 20, refused: 0 })
    const jsonl = [
      ...events.slice(20).map((e) => JSON.stringify(e)),
      '{not json',
      JSON.stringify({
        request_id: 'bad-1',
        timestamp: now,
        features: { email: 'jane.doe@example.com', amount: 'x' },
        latency_ms: 'slow',
      }),
    ].join('\n')
    const b = await post(gzipSync(jsonl), { 'content-encoding': 'gzip', 'content-type': 'application/x-ndjson' })
    expect(b.status).toBe(200)
    expect(await b.json()).toMatchObject({ accepted: 30, refused: 2 })
    const bad = await post('[{"request_id": 1,')
    expect(bad.status).toBe(400)

    const metrics = await (await fetch(`${server.url}/metrics`)).text()
    expect(metrics).toContain('modelgate_events_total{result="accepted"} 50')
    expect(metrics).toContain('modelgate_bad_events_total{reason="invalid_json"} 2')
    expect(metrics).toContain('modelgate_bad_events_total{reason="bad_latency_ms"} 1')
    expect(metrics).toMatch(/modelgate_latency_seconds_count 50/)

    const status = (await (await fetch(`${server.url}/v1/status`)).json()) as Record<string, unknown>
    expect(status).toMatchObject({
      totals: { accepted: 50, refused: { invalid_json: 2, bad_latency_ms: 1 } },
      openWindows: [{ events: 50 }],
    })
  })

  it('writes refused events to the dead letter with PII and free text redacted', async () => {
    await new Promise((r) => setTimeout(r, 100))
    const text = readFileSync(deadLetter, 'utf8')
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(lines.map((l) => l.reason).sort()).toEqual(['bad_latency_ms', 'invalid_json', 'invalid_json'])
    expect(lines.find((l) => l.reason === 'bad_latency_ms')).toMatchObject({
      event: { request_id: 'bad-1', features: { email: '[redacted]', amount: '[redacted]' } },
    })
    expect(text).not.toContain('jane.doe')
    expect(text).not.toContain('not json')
  })

  it('answers 429 while maxInFlight batches are being read', async () => {
    const first = request(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { ...auth, 'transfer-encoding': 'chunked' },
    })
    first.on('error', () => {})
    first.write('[')
    // the first batch is held open; once the server is reading it, a second one is turned away
    let second = await post('[]')
    for (let i = 0; i < 50 && second.status !== 429; i++) {
      await new Promise((r) => setTimeout(r, 100))
      second = await post('[]')
    }
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toBe('1')
    const done = new Promise<number>((resolve) => first.on('response', (res) => resolve(res.statusCode ?? 0)))
    first.end(']')
    expect(await done).toBe(200)
    expect((await post('[]')).status).toBe(200)
  })

  it('serves /healthz, /readyz (503 until ready) and /v1/windows?since=', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503)
    server.setReady(true)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    monitor.flush()
    const all = (await (await fetch(`${server.url}/v1/windows?since=0`)).json()) as {
      windows: { events: number; end: number }[]
    }
    expect(all.windows.map((w) => w.events)).toEqual([50])
    const end = all.windows[0]?.end ?? 0
    const later = (await (await fetch(`${server.url}/v1/windows?since=${new Date(end).toISOString()}`)).json()) as {
      windows: unknown[]
    }
    expect(later.windows).toEqual([])
    expect((await fetch(`${server.url}/v1/windows?since=yesterday`)).status).toBe(400)
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
  })
})
