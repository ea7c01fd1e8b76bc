import { isModelGateError, ModelGateError } from '@modelgate/core'
import type { Monitor } from './createMonitor.js'
import type { WriteAheadLog } from './createWriteAheadLog.js'
import { createCheckpointStore, readCheckpointStore } from './internal/checkpointStore.js'
import { sourceFailure } from './internal/sourceFailure.js'
import type { MonitorSnapshot } from './monitorSnapshot.js'

export interface CheckpointerOptions {
  /** Directory of `checkpoint.json`. */
  readonly stateDir: string
  /** How often a checkpoint is written when something arrived. Default 1 s. */
  readonly intervalMs?: number
  /** Extra positions to store (sources' offsets), read at each checkpoint. */
  readonly extra?: () => Readonly<Record<string, unknown>>
  /** The `--durable` write-ahead log: rotated before each snapshot, its older segments deleted once it is on disk. */
  readonly wal?: WriteAheadLog
  readonly onError?: (error: unknown) => void
}

export interface Checkpointer {
  /** Runs `ack` after the next checkpoint is on disk (the events it acknowledges are in that checkpoint). */
  afterNext(ack: () => Promise<void>): void
  /** Writes a checkpoint now and runs the acknowledgements waiting for it. */
  checkpoint(): Promise<void>
  start(): void
  stop(): Promise<void>
  readonly written: number
}

/**
 * Reads the checkpoint of a state directory (`checkpoint.json` and the hop states and request-id log it names) as one
 * snapshot; undefined when there is none yet.
 */
export function readCheckpoint(stateDir: string): Promise<MonitorSnapshot | undefined> {
  return readCheckpointStore(stateDir)
}

/**
 * Checkpoints a monitor (incrementally and crash-consistent: `internal/checkpointStore.ts`) and then acknowledges
 * what it holds: stream sources (Redis, NATS) call `afterNext(ack)` for each batch they hand over, so an event is acknowledged only once the window state
 * that holds it is on disk. A crash before the checkpoint leaves the batch unacknowledged: the stream redelivers it
 * and the restored monitor, which remembers the request ids of its checkpoint, counts each event once.
 */
export function createCheckpointer(monitor: Monitor, options: CheckpointerOptions): Checkpointer {
  const store = createCheckpointStore(options.stateDir)
  let waiting: (() => Promise<void>)[] = []
  let lastAccepted = -1
  let written = 0
  let timer: NodeJS.Timeout | undefined
  let running: Promise<void> = Promise.resolve()

  const run = async (force: boolean): Promise<void> => {
    if (!force && waiting.length === 0 && monitor.accepted === lastAccepted) return
    const acks = waiting
    waiting = []
    lastAccepted = monitor.accepted
    // Rotate first: every record in the older segments was ingested before the snapshot below, so it holds them.
    const dropOlderSegments = await options.wal?.rotate()
    const snapshot = monitor.snapshot(options.extra?.() ?? {})
    await store.write(snapshot)
    written++
    await dropOlderSegments?.()
    await Promise.all(
      acks.map((ack) =>
        ack().catch((error: unknown) =>
          options.onError?.(
            sourceFailure('a stream source', 'acknowledging a checkpointed batch', error, 'it will be delivered again'),
          ),
        ),
      ),
    )
  }
  const serial = (force: boolean): Promise<void> => {
    running = running.catch(() => undefined).then(() => run(force))
    return running
  }

  return {
    afterNext(ack) {
      waiting.push(ack)
    },
    checkpoint: () => serial(true),
    start() {
      if (timer !== undefined) return
      timer = setInterval(() => {
        serial(false).catch((error: unknown) => options.onError?.(checkpointFailed(options.stateDir, error)))
      }, options.intervalMs ?? 1000)
      timer.unref()
    },
    async stop() {
      if (timer !== undefined) clearInterval(timer)
      timer = undefined
      await running.catch(() => undefined)
    },
    get written() {
      return written
    },
  }
}

/** A checkpoint that could not be written: core's `MG_IO_WRITE_FAILED` (an error that has a code already is kept). */
function checkpointFailed(stateDir: string, error: unknown): ModelGateError {
  if (isModelGateError(error)) return error
  const code = (error as NodeJS.ErrnoException).code
  return new ModelGateError(
    'MG_IO_WRITE_FAILED',
    `The checkpoint in ${stateDir} cannot be written (${code ?? (error as Error).message}); it is tried again at the next interval, and stream acknowledgements wait for it.`,
    { cause: error, hint: 'Check the free space and permissions of the state directory.' },
  )
}
