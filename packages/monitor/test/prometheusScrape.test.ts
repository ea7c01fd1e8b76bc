// A real Prometheus (Debian's) scrapes the monitor's /metrics; a PromQL query reads the gauges back.
import type { Monitor, MonitorServer } from '@modelgate/monitor'
import { createMonitor, createMonitorMetrics, startMonitorServer } from '@modelgate/monitor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seeded } from './support/events.js'
import { fraudBaseline, fraudEvent } from './support/fraudEvents.js'
import type { RunningServer } from './support/servers.js'
import { startPrometheus } from './support/servers.js'

let monitor: Monitor
let server: MonitorServer
let prometheus: RunningServer
beforeAll(async () => {
  monitor = createMonitor({ baseline: fraudBaseline(), windowMs: 1000, latenessMs: 0, metrics: createMonitorMetrics() })
  server = await startMonitorServer(monitor, { port: 0 })
  prometheus = await startPrometheus([`127.0.0.1:${server.port}`])
}, 60_000)
afterAll(async () => {
  await prometheus?.stop()
  await server?.close()
  await monitor?.close()
})

async function query(promql: string): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const res = await fetch(`${prometheus.url}/api/v1/query?query=${encodeURIComponent(promql)}`)
  const body = (await res.json()) as {
    status: string
    data: { result: { metric: Record<string, string>; value: [number, string] }[] }
  }
  expect(body.status).toBe('success')
  return body.data.result
}

describe('Prometheus scrapes the monitor', () => {
  it('answers PromQL on the monitor metrics', async () => {
    const random = seeded(21)
    const t = Math.floor(Date.now() / 1000) * 1000 - 5000
    monitor.ingest(
      Array.from({ length: 40 }, (_, i) => ({ ...fraudEvent(random, `p${i}`, t + (i % 2) * 10), latency_ms: 20 + i })),
    )
    monitor.ingest([{ request_id: 'bad', timestamp: t, features: 'nope' }])
    monitor.flush()
    let accepted: Awaited<ReturnType<typeof query>> = []
    const until = Date.now() + 30_000
    while (Date.now() < until) {
      accepted = await query('sum by (result) (modelgate_events_total)')
      if (accepted.some((r) => r.metric.result === 'accepted' && r.value[1] === '40')) break
      await new Promise((r) => setTimeout(r, 250))
    }
    expect(accepted.find((r) => r.metric.result === 'accepted')?.value[1]).toBe('40')
    const bad = await query('modelgate_bad_events_total{reason="bad_features"}')
    expect(bad[0]?.value[1]).toBe('1')
    const windowEvents = await query('modelgate_window_events')
    expect(windowEvents[0]?.value[1]).toBe('40')
    // the drift gauge: one series per feature and method, the feature's NAME as label (never a value)
    const drift = await query('modelgate_feature_drift_score{feature="amount"}')
    expect(drift[0]?.metric).toMatchObject({ feature: 'amount', method: 'ks', job: 'modelgate-monitor' })
    expect(Number(drift[0]?.value[1])).toBeGreaterThan(0)
    const nulls = await query('modelgate_feature_null_ratio{feature="device_fingerprint"}')
    expect(nulls[0]?.value[1]).toBe('0')
    const p99 = await query('histogram_quantile(0.99, sum by (le) (modelgate_latency_seconds_bucket))')
    expect(Number(p99[0]?.value[1])).toBeGreaterThan(0.025)
    expect(Number(p99[0]?.value[1])).toBeLessThanOrEqual(0.1)
  })
})
