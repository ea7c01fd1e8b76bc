import { join } from 'node:path'
import type { Checkpointer } from './createCheckpointer.js'
import { createCheckpointer, readCheckpoint } from './createCheckpointer.js'
import type { Monitor } from './createMonitor.js'
import { createMonitor } from './createMonitor.js'
import type { WriteAheadLog } from './createWriteAheadLog.js'
import { createWriteAheadLog, readWriteAheadLog } from './createWriteAheadLog.js'
import { MonitorError } from './errors.js'
import { ingestEventBody } from './internal/ingestEventBody.js'
import type { MonitorOptions } from './MonitorOptions.js'
import type { MonitorSnapshot } from './monitorSnapshot.js'
import type { FilePosition } from './sources/createFileSource.js'
import { createFileSource } from './sources/createFileSource.js'
import { createNatsSource } from './sources/createNatsSource.js'
import { createRedisSource } from './sources/createRedisSource.js'
import type { EventSource } from './sources/EventSource.js'
import type { StreamPosition } from './sources/heldEntries.js'
import { sourceSink } from './sources/sourceSink.js'
import type { MonitorServer, MonitorServerOptions } from './startMonitorServer.js'
import { startMonitorServer } from './startMonitorServer.js'

export interface MonitorServiceOptions extends Omit<MonitorOptions, 'restore'> {
  readonly server?: Omit<MonitorServerOptions, 'durable' | 'onError'>
  /**
   * Stream and file sources besides HTTP: `file:<path>`, `redis://host:port[/db]?stream=events[&group=…&consumer=…]`,
   * `nats://host:port?stream=events[&subject=…&durable=…]`.
   */
  readonly sources?: readonly string[]
  /** Checkpoints (and the write-ahead log) go here; stream sources acknowledge after each checkpoint. */
  readonly stateDir?: string
  /** Default 1 s. */
  readonly checkpointMs?: number
  /** HTTP batches are answered after a write-ahead log append (needs `stateDir`). */
  readonly durable?: boolean
  readonly onError?: (error: unknown) => void
}

export interface MonitorService {
  readonly monitor: Monitor
  readonly server: MonitorServer
  readonly url: string
  /** Records replayed from the write-ahead log on start. */
  readonly replayed: number
  readonly resumed: boolean
  /** Stops sources and server; with a state directory writes a last checkpoint, else evaluates the open windows. */
  stop(): Promise<void>
}

/** Where a checkpoint's `extra` keeps the sequence number of the last write-ahead log record it holds. */
const WAL_KEY = 'wal'

function walSeqOf(restore: MonitorSnapshot | undefined): number {
  const seq = restore?.extra[WAL_KEY]
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : 0
}

/** A source spec (see `MonitorServiceOptions.sources`) → an `EventSource`; a file resumes from its checkpoint position. */
export function createSourceFromSpec(
  spec: string,
  options: { readonly positions?: Readonly<Record<string, unknown>>; readonly onError?: (error: unknown) => void } = {},
): EventSource {
  const onError = options.onError === undefined ? {} : { onError: options.onError }
  if (spec.startsWith('file:')) {
    const path = spec.slice('file:'.length)
    const position = options.positions?.[`file:${path}`] as FilePosition | undefined
    return createFileSource({ path, ...(position === undefined ? {} : { position }), ...onError })
  }
  let url: URL
  try {
    url = new URL(spec)
  } catch {
    throw badSource(spec)
  }
  const q = (name: string) => url.searchParams.get(name) ?? undefined
  const streamPosition = (name: string) => {
    const position = options.positions?.[name] as StreamPosition | undefined
    return position === undefined ? {} : { position }
  }
  const stream = q('stream')
  if (url.protocol === 'redis:' || url.protocol === 'rediss:') {
    if (stream === undefined) throw badSource(spec, 'a redis source needs ?stream=<name>')
    const base = new URL(url.href)
    base.search = ''
    const group = q('group')
    const consumer = q('consumer')
    return createRedisSource({
      ...streamPosition(`redis:${stream}`),
      url: base.href,
      stream,
      ...(group === undefined ? {} : { group }),
      ...(consumer === undefined ? {} : { consumer }),
      ...onError,
    })
  }
  if (url.protocol === 'nats:') {
    if (stream === undefined) throw badSource(spec, 'a nats source needs ?stream=<name>')
    const subject = q('subject')
    const durable = q('durable')
    return createNatsSource({
      ...streamPosition(`nats:${stream}`),
      servers: `${url.protocol}//${url.host}`,
      stream,
      ...(subject === undefined ? {} : { subject }),
      ...(durable === undefined ? {} : { durable }),
      ...onError,
    })
  }
  throw badSource(spec)
}

function badSource(spec: string, problem?: string): MonitorError {
  const safe = spec.replace(/\/\/[^@/]*@/, '//')
  return new MonitorError(
    'MG_MONITOR_BAD_OPTION',
    `Source "${safe}": ${problem ?? 'expected file:<path>, redis://host:port?stream=<name> or nats://host:port?stream=<name>'}.`,
  )
}

/**
 * The whole service: restores the last checkpoint and replays the write-ahead log (when a state directory is given),
 * starts the HTTP server and the sources, the window timer and the checkpoints, and turns `/readyz` on.
 */
export async function startMonitorService(options: MonitorServiceOptions): Promise<MonitorService> {
  const { server: serverOptions, sources: specs = [], stateDir, durable = false, onError, ...monitorOptions } = options
  if (durable && stateDir === undefined) {
    throw new MonitorError(
      'MG_MONITOR_BAD_OPTION',
      'A durable monitor needs a state directory for its write-ahead log.',
    )
  }
  const restore = stateDir === undefined ? undefined : await readCheckpoint(stateDir)
  const monitor = createMonitor({ ...monitorOptions, ...(restore === undefined ? {} : { restore }) })
  let replayed = 0
  let wal: WriteAheadLog | undefined
  if (durable && stateDir !== undefined) {
    const dir = join(stateDir, 'wal')
    // The checkpoint holds every batch up to its `wal` sequence number: replay only the later ones, so that a batch
    // is counted once (its refused, late and duplicate events as well as its accepted ones).
    const held = walSeqOf(restore)
    let last = held
    for (const record of await readWriteAheadLog(dir)) {
      last = Math.max(last, record.seq)
      if (record.seq <= held) continue
      ingestEventBody(monitor, record.text, 'wal')
      replayed++
    }
    wal = await createWriteAheadLog({ dir, nextSeq: last + 1 })
  }
  const sources = specs.map((spec) =>
    createSourceFromSpec(spec, {
      ...(restore === undefined ? {} : { positions: restore.extra }),
      ...(onError === undefined ? {} : { onError }),
    }),
  )
  const checkpointer: Checkpointer | undefined =
    stateDir === undefined
      ? undefined
      : createCheckpointer(monitor, {
          stateDir,
          ...(options.checkpointMs === undefined ? {} : { intervalMs: options.checkpointMs }),
          ...(wal === undefined ? {} : { wal }),
          extra: () => ({
            ...Object.fromEntries(sources.flatMap((s) => (s.position === undefined ? [] : [[s.name, s.position()]]))),
            ...(wal === undefined ? {} : { [WAL_KEY]: wal.lastSeq }),
          }),
          ...(onError === undefined ? {} : { onError }),
        })
  if (checkpointer !== undefined && (replayed > 0 || restore !== undefined)) await checkpointer.checkpoint()
  const log = wal
  const server = await startMonitorServer(monitor, {
    ...serverOptions,
    ...(log === undefined ? {} : { durable: (text: string) => log.append(text) }),
    ...(onError === undefined ? {} : { onError }),
  })
  const sink = sourceSink(monitor, checkpointer, onError)
  try {
    for (const source of sources) await source.start(sink)
  } catch (error) {
    await server.close()
    for (const source of sources) await source.stop().catch(() => undefined)
    throw error
  }
  monitor.start()
  checkpointer?.start()
  server.setReady(true)
  return {
    monitor,
    server,
    url: server.url,
    replayed,
    resumed: restore !== undefined,
    async stop() {
      server.setReady(false)
      await server.close()
      for (const source of sources) await source.stop()
      if (checkpointer !== undefined) {
        await checkpointer.stop()
        await checkpointer.checkpoint()
      } else {
        monitor.flush()
      }
      await wal?.close()
      await monitor.close()
    },
  }
}
