// The `--durable` HTTP path across crashes, in-process: a crash is the state directory's bytes at one instant (copied),
// and a restart is a new service on the copy.
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MonitorService } from '@modelgate/monitor'
import { createMonitorMetrics, startMonitorService } from '@modelgate/monitor'
import { afterAll, describe, expect, it } from 'vitest'
import { makeEvent, seeded } from './support/events.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-service-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const T0 = Date.now()
const random = seeded(41)
const start = (stateDir: string): Promise<MonitorService> =>
  startMonitorService({
    windowMs: 3_600_000,
    metrics: createMonitorMetrics({ processMetrics: false }),
    stateDir,
    durable: true,
    checkpointMs: 3_600_000, // no checkpoint but the ones the test causes (start, stop)
    server: { port: 0 },
  })

/** A JSONL batch: 40 good events, 5 without a request id, one line that is not JSON, 2 repeated request ids. */
function batch(prefix: string): string {
  const good = Array.from({ length: 40 }, (_, i) => makeEvent(random, { id: `${prefix}${i}`, time: T0 + i }))
  const bad = Array.from({ length: 5 }, (_, i) => ({ timestamp: T0 + i, features: { amount: 1 } }))
  const lines = [...good, ...bad, good[0], good[1]].map((e) => JSON.stringify(e))
  lines.splice(10, 0, '{not json')
  return `${lines.join('\n')}\n`
}
async function post(service: MonitorService, body: string) {
  const res = await fetch(`${service.url}/v1/events`, { method: 'POST', body })
  expect(res.status).toBe(200)
  return res.json()
}
const totals = (service: MonitorService) => {
  const t = service.monitor.status().totals
  return { accepted: t.accepted, refused: t.refused, duplicates: t.duplicates }
}

describe('startMonitorService --durable (write-ahead log replay)', () => {
  it('counts a batch once when a crash leaves write-ahead log segments its checkpoint already holds', async () => {
    const stateDir = join(dir, 'a')
    const first = await start(stateDir)
    expect(await post(first, batch('a'))).toEqual({ accepted: 40, refused: 6, late: 0, duplicates: 2, labels: 0 })
    const once = { accepted: 40, refused: { missing_request_id: 5, invalid_json: 1 }, duplicates: 2 }
    expect(totals(first)).toEqual(once)
    const segments = join(dir, 'a-segments')
    cpSync(join(stateDir, 'wal'), segments, { recursive: true })
    // stop: the last checkpoint holds the batch, then the segments it holds are deleted …
    await first.stop()
    expect(readdirSync(join(stateDir, 'wal')).some((f) => readdirSync(segments).includes(f))).toBe(false)
    // … a crash between the two leaves them on disk
    cpSync(segments, join(stateDir, 'wal'), { recursive: true })
    const second = await start(stateDir)
    expect(totals(second)).toEqual(once)
    expect(second.resumed).toBe(true)
    expect(second.replayed).toBe(0)
    await second.stop()
  })

  it('replays a batch the checkpoint does not hold exactly once, with its refused and duplicate events', async () => {
    const stateDir = join(dir, 'b')
    const first = await start(stateDir)
    await post(first, batch('b'))
    await first.stop() // checkpoint: the first batch
    const second = await start(stateDir)
    await post(second, batch('c')) // on disk in the write-ahead log only
    const crash = join(dir, 'b-crash')
    cpSync(stateDir, crash, { recursive: true }) // kill -9 here
    await second.stop()
    const third = await start(crash)
    expect(third.replayed).toBe(1)
    expect(totals(third)).toEqual({
      accepted: 80,
      refused: { missing_request_id: 10, invalid_json: 2 },
      duplicates: 4,
    })
    // and once more: the checkpoint written after the replay holds it, nothing is replayed twice
    await third.stop()
    const fourth = await start(crash)
    expect(fourth.replayed).toBe(0)
    expect(totals(fourth).accepted).toBe(80)
    expect(totals(fourth).refused).toEqual({ missing_request_id: 10, invalid_json: 2 })
    await fourth.stop()
  })
})
