import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Monitor } from '@modelgate/monitor'
import {
  createCheckpointer,
  createMonitor,
  createMonitorMetrics,
  createNatsSource,
  readCheckpoint,
  sourceSink,
} from '@modelgate/monitor'
import { jetstream, jetstreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { connect } from '@nats-io/transport-node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeEvent, seeded, waitFor } from './support/events.js'
import type { RunningServer } from './support/servers.js'
import { startNats } from './support/servers.js'

let nats: RunningServer
let nc: NatsConnection
const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-nats-'))
beforeAll(async () => {
  nats = await startNats()
  nc = await connect({ servers: nats.url })
  const jsm = await jetstreamManager(nc)
  await jsm.streams.add({ name: 'events', subjects: ['events.>'] })
})
afterAll(async () => {
  await nc.close()
  await nats.stop()
  rmSync(dir, { recursive: true, force: true })
})

const T0 = Date.now()
const random = seeded(12)
async function publish(from: number, n: number): Promise<void> {
  const js = jetstream(nc)
  for (let i = from; i < from + n; i++) {
    await js.publish('events.inference', JSON.stringify(makeEvent(random, { id: `n${i}`, time: T0 + i, latency: 4 })))
  }
}
async function ackPending(): Promise<number> {
  const jsm = await jetstreamManager(nc)
  return (await jsm.consumers.info('events', 'modelgate-monitor')).num_ack_pending
}
/**
 * Every message acknowledged. On a loaded machine the server may redeliver a batch whose ack wait ran out before the
 * checkpoint; those copies are dropped by request id and acknowledged at the next checkpoint, so checkpoint again.
 */
async function settled(checkpointer: { checkpoint(): Promise<void> }): Promise<void> {
  for (let i = 0; i < 50; i++) {
    if ((await ackPending()) === 0) return
    await new Promise((r) => setTimeout(r, 100))
    await checkpointer.checkpoint()
  }
  expect(await ackPending()).toBe(0)
}
const newMonitor = (restore?: Awaited<ReturnType<typeof readCheckpoint>>): Monitor =>
  createMonitor({
    windowMs: 3_600_000,
    metrics: createMonitorMetrics({ processMetrics: false }),
    ...(restore === undefined ? {} : { restore }),
  })

describe('createNatsSource (real nats-server -js on loopback)', () => {
  it('acknowledges messages after the checkpoint; after a crash the durable consumer redelivers what was not', async () => {
    await publish(0, 100)
    const stateDir = join(dir, 'state')
    const m1 = newMonitor()
    const c1 = createCheckpointer(m1, { stateDir })
    const s1 = createNatsSource({ servers: nats.url, stream: 'events', ackWaitMs: 4000 })
    await s1.start(sourceSink(m1, c1))
    await waitFor(() => m1.accepted === 100)
    expect(await ackPending()).toBe(100) // read, none acknowledged before a checkpoint
    await c1.checkpoint()
    await settled(c1)

    await publish(100, 50)
    await waitFor(() => m1.accepted === 150)
    await s1.stop() // crash: 50 read, never acknowledged
    const m2 = newMonitor(await readCheckpoint(stateDir))
    expect(m2.accepted).toBe(100)
    const c2 = createCheckpointer(m2, { stateDir })
    const s2 = createNatsSource({ servers: nats.url, stream: 'events', ackWaitMs: 4000 })
    await s2.start(sourceSink(m2, c2))
    await waitFor(() => m2.accepted === 150) // redelivered after the ack wait
    await c2.checkpoint()
    await settled(c2)
    await s2.stop()
    expect(m2.flush()[0]?.events).toBe(150)
    await Promise.all([m1.close(), m2.close()])
  })
})
