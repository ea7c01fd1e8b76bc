import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseSlo } from '@modelgate/core'
import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { afterAll, describe, expect, it } from 'vitest'
import { makeEvent, seeded, startReceiver, waitFor } from './support/events.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)
const quiet = () => createMonitorMetrics({ processMetrics: false })

describe('createMonitor windows (event time)', () => {
  it('puts events in tumbling event-time windows and closes a window once the watermark passes its end', () => {
    let wall = T0
    const monitor = createMonitor({ windowMs: 2000, latenessMs: 500, now: () => wall, metrics: quiet() })
    const random = seeded(1)
    const batch = Array.from({ length: 10 }, (_, i) =>
      makeEvent(random, { id: `a${i}`, time: T0 + i * 100, latency: 10 + i }),
    )
    expect(monitor.ingest(batch)).toMatchObject({ accepted: 10, refused: 0 })
    expect(monitor.tick()).toEqual([])
    // watermark = latest event time (T0+900, seen at wall T0) + wall time since − lateness (500)
    wall = T0 + 1500 // watermark T0+1900: the window [T0, T0+2000) stays open
    expect(monitor.tick()).toEqual([])
    wall = T0 + 1700 // watermark T0+2100
    const closed = monitor.tick()
    expect(closed).toHaveLength(1)
    expect(closed[0]).toMatchObject({ start: T0, end: T0 + 2000, events: 10, lateEvents: 0, verdict: 'pass' })
    expect(closed[0]?.latency).toMatchObject({ count: 10 })
    expect(closed[0]?.latency?.p50).toBeCloseTo(14, 1)
  })

  it('counts late events (behind a closed window) and duplicates, and reports them with the next window', () => {
    let wall = T0
    const dead = join(dir, 'late.jsonl')
    const monitor = createMonitor({
      windowMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics: quiet(),
      deadLetterPath: dead,
    })
    const random = seeded(2)
    monitor.ingest([makeEvent(random, { id: 'x1', time: T0 + 10 })])
    wall = T0 + 1000
    expect(monitor.tick()).toHaveLength(1)
    const r = monitor.ingest([
      makeEvent(random, { id: 'x2', time: T0 + 500 }), // its window is closed: late
      makeEvent(random, { id: 'x3', time: T0 + 1500 }),
      makeEvent(random, { id: 'x3', time: T0 + 1500 }), // redelivered
    ])
    expect(r).toMatchObject({ accepted: 1, late: 1, duplicates: 1 })
    const [w] = monitor.flush()
    expect(w).toMatchObject({ start: T0 + 1000, events: 1, lateEvents: 1, duplicates: 1 })
    expect(monitor.status().totals).toMatchObject({ accepted: 2, late: 1, duplicates: 1 })
  })

  it('emits empty windows for a gap in traffic, so a rule on `events` sees it', () => {
    let wall = T0
    const monitor = createMonitor({
      windowMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics: quiet(),
      rules: [{ name: 'silence', metric: 'events', op: '<', threshold: 1, for: 2 }],
    })
    const random = seeded(3)
    monitor.ingest([makeEvent(random, { id: 'g1', time: T0 })])
    wall = T0 + 4000
    const closed = monitor.tick()
    expect(closed.map((w) => w.events)).toEqual([1, 0, 0, 0])
    expect(closed.map((w) => w.verdict)).toEqual(['pass', 'inconclusive', 'inconclusive', 'inconclusive'])
    // no cool-down: the rule fires on every window while the condition holds for 2 windows
    expect(closed.map((w) => w.alerts)).toEqual([[], [], ['silence'], ['silence']])
  })

  it('judges the SLO per window on the HDR histogram and fires the default SLO rule once, then cools down', async () => {
    const wall = T0
    const receiver = await startReceiver({ failFirst: 2 })
    const alerts = join(dir, 'alerts.jsonl')
    const monitor = createMonitor({
      windowMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics: quiet(),
      slo: parseSlo('p99<100ms'),
      webhooks: [receiver.url],
      webhookBackoffMs: 20,
      alertsPath: alerts,
    })
    const random = seeded(4)
    for (let s = 0; s < 3; s++) {
      const slow = s > 0
      monitor.ingest(
        Array.from({ length: 200 }, (_, i) =>
          makeEvent(random, { id: `s${s}-${i}`, time: T0 + s * 1000 + i, latency: slow && i % 10 === 0 ? 250 : 20 }),
        ),
      )
    }
    const closed = monitor.flush()
    expect(closed.map((w) => w.slo?.verdict)).toEqual(['pass', 'fail', 'fail'])
    expect(closed[1]?.slo?.observed).toBeCloseTo(250, 0)
    // fires on the first failing window, then the 5-minute cool-down holds the second
    expect(closed.map((w) => w.alerts)).toEqual([[], ['slo'], []])
    await waitFor(() => receiver.calls.some((c) => c.status === 200))
    await monitor.close()
    await receiver.close()
    // two 503s, then delivered: three attempts with one idempotency key
    expect(receiver.calls.map((c) => c.status)).toEqual([503, 503, 200])
    const keys = new Set(receiver.calls.map((c) => c.headers['idempotency-key']))
    expect(keys.size).toBe(1)
    expect(receiver.calls[2]?.body).toMatchObject({ rule: 'slo', metric: 'slo_violated', value: 1 })
    const lines = readFileSync(alerts, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({
      rule: 'slo',
      window: { start: new Date(T0 + 1000).toISOString() },
    })
  })

  it('gives up after the retries and counts the failed delivery', async () => {
    const receiver = await startReceiver({ failFirst: 100 })
    let wall = T0
    const metrics = quiet()
    const monitor = createMonitor({
      windowMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics,
      rules: [{ name: 'any', metric: 'events', op: '>', threshold: 0, for: 1, webhooks: [receiver.url] }],
      webhookBackoffMs: 5,
    })
    monitor.ingest([makeEvent(seeded(5), { id: 'w1', time: T0 })])
    wall = T0 + 1000
    monitor.tick()
    await monitor.close()
    await receiver.close()
    expect(receiver.calls).toHaveLength(6) // 1 + 5 retries
    expect(await metrics.registry.getSingleMetricAsString('modelgate_webhook_deliveries_total')).toContain(
      'modelgate_webhook_deliveries_total{result="failed"} 1',
    )
  })
})

describe('the late-label join', () => {
  it('joins labels to their inference, gives the realized ROC AUC, and counts unmatched labels and evictions', () => {
    let wall = T0
    const metrics = quiet()
    const monitor = createMonitor({
      windowMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics,
      labelBufferSize: 150,
      positiveLabel: 'fraud',
      rules: [{ name: 'auc', metric: 'realized_roc_auc', op: '<', threshold: 0.9, for: 1 }],
    })
    const random = seeded(9)
    const events = Array.from({ length: 200 }, (_, i) => makeEvent(random, { id: `l${i}`, time: T0 + i }))
    monitor.ingest(events) // the first 50 are evicted from the 150-slot buffer
    const score = (e: Record<string, unknown>) => (e.prediction as { score: number }).score
    // labels: the score ranks them perfectly for l100..l199, backwards for l50..l99
    const labels = events.slice(50).map((e, i) => ({
      request_id: e.request_id,
      label: score(e) > 0.5 === i >= 50 ? 'fraud' : 'legit',
    }))
    expect(
      monitor.ingest([...labels, { request_id: 'nope', label: 'fraud' }, { request_id: 'l0', label: 'fraud' }]),
    ).toMatchObject({ labels: 152 })
    wall = T0 + 1000
    const [w] = monitor.tick()
    expect(w?.labels).toMatchObject({ joined: 150, unmatched: 2, evicted: 50 })
    expect(w?.labels?.realizedRocAuc).toBeGreaterThan(0.3)
    expect(w?.labels?.realizedRocAuc).toBeLessThan(0.8)
    expect(w?.alerts).toEqual(['auc'])
  })
})

describe('sliding windows', () => {
  it('evaluates a window of 3 hops every hop, over the merged hop states', () => {
    let wall = T0
    const monitor = createMonitor({
      windowMs: 3000,
      hopMs: 1000,
      latenessMs: 0,
      now: () => wall,
      metrics: quiet(),
      slo: parseSlo('p50<100ms'),
    })
    const random = seeded(10)
    const latencies = [10, 300, 300, 10, 10]
    latencies.forEach((latency, h) => {
      wall = T0 + h * 1000 + 999
      monitor.ingest(
        Array.from({ length: 100 + h }, (_, i) =>
          makeEvent(random, { id: `h${h}-${i}`, time: T0 + h * 1000 + i, latency }),
        ),
      )
    })
    wall = T0 + 6000 // watermark T0+5,105
    const closed = monitor.tick()
    expect(closed.map((w) => [w.start - T0, w.end - T0, w.events])).toEqual([
      [0, 1000, 100],
      [0, 2000, 201],
      [0, 3000, 303],
      [1000, 4000, 306],
      [2000, 5000, 309],
    ])
    // the median of the span: 300 ms while most of its events are slow (hops 1 and 2), 10 ms before and after
    expect(closed.map((w) => w.slo?.verdict)).toEqual(['pass', 'fail', 'fail', 'fail', 'pass'])
    expect(monitor.status()).toMatchObject({ windowMs: 3000, hopMs: 1000 })
    expect(() => createMonitor({ windowMs: 3000, hopMs: 2000, metrics: quiet() })).toThrow(/whole multiple/)
  })
})
