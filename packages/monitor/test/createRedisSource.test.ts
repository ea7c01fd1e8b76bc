import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomic } from '@modelgate/core'
import type { Monitor, SourceBatch, StreamPosition } from '@modelgate/monitor'
import {
  createCheckpointer,
  createMonitor,
  createMonitorMetrics,
  createRedisSource,
  readCheckpoint,
  sourceSink,
} from '@modelgate/monitor'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEvent, seeded, waitFor } from './support/events.js'
import type { RunningServer } from './support/servers.js'
import { startRedis } from './support/servers.js'

let redis: RunningServer
let client: Redis
const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-redis-'))
beforeAll(async () => {
  redis = await startRedis()
  client = new Redis(redis.url)
})
afterAll(async () => {
  client.disconnect()
  await redis.stop()
  rmSync(dir, { recursive: true, force: true })
})

const T0 = Date.now()
const random = seeded(11)
async function add(stream: string, from: number, n: number): Promise<void> {
  const pipeline = client.pipeline()
  for (let i = from; i < from + n; i++) {
    pipeline.xadd(stream, '*', 'event', JSON.stringify(makeEvent(random, { id: `r${i}`, time: T0 + i, latency: 3 })))
  }
  await pipeline.exec()
}
const pending = async (stream: string) => ((await client.xpending(stream, 'modelgate-monitor')) as [number])[0]

function newMonitor(restore?: Awaited<ReturnType<typeof readCheckpoint>>): Monitor {
  return createMonitor({
    windowMs: 3_600_000,
    metrics: createMonitorMetrics({ processMetrics: false }),
    ...(restore === undefined ? {} : { restore }),
  })
}

describe('createRedisSource (real redis-server on loopback)', () => {
  it('acknowledges entries only after the checkpoint that holds them, and a restart neither loses nor double-counts', async () => {
    const stream = 'events-ack'
    await add(stream, 0, 100)
    await client.xadd(stream, '*', 'event', '{broken')
    const stateDir = join(dir, 'state')
    const m1 = newMonitor()
    const c1 = createCheckpointer(m1, { stateDir })
    const s1 = createRedisSource({ url: redis.url, stream, consumer: 'replica-a', blockMs: 100 })
    await s1.start(sourceSink(m1, c1))
    await waitFor(() => m1.accepted === 100)
    expect(m1.status().totals.refused).toEqual({ invalid_json: 1 })
    expect(await pending(stream)).toBe(101) // read, not yet acknowledged
    await c1.checkpoint()
    expect(await pending(stream)).toBe(0)

    // 50 more (and one without a request id) are read into memory, then the process "crashes" before its next checkpoint
    await add(stream, 100, 50)
    await client.xadd(stream, '*', 'event', JSON.stringify({ timestamp: T0, features: {} }))
    await waitFor(() => m1.accepted === 150 && m1.status().totals.refused.missing_request_id === 1)
    await s1.stop()
    expect(await pending(stream)).toBe(51)

    // restart from the checkpoint: the 51 unacknowledged entries are redelivered to the same consumer
    const m2 = newMonitor(await readCheckpoint(stateDir))
    expect(m2.accepted).toBe(100)
    const c2 = createCheckpointer(m2, { stateDir })
    const s2 = createRedisSource({ url: redis.url, stream, consumer: 'replica-a', blockMs: 100 })
    await s2.start(sourceSink(m2, c2))
    await waitFor(() => m2.accepted === 150)
    const refusedOnce = { invalid_json: 1, missing_request_id: 1 }
    expect(m2.status().totals.refused).toEqual(refusedOnce)
    // crash after writing the checkpoint (with the source's position: the entries it holds, not acknowledged) but
    // before acknowledging: the entries come again, and are acknowledged without being counted again — the refused
    // one too, which has no request id to recognise it by
    await writeFileAtomic(
      join(stateDir, 'checkpoint.json'),
      JSON.stringify(m2.snapshot({ [s2.name]: s2.position?.() })),
    )
    await s2.stop()
    const restored = await readCheckpoint(stateDir)
    const m3 = newMonitor(restored)
    const c3 = createCheckpointer(m3, { stateDir })
    const s3 = createRedisSource({
      url: redis.url,
      stream,
      consumer: 'replica-a',
      blockMs: 100,
      position: restored?.extra[s2.name] as StreamPosition,
    })
    await s3.start(sourceSink(m3, c3)) // reads this consumer's pending entries before it returns
    await c3.checkpoint()
    expect(await pending(stream)).toBe(0)
    expect(m3.accepted).toBe(150)
    expect(m3.status().totals.refused).toEqual(refusedOnce)
    expect(m3.status().totals.duplicates).toBe(51) // the redelivered entries, counted as duplicates only
    await s3.stop()
    const [window] = m3.flush()
    expect(window?.events).toBe(150)
    await Promise.all([m1.close(), m2.close(), m3.close()])
  })

  it('claims entries left pending by a dead replica', async () => {
    const stream = 'events-claim'
    await add(stream, 1000, 20)
    const dead = newMonitor()
    const s1 = createRedisSource({ url: redis.url, stream, consumer: 'dead-replica', blockMs: 100 })
    await s1.start(sourceSink(dead, createCheckpointer(dead, { stateDir: join(dir, 'dead') })))
    await waitFor(() => dead.accepted === 20)
    await s1.stop() // never acknowledged
    const live = newMonitor()
    const s2 = createRedisSource({ url: redis.url, stream, consumer: 'live-replica', blockMs: 100, claimIdleMs: 200 })
    const c2 = createCheckpointer(live, { stateDir: join(dir, 'live') })
    await s2.start(sourceSink(live, c2))
    await waitFor(() => live.accepted === 20)
    await c2.checkpoint()
    expect(await pending(stream)).toBe(0)
    await s2.stop()
    await Promise.all([dead.close(), live.close()])
  })

  it('decodes each entry by its event field, UTF-8 included, and names an entry without one by its line', async () => {
    const stream = 'events-decode'
    const event = (id: string, city: string) => JSON.stringify({ request_id: id, timestamp: T0, features: { city } })
    await client.xadd(stream, '*', 'meta', 'x', 'event', event('a', 'Zürich — 東京'))
    await client.xadd(stream, '*', 'event', event('b', 'plain'))
    await client.xadd(stream, '*', 'other', event('c', 'no event field'))
    const batches: SourceBatch[] = []
    const source = createRedisSource({ url: redis.url, stream, blockMs: 100 })
    await source.start((batch) => batches.push(batch))
    await waitFor(() => batches.reduce((n, b) => n + b.values.length + (b.invalidLines?.length ?? 0), 0) === 3)
    await source.stop()
    expect(batches.flatMap((b) => b.values)).toEqual([
      JSON.parse(event('a', 'Zürich — 東京')),
      JSON.parse(event('b', 'plain')),
    ])
    expect(batches.flatMap((b) => b.invalidLines)).toEqual([3])
  })

  it('counts its own entries claimed back before they were acknowledged as redelivered, not again', async () => {
    const stream = 'events-self-claim'
    await add(stream, 2000, 20)
    let values = 0
    let redelivered = 0
    const source = createRedisSource({ url: redis.url, stream, consumer: 'slow', blockMs: 50, claimIdleMs: 100 })
    // never acknowledged (a checkpoint that does not come): after 100 ms the source claims its own entries again
    await source.start((batch) => {
      values += batch.values.length
      redelivered += batch.redelivered ?? 0
    })
    await waitFor(() => redelivered >= 20)
    await source.stop()
    expect(values).toBe(20)
    // still held (once each) for the next checkpoint
    const position = source.position?.() as StreamPosition
    expect(new Set(position.unacknowledged).size).toBe(20)
  })
})
