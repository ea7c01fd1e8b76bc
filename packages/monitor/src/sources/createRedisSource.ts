import { Redis } from 'ioredis'
import { MonitorError } from '../errors.js'
import { sourceFailure } from '../internal/sourceFailure.js'
import { decodeEventBody } from '../parseEventBody.js'
import type { EventSink, EventSource } from './EventSource.js'
import type { StreamPosition } from './heldEntries.js'
import { heldEntries } from './heldEntries.js'

export interface RedisSourceOptions {
  /** `redis://host:port/db` (credentials in the URL are never logged). */
  readonly url: string
  readonly stream: string
  /** Consumer group; replicas sharing it split the stream. Default `modelgate-monitor`. */
  readonly group?: string
  /** This replica's consumer name. Default `monitor-<pid>`. */
  readonly consumer?: string
  /** Entry field holding one JSON event. Default `event`. */
  readonly field?: string
  /** Entries per read. Default 2,000. */
  readonly count?: number
  /** Where a new group starts: `0` (the whole stream, default) or `$` (new entries only). */
  readonly startId?: string
  /** Entries pending longer than this on another (dead) consumer are claimed. Default 30 s. */
  readonly claimIdleMs?: number
  /** Longest blocking read. Default 1 s. */
  readonly blockMs?: number
  /** A read that failed (the source retries after 200 ms). */
  readonly onError?: (error: unknown) => void
  /** From the checkpoint resumed (`position()`): entries it holds that were not acknowledged. */
  readonly position?: StreamPosition
}

/** An entry as Redis sends it (Buffer replies: ioredis then leaves the strings to us). */
type RawEntry = [id: Buffer, fields: Buffer[] | null]
type RawReply = [stream: Buffer, entries: RawEntry[]][] | null

/**
 * Redis Streams through a consumer group (XREADGROUP): first this consumer's own pending entries (read but not
 * acknowledged before a restart), then new ones; entries left pending by a dead replica are claimed with XAUTOCLAIM.
 * Entries are acknowledged (XACK) by the batch's `ack`, i.e. after the checkpoint that holds them — the batches a
 * checkpoint releases together in one pipeline (one XACK per batch read); the entries handed over and not yet acknowledged are part of each
 * checkpoint (`position()`), so a redelivery of one the checkpoint holds is acknowledged without being counted twice.
 * Replies are read as Buffers and decoded here (an all-ASCII event as Latin-1, the same text without UTF-8 decoding).
 */
export function createRedisSource(options: RedisSourceOptions): EventSource {
  const group = options.group ?? 'modelgate-monitor'
  const consumer = options.consumer ?? `monitor-${process.pid}`
  const field = Buffer.from(options.field ?? 'event')
  const count = options.count ?? 2000
  const blockMs = options.blockMs ?? 1000
  const claimIdleMs = options.claimIdleMs ?? 30_000
  const name = `redis:${options.stream}`
  let reader: Redis | undefined
  let writer: Redis | undefined
  let stopped = false
  let loop: Promise<void> = Promise.resolve()
  const held = heldEntries(options.position)

  const connect = (): Redis =>
    new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: null, enableOfflineQueue: true })

  /** The batches whose `ack` was called in this turn of the event loop, acknowledged together. */
  let acking: (readonly string[])[] = []
  let acked: Promise<void> | undefined
  const ackAll = async (w: Redis): Promise<void> => {
    const batches = acking
    acking = []
    acked = undefined
    const pipeline = w.pipeline()
    for (const ids of batches) pipeline.xack(options.stream, group, ...ids)
    for (const [error] of (await pipeline.exec()) ?? []) if (error) throw error
    for (const ids of batches) held.acknowledgedBatch(ids)
  }
  const ack = (ids: readonly string[], w: Redis): Promise<void> => {
    acking.push(ids)
    acked ??= Promise.resolve().then(() => ackAll(w))
    return acked
  }

  /** One XREADGROUP of this consumer from `from` (`>`: new entries), blocking up to `block` ms when given. */
  const readGroup = (r: Redis, from: string, block?: number): Promise<RawReply> =>
    r.callBuffer(
      'XREADGROUP',
      'GROUP',
      group,
      consumer,
      'COUNT',
      count,
      ...(block === undefined ? [] : ['BLOCK', block]),
      'STREAMS',
      options.stream,
      from,
    ) as Promise<RawReply>

  /** Hands entries to the sink; `redelivered`: entries delivered before (pending, claimed), possibly held already. */
  const toBatch = (entries: readonly RawEntry[], sink: EventSink, w: Redis, redelivered: boolean) => {
    const n = entries.length
    if (n === 0) return
    const ids: string[] = new Array(n)
    for (let i = 0; i < n; i++) ids[i] = (entries[i] as RawEntry)[0].toString('latin1')
    const fresh = redelivered ? held.holdRedelivered(ids) : undefined
    if (fresh === undefined) held.holdBatch(ids)
    const values: unknown[] = []
    const invalidLines: number[] = []
    let again = 0
    for (let i = 0; i < n; i++) {
      if (fresh !== undefined && !fresh[i]) {
        again++
        continue
      }
      const text = eventText((entries[i] as RawEntry)[1], field)
      try {
        if (text === undefined) throw new Error('no field')
        values.push(JSON.parse(text))
      } catch {
        invalidLines.push(i + 1)
      }
    }
    sink({ values, invalidLines, source: name, redelivered: again, ack: () => ack(ids, w) })
  }

  return {
    name,
    async start(sink) {
      reader = connect()
      writer = connect()
      try {
        await Promise.all([reader.connect(), writer.connect()])
        await writer.xgroup('CREATE', options.stream, group, options.startId ?? '0', 'MKSTREAM')
      } catch (error) {
        if (!String((error as Error).message).includes('BUSYGROUP')) {
          reader.disconnect()
          writer.disconnect()
          throw new MonitorError(
            'MG_MONITOR_SOURCE_FAILED',
            `Redis stream ${options.stream}: cannot connect or create the consumer group (${(error as Error).message}).`,
            { cause: error },
          )
        }
      }
      const r = reader
      const w = writer
      // Restored entries no longer pending in the group were acknowledged before the crash: forget them.
      if (held.restored.size > 0) {
        const check = w.pipeline()
        const ids = [...held.restored]
        for (const id of ids) check.xpending(options.stream, group, id, id, 1)
        const pending = (await check.exec()) ?? []
        held.forget(ids.filter((_, i) => ((pending[i]?.[1] as unknown[] | undefined) ?? []).length === 0))
      }
      // This consumer's own pending entries first (read before a restart, never acknowledged).
      for (let from = '0'; !stopped; ) {
        const res = await readGroup(r, from)
        const entries = res?.[0]?.[1] ?? []
        if (entries.length === 0) break
        toBatch(entries, sink, w, true)
        from = entries.at(-1)?.[0].toString('latin1') ?? from
      }
      let lastClaim = Date.now()
      const readNew = () => readGroup(r, '>', blockMs)
      /** The next read, sent before the batch in hand is counted, so that Redis answers while the monitor works. */
      let ahead: Promise<RawReply> | undefined
      loop = (async () => {
        while (!stopped) {
          try {
            if (Date.now() - lastClaim >= claimIdleMs) {
              lastClaim = Date.now()
              const claimed = (await w.callBuffer(
                'XAUTOCLAIM',
                options.stream,
                group,
                consumer,
                claimIdleMs,
                '0-0',
                'COUNT',
                count,
              )) as [next: Buffer, entries: RawEntry[]]
              toBatch(
                claimed[1].filter((e) => e[1] !== null),
                sink,
                w,
                true,
              )
            }
            const reading = ahead ?? readNew()
            ahead = undefined
            const res = await reading
            const entries = res?.[0]?.[1] ?? []
            // Read ahead only while entries flow (an idle stream keeps one blocking read, as before).
            if (entries.length > 0 && !stopped) {
              ahead = readNew()
              ahead.catch(() => undefined) // awaited (and its failure handled) by the next turn
            }
            toBatch(entries, sink, w, false)
          } catch (error) {
            if (stopped) break
            options.onError?.(sourceFailure(name, 'reading the stream', error, 'retrying in 200 ms'))
            await new Promise((resolve) => setTimeout(resolve, 200))
          }
        }
      })()
    },
    async stop() {
      stopped = true
      reader?.disconnect()
      await loop
      await writer?.quit().catch(() => undefined)
    },
    position: () => held.position(),
  }
}

/** The text of the entry's event field (the first one, at a field-name position). */
function eventText(fields: readonly Buffer[] | null, field: Buffer): string | undefined {
  if (fields === null) return undefined
  for (let k = 0; k + 1 < fields.length; k += 2) {
    if ((fields[k] as Buffer).equals(field)) {
      return decodeEventBody(fields[k + 1] as Buffer)
    }
  }
  return undefined
}
