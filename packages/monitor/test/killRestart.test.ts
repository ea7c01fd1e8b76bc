// kill -9 of `modelgate monitor serve` (the built CLI, a child process) reading a real stream on loopback: the events
// read but not yet acknowledged when it dies are redelivered to the restarted process, and every event is counted
// exactly once in the windows — none lost, none twice. Runs the built CLI (`pnpm build` first).
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream'
import { connect } from '@nats-io/transport-node'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { seeded } from './support/events.js'
import { fraudBaseline, fraudEvent } from './support/fraudEvents.js'
import type { ServedMonitor } from './support/serveCli.js'
import { serveMonitor, until } from './support/serveCli.js'
import { startNats, startRedis } from './support/servers.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-kill-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const baselinePath = join(dir, 'baseline.json')
writeFileSync(baselinePath, JSON.stringify(fraudBaseline()))

interface Status {
  totals: { accepted: number; duplicates: number; refused: Record<string, number> }
  openWindows: { events: number }[]
}
const status = async (s: ServedMonitor): Promise<Status> =>
  (await fetch(`${s.url}/v1/status`)).json() as Promise<Status>

const T0 = Date.now()
const random = seeded(61)
/** Chunks of 100 entries, as JSON text: 99 events (ids `<prefix><n>`) and one without a request id (refused). */
const chunk = (prefix: string, k: number): string[] => [
  ...Array.from({ length: 99 }, (_, i) => JSON.stringify(fraudEvent(random, `${prefix}${k * 100 + i}`, T0 + k))),
  JSON.stringify({ timestamp: T0 + k, features: {} }),
]
/** Each event counted once in the windows, each refused one once. */
function countedOnce(result: { published: number; after: Status }): void {
  const events = (result.published / 100) * 99
  expect(result.after.totals.accepted).toBe(events)
  expect(result.after.openWindows.reduce((a, w) => a + w.events, 0)).toBe(events)
  expect(result.after.totals.refused).toEqual({ missing_request_id: result.published / 100 })
}

/**
 * The scenario for one stream: publish chunks, each read by the monitor before the next; once the first checkpoint
 * is on disk and read entries wait for the next one (unacknowledged), kill -9. Publish ten more chunks, restart on
 * the same state directory, and wait until the stream has nothing unacknowledged.
 */
async function killAndRestart(o: {
  readonly name: string
  readonly source: string
  readonly publish: (lines: readonly string[]) => Promise<void>
  /** Entries handed to the consumer so far. */
  readonly delivered: () => Promise<number>
  /** Entries delivered and not acknowledged. */
  readonly unacknowledged: () => Promise<number>
}): Promise<{ published: number; atKill: number; after: Status }> {
  const stateDir = join(dir, o.name)
  const args = ['--baseline', baselinePath, '--window', '1h', '--state-dir', stateDir, '--source', o.source]
  const first = await serveMonitor(args, dir)
  let published = 0
  let atKill = 0
  for (let k = 0; ; k++) {
    await o.publish(chunk(o.name, k))
    published += 100
    await until(async () => (await o.delivered()) >= published, 'the chunk to be read')
    atKill = await o.unacknowledged()
    if (existsSync(join(stateDir, 'checkpoint.json')) && atKill > 0) break
  }
  first.child.kill('SIGKILL')
  expect(await first.exited).toBe(null)
  for (let k = published / 100; k < published / 100 + 10; k++) await o.publish(chunk(o.name, k))
  published += 1000
  const second = await serveMonitor(args, dir)
  expect(second.stderr()).toMatch(/resumed from the checkpoint/)
  // every entry handed over and acknowledged, so in the checkpoint the restarted process wrote
  await until(
    async () => (await o.delivered()) >= published && (await o.unacknowledged()) === 0,
    'every entry to be read and acknowledged',
  )
  const after = await status(second)
  second.child.kill('SIGTERM')
  expect(await second.exited).toBe(0)
  return { published, atKill, after }
}

describe('kill -9 of modelgate monitor serve on a real stream', () => {
  it('Redis Streams: entries read but not checkpointed are redelivered; each event counted once', {
    timeout: 240_000,
  }, async () => {
    const redis = await startRedis()
    const client = new Redis(redis.url)
    try {
      const group = async () =>
        ((await client.xinfo('GROUPS', 'events')) as unknown[][])
          .map((g) => Object.fromEntries(Array.from({ length: g.length / 2 }, (_, i) => [g[2 * i], g[2 * i + 1]])))
          .find((g) => g.name === 'modelgate-monitor') as Record<string, number | string> | undefined
      const result = await killAndRestart({
        name: 'redis',
        source: `${redis.url}?stream=events&consumer=replica-a`,
        publish: async (lines) => {
          const p = client.pipeline()
          for (const line of lines) p.xadd('events', '*', 'event', line)
          await p.exec()
        },
        delivered: async () => Number((await group())?.['entries-read'] ?? 0),
        unacknowledged: async () => Number((await group())?.pending ?? 0),
      })
      expect(result.atKill).toBeGreaterThan(0) // the kill lost in-memory events that had to come again
      countedOnce(result)
    } finally {
      client.disconnect()
      await redis.stop()
    }
  })

  it('NATS JetStream: messages read but not checkpointed are redelivered after the ack wait; each counted once', {
    timeout: 240_000,
  }, async () => {
    const nats = await startNats()
    const nc = await connect({ servers: nats.url })
    try {
      const jsm = await jetstreamManager(nc)
      await jsm.streams.add({ name: 'events', subjects: ['events.>'] })
      // the durable consumer as an operator would create it, with a short ack wait so the test need not wait 30 s
      await jsm.consumers.add('events', {
        durable_name: 'modelgate-monitor',
        ack_policy: AckPolicy.Explicit,
        ack_wait: 3_000_000_000,
        max_ack_pending: 100_000,
      })
      const js = jetstream(nc)
      const info = () => jsm.consumers.info('events', 'modelgate-monitor')
      const result = await killAndRestart({
        name: 'nats',
        source: `${nats.url}?stream=events`,
        publish: async (lines) => {
          await Promise.all(lines.map((line) => js.publish('events.inference', line)))
        },
        delivered: async () => (await info()).delivered.stream_seq,
        unacknowledged: async () => (await info()).num_ack_pending,
      })
      expect(result.atKill).toBeGreaterThan(0)
      countedOnce(result)
    } finally {
      await nc.close()
      await nats.stop()
    }
  })
})
