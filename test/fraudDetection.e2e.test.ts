// The incident of examples/fraud-detection, executable: real servers on loopback (the fraud-scoring service with
// its online feature path, a ModelGate monitor, the deploy system's rollback webhook), the gate through its library.
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Report } from '@modelgate/core'
import { loadConfigFile, readTable } from '@modelgate/core'
import type { GateConfig } from '@modelgate/gate'
import { loadGateConfig, runGate } from '@modelgate/gate'
import type { Alert, MonitorServer } from '@modelgate/monitor'
import { createMonitor, loadBaseline, monitorConfigSchema, startMonitorServer } from '@modelgate/monitor'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeatureStore } from '../examples/fraud-detection/features/features.js'
import { createFeatureHandler } from '../examples/fraud-detection/features/server.js'
import { createEventForwarder, type EventForwarder } from '../examples/fraud-detection/service/createEventForwarder.js'
import { createFraudServer } from '../examples/fraud-detection/service/server.js'

const example = fileURLToPath(new URL('../examples/fraud-detection/', import.meta.url))
const listen = (server: Server): Promise<string> =>
  new Promise((ready) =>
    server.listen(0, '127.0.0.1', () => ready(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  )
const close = (server: Server): Promise<void> =>
  new Promise((done) => {
    server.closeAllConnections()
    server.close(() => done())
  })
const readJsonl = async (file: string): Promise<Record<string, unknown>[]> =>
  (await readFile(join(example, file), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

/** Every raw PII value of the example's data: none may reach a report, an alert or a webhook. */
async function rawPii(): Promise<string[]> {
  const values = new Set<string>()
  for (const file of ['data/reference.jsonl', 'data/candidate.jsonl', 'data/mobile-release.jsonl'])
    for (const row of await readJsonl(file))
      for (const key of ['customer_email', 'device_fingerprint', 'card_number', 'ip_address'])
        if (typeof row[key] === 'string') values.add(row[key] as string)
  return [...values]
}

let ci: Server // the release under test, as CI starts it
let endpoint: string
let production: Server // the same release in production, its inference events forwarded to the monitor
let productionUrl: string
let degraded: Server // a candidate release whose feature code reads the amount in cents
let degradedUrl: string
let rollback: Server
let rollbackUrl: string
const rollbackCalls: { headers: Record<string, unknown>; body: Alert }[] = []
let monitorServer: MonitorServer
let forwarder: EventForwarder
const alerts: Alert[] = []
let monitorClose: () => Promise<void>

beforeAll(async () => {
  rollback = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      rollbackCalls.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Alert })
      res.end('{"rolled_back":true}')
    })
  })
  rollbackUrl = `${await listen(rollback)}/rollback`
  const monitorConfig = await loadConfigFile(join(example, 'monitor.yaml'), monitorConfigSchema)
  const monitor = createMonitor({
    baseline: await loadBaseline(join(example, 'baseline.json'), { source: 'baseline.json' }),
    windowMs: monitorConfig.window ?? 2000,
    latenessMs: monitorConfig.lateness ?? 500,
    rules: monitorConfig.rules ?? [],
    webhooks: [rollbackUrl],
    webhookBackoffMs: 50,
    onAlert: (alert) => alerts.push(alert),
  })
  monitorServer = await startMonitorServer(monitor, { port: 0 })
  monitor.start()
  monitorServer.setReady(true)
  monitorClose = async () => {
    await monitor.close({ flush: false })
    await monitorServer.close()
  }
  forwarder = createEventForwarder(monitorServer.url, { intervalMs: 100 })
  const features = createFeatureHandler({
    store: createFeatureStore(await readTable(join(example, 'data/feature-history.csv'))),
  })
  ci = createFraudServer({ features })
  endpoint = `${await listen(ci)}/predict`
  production = createFraudServer({ features, onFeatureLog: forwarder.add })
  productionUrl = `${await listen(production)}/predict`
  degraded = createFraudServer({ features, degraded: true })
  degradedUrl = `${await listen(degraded)}/predict`
}, 60_000)

afterAll(async () => {
  await forwarder?.close()
  await monitorClose?.()
  if (ci !== undefined) await close(ci)
  if (production !== undefined) await close(production)
  if (degraded !== undefined) await close(degraded)
  if (rollback !== undefined) await close(rollback)
})

/** Sends payloads to the service, `concurrency` at a time; resolves when every answer arrived. */
async function send(rows: readonly Record<string, unknown>[], concurrency = 8): Promise<void> {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < rows.length) {
      const row = rows[next++]
      const res = await fetch(productionUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(row),
      })
      expect(res.status).toBe(200)
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
}

/**
 * The example's gate config, each check's timeout raised to 3 minutes: the example's timeouts suit a CI runner, and
 * a full test run on the shared 2-core machine can slow a check several times over.
 */
async function exampleGate(): Promise<GateConfig> {
  const config = await loadGateConfig(join(example, 'modelgate.yaml'))
  return { ...config, checks: config.checks.map((c) => ({ ...c, timeoutMs: Math.max(c.timeoutMs, 180_000) })) }
}

const failing = (report: Report): string =>
  (report.reports ?? [])
    .flatMap((r) => r.checks)
    .filter((c) => c.verdict === 'fail')
    .map((c) => c.message)
    .join('\n')

describe('the fraud-detection incident', () => {
  let pii: string[]
  beforeAll(async () => {
    pii = await rawPii()
  })

  it('0. the committed baseline and synth model hold no raw PII value', async () => {
    for (const file of ['baseline.json', 'synth-model.json']) {
      const text = await readFile(join(example, file), 'utf8')
      for (const value of pii) expect(text.includes(value), `a raw PII value in ${file}`).toBe(false)
    }
  })

  it('1. the gate passes on the current release: every blocking check passes', async () => {
    const config = await exampleGate()
    const report = await runGate(config, { endpoint, shadowPrimary: productionUrl })
    const blocking = new Set(config.checks.filter((c) => c.blocking).map((c) => c.id))
    for (const check of report.checks)
      if (blocking.has(check.name))
        expect({ check: check.name, verdict: check.verdict }).toEqual({ check: check.name, verdict: 'pass' })
    expect(['pass', 'warn']).toContain(report.verdict)
    expect(report.checks.map((c) => c.name)).toEqual([
      'synth',
      'contracts',
      'expectations',
      'skew',
      'drift',
      'load',
      'shadow',
    ])
    const text = JSON.stringify(report)
    for (const value of pii) expect(text.includes(value), 'a raw PII value in the gate report').toBe(false)
  }, 300_000)

  it('2. the mobile release: the monitor raises the null-rate alert within one window and calls the rollback webhook', async () => {
    // a window of healthy traffic, then the release that sends device_fingerprint: null for 40% of requests
    await send((await readJsonl('data/candidate.jsonl')).slice(0, 400))
    const releasedAt = Date.now()
    const mobile = await readJsonl('data/mobile-release.jsonl')
    expect(mobile.filter((r) => r.device_fingerprint === null).length).toBe(800)
    await send(mobile.slice(0, 600))
    const deadline = Date.now() + 20_000
    while (rollbackCalls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    expect(rollbackCalls.length).toBeGreaterThan(0)
    const call = rollbackCalls[0] as (typeof rollbackCalls)[number]
    expect(call.body).toMatchObject({ rule: 'data-quality', metric: 'quality_failed', value: 1 })
    // the evidence names the null-rate rise of device_fingerprint, and only that
    expect(call.body.evidence.failures).toEqual([
      expect.stringMatching(
        /^device_fingerprint: null rate \d+\.\d% \(reference 1\.0%\) — (up \d+\.\d% points|more than 2× the reference)/,
      ),
    ])
    expect(call.headers['idempotency-key']).toBe(call.body.id)
    // within one window: the alerting window holds release traffic and starts at most one window after the release
    const windowMs = Date.parse(call.body.window.end) - Date.parse(call.body.window.start)
    expect(Date.parse(call.body.window.end)).toBeGreaterThan(releasedAt)
    expect(Date.parse(call.body.window.start)).toBeLessThan(releasedAt + windowMs)
    expect(call.body.evidence.events).toBeGreaterThanOrEqual(30) // the rule's minimum window (monitor.yaml)
    // one alert, delivered once (the Idempotency-Key lets the deploy system drop a retried delivery)
    expect(new Set(rollbackCalls.map((c) => c.body.id)).size).toBe(1)
    expect(rollbackCalls.length).toBe(1)
    expect(alerts.map((a) => a.id)).toContain(call.body.id)
    const text = JSON.stringify(rollbackCalls)
    for (const value of pii) expect(text.includes(value), 'a raw PII value in the webhook').toBe(false)
  }, 60_000)

  it('3. the gate on the new sample fails on drift and the distribution contract, with readable reasons', async () => {
    const config = await exampleGate()
    const report = await runGate(config, {
      endpoint,
      candidate: join(example, 'data/mobile-release.jsonl'),
      only: ['expectations', 'drift'],
    })
    expect(report.verdict).toBe('fail')
    expect(Object.fromEntries(report.checks.map((c) => [c.name, c.verdict]))).toEqual({
      expectations: 'fail',
      drift: 'fail',
    })
    const reasons = failing(report)
    expect(reasons).toMatch(/device_fingerprint null rate 40\.0% > \d\.\d% \(n=2,000\)/)
    expect(reasons).toMatch(/device_fingerprint: null rate 40\.0% \(reference 1\.0%\) — up 39\.0% points/)
    const text = JSON.stringify(report)
    for (const value of pii) expect(text.includes(value), 'a raw PII value in the gate report').toBe(false)
  }, 60_000)

  it('4. the shadow verdict on a degraded candidate is fail, naming the score', async () => {
    const config = await exampleGate()
    const report = await runGate(config, { endpoint: degradedUrl, shadowPrimary: productionUrl, only: ['shadow'] })
    // the canary's own verdict is fail; the example's shadow check is advisory, so it folds into the gate as warn
    const canary = report.reports?.[0]
    expect(canary?.kind).toBe('shadow.canary')
    expect(canary?.summary['verdict before folding']).toBe('fail')
    expect(report.checks[0]?.message).toMatch(/^shadow \(non-blocking, fail folded as warn\)/)
    expect(failing(report)).toMatch(/score: requests that differ|score/)
    const text = JSON.stringify(report)
    for (const value of pii) expect(text.includes(value), 'a raw PII value in the shadow report').toBe(false)
  }, 240_000)
})
