import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMonitor, createMonitorMetrics, startMonitorServer } from '@modelgate/monitor'
import { afterAll, describe, expect, it } from 'vitest'
import { seeded, startReceiver, waitFor } from './support/events.js'
import { fraudBaseline, fraudEvent } from './support/fraudEvents.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-drift-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)
const quiet = () => createMonitorMetrics({ processMetrics: false })

describe('drift on every window (the drift engine’s window state)', () => {
  it('catches device_fingerprint going 40% null in the window it happens, names it, and calls the webhook', async () => {
    const receiver = await startReceiver()
    let wall = T0
    const metrics = quiet()
    const monitor = createMonitor({
      baseline: fraudBaseline(),
      windowMs: 2000,
      latenessMs: 500,
      now: () => wall,
      metrics,
      webhooks: [receiver.url],
      webhookBackoffMs: 20,
    })
    const server = await startMonitorServer(monitor, { port: 0 })
    const random = seeded(2)
    // two clean windows, then the release that stops sending device_fingerprint for 40% of requests
    for (let w = 0; w < 3; w++) {
      wall = T0 + w * 2000 + 1999 // live traffic: events arrive as they happen
      const batch = Array.from({ length: 1000 }, (_, i) =>
        fraudEvent(random, `w${w}-${i}`, T0 + w * 2000 + i, { nullDevice: w === 2 ? 0.4 : 0 }),
      )
      const res = await fetch(`${server.url}/v1/events`, { method: 'POST', body: JSON.stringify(batch) })
      expect(((await res.json()) as { accepted: number }).accepted).toBe(1000)
    }
    // watermark = latest event time (T0+4999) + wall time since it arrived (2001) − lateness (500) = T0+6500
    wall = T0 + 8000
    const closed = monitor.tick()
    expect(closed.map((w) => w.events)).toEqual([1000, 1000, 1000])
    expect(closed.map((w) => w.alerts)).toEqual([[], [], ['data-quality']])
    const bad = closed[2]
    expect(bad?.drift?.nullRatio.device_fingerprint).toBeGreaterThan(0.35)
    expect(bad?.drift?.quality.find((q) => q.signal === 'null_rate' && q.verdict === 'fail')?.feature).toBe(
      'device_fingerprint',
    )
    await waitFor(() => receiver.calls.length === 1)
    expect(receiver.calls[0]?.body).toMatchObject({ rule: 'data-quality', evidence: { verdict: 'fail', events: 1000 } })
    expect(JSON.stringify(receiver.calls[0]?.body)).toContain('device_fingerprint')

    const text = await (await fetch(`${server.url}/metrics`)).text()
    expect(text).toMatch(/modelgate_feature_null_ratio\{feature="device_fingerprint"\} 0\.[34]\d*/)
    expect(text).toMatch(/modelgate_feature_drift_score\{feature="amount",method="ks"\} \d/)
    // no feature value is ever a label
    for (const value of ['dev-1"', 'FR"', 'grocery"', 'web"']) expect(text).not.toContain(value)
    await server.close()
    await monitor.close()
    await receiver.close()
  })

  it('raises no alert over 30 undrifted windows of 1,000 events with the default rules over 20 features', () => {
    let wall = T0
    const monitor = createMonitor({
      baseline: fraudBaseline(),
      windowMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics: quiet(),
    })
    const random = seeded(3)
    for (let w = 0; w < 30; w++) {
      wall = T0 + w * 1000 + 999
      monitor.ingest(Array.from({ length: 1000 }, (_, i) => fraudEvent(random, `q${w}-${i}`, T0 + w * 1000 + i / 2)))
    }
    wall = T0 + 30_600 // watermark T0+30,100: the 30th window closes, no empty 31st
    const closed = monitor.tick()
    expect(closed).toHaveLength(30)
    expect(closed.flatMap((w) => w.alerts)).toEqual([])
    // every feature but device_fingerprint (a device identifier: PII, only its null rate is kept) and the score
    const tested = fraudBaseline().columns.filter((c) => c.kind !== 'pii').length
    expect(tested).toBe(20)
    expect(closed.every((w) => w.drift?.features.length === tested)).toBe(true)
    expect(Math.max(...closed.map((w) => w.evaluationMs))).toBeLessThan(5000) // a sanity bound, not a timing test
  })

  it('checkpoints a window’s drift state and resumes it with the same verdict', () => {
    let wall = T0
    const make = (restore?: ReturnType<ReturnType<typeof createMonitor>['snapshot']>) =>
      createMonitor({
        baseline: fraudBaseline(),
        windowMs: 1000,
        latenessMs: 0,
        now: () => wall,
        metrics: quiet(),
        ...(restore === undefined ? {} : { restore }),
      })
    const a = make()
    const random = seeded(4)
    const events = Array.from({ length: 600 }, (_, i) => fraudEvent(random, `s${i}`, T0 + i, { nullDevice: 0.3 }))
    a.ingest(events.slice(0, 300))
    const b = make(JSON.parse(JSON.stringify(a.snapshot())))
    a.ingest(events.slice(300))
    b.ingest(events.slice(300))
    b.ingest(events.slice(0, 10)) // redelivered: dropped by request id
    wall = T0 + 1000
    const [wa] = a.tick()
    const [wb] = b.tick()
    expect(wb?.events).toBe(600)
    expect(wb?.duplicates).toBe(10)
    expect(wb?.drift?.nullRatio).toEqual(wa?.drift?.nullRatio)
    expect(wb?.drift?.features).toEqual(wa?.drift?.features)
  })

  it('keeps PII and rare values out of the dead letter', async () => {
    const dead = join(dir, 'dead.jsonl')
    const monitor = createMonitor({ baseline: fraudBaseline(), metrics: quiet(), deadLetterPath: dead })
    monitor.ingest([
      {
        request_id: 'p1',
        timestamp: 'not a time',
        features: { country: 'FR', merchant_category: 'zz-rare-shop-991', email: 'jane.roe@example.com', amount: 12 },
      },
    ])
    await monitor.close()
    const text = readFileSync(dead, 'utf8')
    expect(JSON.parse(text)).toMatchObject({
      reason: 'bad_timestamp',
      event: { features: { country: 'FR', merchant_category: '[redacted]', email: '[redacted]', amount: 12 } },
    })
    expect(text).not.toContain('jane.roe')
    expect(text).not.toContain('zz-rare-shop')
  })
})
