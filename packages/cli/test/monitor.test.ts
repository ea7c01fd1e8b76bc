import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'
import { startListening } from './support/startListening.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-cli-monitor-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Starts `modelgate monitor serve …` in-process; resolves with its URL once it listens. */
const serve = (args: readonly string[]) => startListening(['monitor', 'serve', '--port', '0', ...args], dir)

describe('modelgate monitor serve', () => {
  it('serves events, metrics and windows from the command line, with a config file and a token', async () => {
    writeFileSync(join(dir, 'token'), 'tok-123\n')
    writeFileSync(
      join(dir, 'monitor.yaml'),
      'version: 1\nwindow: 2s\nlateness: 0s\nslo: p99<100ms\nrules:\n  - name: busy\n    metric: events\n    op: ">"\n    threshold: 2\n',
    )
    const m = await serve(['--config', 'monitor.yaml', '--token-file', 'token', '--alerts', 'alerts.jsonl'])
    const now = Date.now()
    const events = [1, 2, 3].map((i) => ({
      request_id: `c${i}`,
      timestamp: now,
      features: { x: i },
      latency_ms: 10 * i,
    }))
    const res = await fetch(`${m.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: 'Bearer tok-123' },
      body: JSON.stringify(events),
    })
    expect(await res.json()).toMatchObject({ accepted: 3 })
    expect((await fetch(`${m.url}/readyz`)).status).toBe(200)
    const status = (await (await fetch(`${m.url}/v1/status`)).json()) as Record<string, unknown>
    expect(status).toMatchObject({ windowMs: 2000, latenessMs: 0, slo: 'p99<100ms', rules: ['slo', 'busy'] })
    expect(await m.stop()).toBe(0)
    // the open window is evaluated on the way out and the rule fires
    expect(m.err()).toContain('alert busy: events 3 > 2')
    expect(m.err()).toContain('no --baseline')
  })

  it('serves at once with --calibrate, calibrates on a worker thread, and caches the result in --state-dir', async () => {
    const { tableFromRows } = await import('@modelgate/core')
    const { buildBaseline } = await import('@modelgate/drift')
    let seed = 3
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const rows = Array.from({ length: 5000 }, () => ({
      x: random() * 10,
      kind: ['a', 'b', 'c'][Math.floor(random() * 3)],
    }))
    writeFileSync(join(dir, 'calibration-baseline.json'), JSON.stringify(buildBaseline(tableFromRows(rows))))
    const args = [
      '--baseline',
      'calibration-baseline.json',
      '--calibrate',
      '--window-events',
      '100',
      '--bootstraps',
      '40',
      '--expected-windows-between-false-alarms',
      '4',
      '--window',
      '1s',
      '--lateness',
      '0s',
      '--state-dir',
      'calibration-state',
    ]
    type Status = {
      calibration: { method: string } | null
      calibrationProgress: { state: string; done: number; total: number; cached: boolean }
    }
    const status = async (url: string) => (await (await fetch(`${url}/v1/status`)).json()) as Status
    const m = await serve(args)
    // serving before the calibration ends: the analytic α applies meanwhile
    expect(m.err()).toContain('thresholds analytic until the bootstrap calibration ends')
    // windows keep closing; the calibrated thresholds apply from the first one after the thread's result came
    let i = 0
    for (;;) {
      const s = await status(m.url)
      if (s.calibration !== null) break
      const events = Array.from({ length: 20 }, () => ({
        request_id: `cal-${i++}`,
        timestamp: Date.now(),
        features: { x: random() * 10, kind: 'a' },
      }))
      await fetch(`${m.url}/v1/events`, { method: 'POST', body: JSON.stringify(events) })
      await new Promise((r) => setTimeout(r, 50))
    }
    const s = await status(m.url)
    expect(s.calibration?.method).toBe('bootstrap')
    expect(s.calibrationProgress).toMatchObject({ state: 'done', done: 40, total: 40, cached: false })
    const metrics = await (await fetch(`${m.url}/metrics`)).text()
    expect(metrics).toMatch(/^modelgate_calibration_progress_ratio 1$/m)
    expect(await m.stop()).toBe(0)
    expect(m.err()).toMatch(/thresholds calibrated by bootstrap \(40 windows of 100 events from the baseline marginals/)
    expect(m.err().match(/thresholds calibrated by bootstrap/g)).toHaveLength(1) // logged once
    // a restart reads the result from the state directory: calibrated from the start, nothing computed
    const again = await serve(args)
    const r = await status(again.url)
    expect(r.calibration?.method).toBe('bootstrap')
    expect(r.calibrationProgress).toMatchObject({ state: 'done', cached: true })
    expect(again.err()).toContain('thresholds calibrated (read from the state directory)')
    expect(await again.stop()).toBe(0)
    const alone = await runCli(['monitor', 'serve', '--window-events', '100'], dir)
    expect(alone.code).toBe(2)
    expect(alone.err).toContain('--calibrate')
  }, 240_000)

  it('refuses a bad option or config with exit 2 and names the problem', async () => {
    const bad = await runCli(['monitor', 'serve', '--window', '60'], dir)
    expect(bad.code).toBe(2)
    expect(bad.err).toContain('--window')
    writeFileSync(
      join(dir, 'bad.yaml'),
      'version: 1\nrules:\n  - name: x\n    metric: events\n    op: ">"\n    threshold: lots\n',
    )
    const config = await runCli(['monitor', 'serve', '--config', 'bad.yaml'], dir)
    expect(config.code).toBe(2)
    expect(config.err).toContain('bad.yaml, line 6, rules[0].threshold')
    const slo = await runCli(['monitor', 'serve', '--slo', 'p99<1OOms'], dir)
    expect(slo.code).toBe(2)
    expect(slo.err).toContain('p99<1OOms')
  })
})

describe('modelgate monitor merge', () => {
  it('merges replicas’ window states into one report; exit 1 when the fleet window fails', async () => {
    const { tableFromRows } = await import('@modelgate/core')
    const { buildBaseline } = await import('@modelgate/drift')
    const { createMonitor, createMonitorMetrics } = await import('@modelgate/monitor')
    let seed = 7
    const random = () => {
      seed = (seed * 16807) % 2147483647
      return seed / 2147483647
    }
    const row = (nulls: number) => ({
      x: random() * 10,
      kind: ['a', 'b', 'c'][Math.floor(random() * 3)],
      tag: random() < nulls ? null : 't',
    })
    const baseline = buildBaseline(tableFromRows(Array.from({ length: 5000 }, () => row(0))))
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(baseline))
    const T0 = Date.UTC(2026, 11, 6)
    for (const [name, nulls] of [
      ['a', 0.5],
      ['b', 0.5],
    ] as const) {
      const m = createMonitor({
        baseline,
        windowMs: 60_000,
        exportDir: join(dir, 'states'),
        replica: name,
        metrics: createMonitorMetrics({ processMetrics: false }),
      })
      m.ingest(
        Array.from({ length: 400 }, (_, i) => ({ request_id: `${name}${i}`, timestamp: T0 + i, features: row(nulls) })),
      )
      m.flush()
      await m.close()
    }
    const files = ['states/window-' + T0 + '-a.json', 'states/window-' + T0 + '-b.json']
    const result = await runCli(['monitor', 'merge', '--baseline', 'baseline.json', ...files, '--json'], dir)
    expect(result.code).toBe(1)
    const report = JSON.parse(result.out) as {
      verdict: string
      reports: { summary: { events: number; replicas: number } }[]
    }
    expect(report.verdict).toBe('fail')
    expect(report.reports[0]?.summary).toEqual({ events: 800, replicas: 2 })
    const missing = await runCli(['monitor', 'merge', '--baseline', 'baseline.json'], dir)
    expect(missing.code).toBe(2)
  })
})
