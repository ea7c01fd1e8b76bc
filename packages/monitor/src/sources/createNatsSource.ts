import type { ConsumerMessages, JsMsg } from '@nats-io/jetstream'
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream'
import type { NatsConnection } from '@nats-io/transport-node'
import { connect } from '@nats-io/transport-node'
import { MonitorError } from '../errors.js'
import { sourceFailure } from '../internal/sourceFailure.js'
import type { EventSink, EventSource } from './EventSource.js'
import type { StreamPosition } from './heldEntries.js'
import { heldEntries } from './heldEntries.js'

export interface NatsSourceOptions {
  /** `nats://host:port` (or several, comma-separated). */
  readonly servers: string
  /** The JetStream stream; created (on `subject`) when it does not exist. */
  readonly stream: string
  /** Subject the stream is created on. Default `<stream>.>`… as `events.>` for stream `events`. */
  readonly subject?: string
  /** Durable consumer shared by the replicas. Default `modelgate-monitor`. */
  readonly durable?: string
  /** Unacknowledged messages are redelivered after this. Default 30 s. */
  readonly ackWaitMs?: number
  /** Messages per batch handed to the monitor. Default 1,000. */
  readonly batch?: number
  readonly onError?: (error: unknown) => void
  /** From the checkpoint resumed (`position()`): messages (stream sequence numbers) it holds, not acknowledged. */
  readonly position?: StreamPosition
}

/**
 * NATS JetStream through a durable pull consumer with explicit acknowledgement (`@nats-io/jetstream` 3.4.0, which
 * speaks to Debian's nats-server 2.9.x). Each message is one JSON event; messages are acknowledged by the batch's
 * `ack`, i.e. after the checkpoint that holds them; what a crashed replica never acknowledged is redelivered after
 * `ackWaitMs`, to any replica of the durable consumer. The messages handed over and not yet acknowledged are part of
 * each checkpoint (`position()`, by stream sequence number), so a redelivery of one the monitor holds — after a crash
 * between a checkpoint and its acknowledgements, or when the ack wait ran out first — is acknowledged, not counted again.
 */
export function createNatsSource(options: NatsSourceOptions): EventSource {
  const durable = options.durable ?? 'modelgate-monitor'
  const batchSize = options.batch ?? 1000
  const name = `nats:${options.stream}`
  let nc: NatsConnection | undefined
  let messages: ConsumerMessages | undefined
  let loop: Promise<void> = Promise.resolve()
  const held = heldEntries(options.position)

  const hand = (sink: EventSink, msgs: JsMsg[]) => {
    if (msgs.length === 0) return
    const values: unknown[] = []
    const invalidLines: number[] = []
    let redelivered = 0
    msgs.forEach((m, i) => {
      if (!held.take(String(m.seq))) {
        redelivered++
        return
      }
      try {
        values.push(JSON.parse(m.string()))
      } catch {
        invalidLines.push(i + 1)
      }
    })
    sink({
      values,
      invalidLines,
      source: name,
      redelivered,
      ack: async () => {
        for (const m of msgs) m.ack()
        await nc?.flush()
        held.acknowledged(msgs.map((m) => String(m.seq)))
      },
    })
  }

  return {
    name,
    async start(sink) {
      try {
        nc = await connect({ servers: options.servers.split(','), name: `modelgate-monitor-${process.pid}` })
        const jsm = await jetstreamManager(nc)
        await jsm.streams.info(options.stream).catch(async () => {
          await jsm.streams.add({ name: options.stream, subjects: [options.subject ?? `${options.stream}.>`] })
        })
        await jsm.consumers.info(options.stream, durable).catch(async () => {
          await jsm.consumers.add(options.stream, {
            durable_name: durable,
            ack_policy: AckPolicy.Explicit,
            deliver_policy: DeliverPolicy.All,
            ack_wait: (options.ackWaitMs ?? 30_000) * 1_000_000,
            max_ack_pending: 100_000,
          })
        })
        // Restored messages at or below the consumer's ack floor were acknowledged before the crash: forget them.
        const floor = (await jsm.consumers.info(options.stream, durable)).ack_floor.stream_seq
        held.forget([...held.restored].filter((seq) => Number(seq) <= floor))
        const consumer = await jetstream(nc).consumers.get(options.stream, durable)
        messages = await consumer.consume({ max_messages: batchSize })
      } catch (error) {
        await nc?.close().catch(() => undefined)
        throw new MonitorError(
          'MG_MONITOR_SOURCE_FAILED',
          `NATS stream ${options.stream}: cannot connect or bind the durable consumer ${durable} (${(error as Error).message}).`,
          { cause: error },
        )
      }
      const iterator = messages
      loop = (async () => {
        let pending: JsMsg[] = []
        let scheduled: NodeJS.Immediate | undefined
        // A batch is handed over when full, or once the messages the client has buffered are all read (the iterator
        // yields them without returning to the event loop). Its `getPending()` is no guide: after a pull request it
        // stays above 0, and the last messages before a quiet spell waited — uncounted, unacknowledged — for more.
        const flush = () => {
          if (scheduled !== undefined) clearImmediate(scheduled)
          scheduled = undefined
          const msgs = pending
          pending = []
          hand(sink, msgs)
        }
        try {
          for await (const m of iterator) {
            pending.push(m)
            if (pending.length >= batchSize) flush()
            else scheduled ??= setImmediate(flush)
          }
        } catch (error) {
          options.onError?.(sourceFailure(name, 'consuming the stream', error, 'no further messages are read'))
        }
        flush()
      })()
    },
    async stop() {
      messages?.stop()
      await loop
      await nc?.drain().catch(() => undefined)
    },
    position: () => held.position(),
  }
}
