// Scale-out: two replicas share one Redis consumer group; their exported window states merge into the fleet verdict,
// which equals one process's verdict on the same events within the sketches' stated error.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  createMonitor,
  createMonitorMetrics,
  createRedisSource,
  mergeWindowStates,
  sourceSink,
} from '@modelgate/monitor'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seeded, waitFor } from './support/events.js'
import { fraudBaseline, fraudEvent } from './support/fraudEvents.js'
import type { RunningServer } from './support/servers.js'
import { startRedis } from './support/servers.js'

let redis: RunningServer
const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-merge-'))
beforeAll(async () => {
  redis = await startRedis()
})
afterAll(async () => {
  await redis.stop()
  rmSync(dir, { recursive: true, force: true })
})

const T0 = Date.UTC(2026, 11, 6, 10, 0, 0)
const quiet = () => createMonitorMetrics({ processMetrics: false })

describe('mergeWindowStates (scale-out over a real Redis consumer group)', () => {
  it('merges two replicas into the verdict one process gives on the same events', async () => {
    const random = seeded(31)
    const events = Array.from({ length: 3000 }, (_, i) => {
      const e = fraudEvent(random, `m${i}`, T0 + (i % 1000), { nullDevice: 0.3 })
      const f = e.features as Record<string, number | undefined>
      f.z_1 = (f.z_1 as number) + 0.5 // a half-sigma shift
      return e
    })
    const exportDir = join(dir, 'windows')
    const replicas = ['replica-a', 'replica-b'].map((name) => {
      const monitor = createMonitor({
        baseline: fraudBaseline(),
        windowMs: 60_000,
        metrics: quiet(),
        exportDir,
        replica: name,
      })
      const source = createRedisSource({ url: redis.url, stream: 'fleet', consumer: name, count: 50, blockMs: 50 })
      return { monitor, source }
    })
    for (const r of replicas) await r.source.start(sourceSink(r.monitor))
    const client = new Redis(redis.url)
    for (let i = 0; i < events.length; i += 100) {
      const p = client.pipeline()
      for (const e of events.slice(i, i + 100)) p.xadd('fleet', '*', 'event', JSON.stringify(e))
      await p.exec()
      await new Promise((r) => setTimeout(r, 5))
    }
    client.disconnect()
    await waitFor(() => replicas.reduce((a, r) => a + r.monitor.accepted, 0) === 3000)
    for (const r of replicas) {
      await r.source.stop()
      r.monitor.flush()
      await r.monitor.close()
    }
    const shares = replicas.map((r) => r.monitor.accepted)
    expect(Math.min(...shares)).toBeGreaterThan(0) // both replicas took part

    const files = readdirSync(exportDir).sort()
    expect(files).toHaveLength(2)
    const merged = mergeWindowStates(
      fraudBaseline(),
      files.map((f) => JSON.parse(readFileSync(join(exportDir, f), 'utf8'))),
      { sources: files },
    )
    const single = createMonitor({ baseline: fraudBaseline(), windowMs: 60_000, metrics: quiet() })
    single.ingest(events)
    const [one] = single.flush()
    const [fleet] = merged.windows
    expect(fleet?.events).toBe(3000)
    expect([...(fleet?.replicas ?? [])].sort()).toEqual(['replica-a', 'replica-b'])
    expect(fleet?.verdict).toBe(one?.verdict)
    expect(fleet?.drift?.nullRatio).toEqual(one?.drift?.nullRatio) // counts add exactly
    expect(fleet?.drift?.quality.map((q) => [q.signal, q.feature, q.verdict])).toEqual(
      one?.drift?.quality.map((q) => [q.signal, q.feature, q.verdict]),
    )
    for (const f of one?.drift?.features ?? []) {
      const g = fleet?.drift?.features.find((x) => x.feature === f.feature)
      expect(g?.drifted, f.feature).toBe(f.drifted)
      // a merged KLL sketch is not bit-identical: the KS statistic agrees within twice the stated rank error
      expect(Math.abs((g?.statistic ?? 0) - (f.statistic ?? 0)), f.feature).toBeLessThanOrEqual(2 * 0.0025 + 1e-9)
    }
    expect(fleet?.drift?.features.find((f) => f.feature === 'z_1')?.drifted).toBe(true)
    expect(merged.report.verdict).toBe('fail')
    expect(merged.report.reports).toHaveLength(1)
  })
})
