// Scale-out over NATS JetStream: two `modelgate monitor serve` replicas (the built CLI, child processes) share one
// durable consumer, each exports its window state, and `modelgate monitor merge` gives the fleet verdict — the verdict
// one process gives on the same events, within the sketches' stated error (a merged KLL sketch is not bit-identical).
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMonitor, createMonitorMetrics } from '@modelgate/monitor'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { afterAll, describe, expect, it } from 'vitest'
import { seeded } from './support/events.js'
import { fraudBaseline, fraudEvent } from './support/fraudEvents.js'
import { modelgateBin, serveMonitor, until } from './support/serveCli.js'
import { startNats } from './support/servers.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-nats-fleet-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

interface Check {
  readonly id: string
  readonly verdict: string
  readonly metrics?: Readonly<Record<string, number>>
  readonly details?: { readonly method?: string }
}
interface MergeReport {
  readonly verdict: string
  readonly reports: readonly {
    readonly verdict: string
    readonly summary: Record<string, number>
    readonly checks: readonly Check[]
  }[]
}

/** `modelgate monitor merge --baseline … <files> --json`: its exit code and JSON report. */
function merge(files: readonly string[]): Promise<{ code: number | null; report: MergeReport }> {
  const child = spawn(
    process.execPath,
    [modelgateBin, 'monitor', 'merge', '--baseline', 'baseline.json', ...files, '--json'],
    { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let out = ''
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ code, report: JSON.parse(out) as MergeReport })),
  )
}

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)

describe('scale-out over a real NATS JetStream durable consumer', () => {
  it('merges two CLI replicas into the verdict one process gives on the same events', {
    timeout: 240_000,
  }, async () => {
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(fraudBaseline()))
    const random = seeded(71)
    const events = Array.from({ length: 3000 }, (_, i) => {
      const e = fraudEvent(random, `f${i}`, T0 + i, { nullDevice: 0.3 })
      const f = e.features as Record<string, number | undefined>
      f.z_1 = (f.z_1 as number) + 0.5 // a half-sigma shift
      return e
    })
    const nats = await startNats()
    const nc = await connect({ servers: nats.url })
    try {
      const replicas = await Promise.all(
        ['replica-a', 'replica-b'].map((name) =>
          serveMonitor(
            [
              ...['--baseline', 'baseline.json', '--window', '1h', '--source', `${nats.url}?stream=fleet`],
              ...['--export-dir', 'windows', '--replica', name],
            ],
            dir,
          ),
        ),
      )
      const js = jetstream(nc)
      const jsm = await jetstreamManager(nc)
      for (let i = 0; i < events.length; i += 100) {
        await Promise.all(events.slice(i, i + 100).map((e) => js.publish('fleet.inference', JSON.stringify(e))))
      }
      const accepted = async () =>
        Promise.all(
          replicas.map(
            async (r) =>
              ((await (await fetch(`${r.url}/v1/status`)).json()) as { totals: { accepted: number } }).totals.accepted,
          ),
        )
      await until(async () => (await accepted()).reduce((a, b) => a + b, 0) === events.length, 'every event counted')
      const shares = await accepted()
      // the windows are evaluated and exported on shutdown
      for (const r of replicas) r.child.kill('SIGTERM')
      expect(await Promise.all(replicas.map((r) => r.exited))).toEqual([0, 0])
      expect(Math.min(...shares)).toBeGreaterThan(0) // both replicas took part
      expect((await jsm.consumers.info('fleet', 'modelgate-monitor')).num_pending).toBe(0)

      const files = readdirSync(join(dir, 'windows')).map((f) => `windows/${f}`)
      expect(files).toHaveLength(2)
      const fleet = await merge(files)

      // one process on the same events, its window state merged alone
      const single = createMonitor({
        baseline: fraudBaseline(),
        windowMs: 3_600_000,
        metrics: createMonitorMetrics({ processMetrics: false }),
        exportDir: join(dir, 'single'),
        replica: 'single',
      })
      single.ingest(events)
      single.flush()
      await single.close()
      const one = await merge(readdirSync(join(dir, 'single')).map((f) => `single/${f}`))

      expect(fleet.report.reports[0]?.summary).toEqual({ events: 3000, replicas: 2 })
      expect(one.report.reports[0]?.summary).toEqual({ events: 3000, replicas: 1 })
      expect(fleet.report.verdict).toBe('fail') // z_1 drifted, device_fingerprint 30% null
      expect(fleet.report.verdict).toBe(one.report.verdict)
      expect(fleet.code).toBe(one.code)
      const fleetChecks = fleet.report.reports[0]?.checks ?? []
      const oneChecks = one.report.reports[0]?.checks ?? []
      expect(fleetChecks.map((c) => c.id)).toEqual(oneChecks.map((c) => c.id))
      for (const c of oneChecks) {
        const g = fleetChecks.find((x) => x.id === c.id)
        expect(g?.verdict, c.id).toBe(c.verdict)
        const [a, b] = [g?.metrics?.statistic, c.metrics?.statistic]
        if (a === undefined || b === undefined) continue
        // counts on the baseline's bins and categories add exactly; a merged KLL sketch agrees within twice its
        // stated rank error (0.25%)
        expect(Math.abs(a - b), c.id).toBeLessThanOrEqual(c.details?.method === 'ks' ? 2 * 0.0025 + 1e-9 : 1e-9)
      }
      expect(fleetChecks.find((c) => c.id === 'drift.column.z_1')?.verdict).toBe('fail')
    } finally {
      await nc.close()
      await nats.stop()
    }
  })
})
