import type { MessagePort } from 'node:worker_threads'
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads'
import type { Table } from '@modelgate/core'
import { startWorkerThread } from '@modelgate/core'
import type { SynthErrorCode } from '../../../errors.js'
import { SynthError } from '../../../errors.js'
import type { SynthModelFile } from '../../../modelFile.js'
import type { WhereValue } from '../../../types.js'
import type { CtganSection } from '../ctganSection.js'
import type { Weight } from '../networks.js'

/** A chunk to draw: chunk `chunk` of a run of `seed`, `rows` rows from row `rowOffset`, under `where`. */
export interface ChunkJob {
  readonly chunk: number
  readonly rows: number
  readonly rowOffset: number
  readonly seed: number
  readonly where: Readonly<Record<string, WhereValue>> | undefined
}

/**
 * A worker thread drawing CTGAN chunks on its own one-thread ONNX Runtime session. A chunk is `request`ed, then
 * read with `collect` (blocking: the synchronous `sample`) or `collectAsync` (awaiting: `stream`). Replies come on
 * one port in request order; one nobody collects (a stream left early, a chunk whose partner failed) is skipped.
 */
export interface ChunkWorker {
  /** Posts a job; returns its id. */
  request(job: ChunkJob): number
  collect(id: number): Table
  collectAsync(id: number): Promise<Table>
  /**
   * Ends the worker: it finishes a chunk in progress, releases its session and exits by itself (ending a thread
   * inside an ONNX Runtime call aborts the process); the process stays alive until it has.
   */
  close(): void
}

/** What the worker receives first: the model, as plain data, and where to reply. */
export interface ChunkWorkerInit {
  /** Replies go to this port; the counter at `signal[0]` is bumped after each. */
  readonly replies: MessagePort
  readonly signal: Int32Array
  readonly file: SynthModelFile
  readonly section: CtganSection
  readonly weights: ReadonlyMap<string, Weight>
}

export type ChunkWorkerMessage = (ChunkJob & { readonly id: number }) | { readonly close: true }

export type ChunkWorkerReply =
  | { readonly id: number; readonly table: Table }
  | {
      readonly id: number
      readonly error: {
        readonly message: string
        readonly code?: string
        readonly hint?: string
        readonly exitCode?: 1 | 2
      }
    }

/** Atomics.waitAsync (ES2024, in Node since 16; not in this project's lib typings). */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { value: Promise<string> | string }
  }
).waitAsync

/** `signal[1]` is set when the thread ends (startWorkerThread's exit flag). */
const EXITED = 1
const PATIENCE_MS = 120_000

/**
 * Starts the sampling worker (samplerWorker.ts next to this file; from TypeScript sources it is loaded through
 * tsx, as the tests and benchmarks run them). The worker never keeps the process alive unless `collectAsync` is
 * waiting for it; `close` ends it.
 */
export function startChunkWorker(model: {
  readonly file: SynthModelFile
  readonly section: CtganSection
  readonly weights: ReadonlyMap<string, Weight>
}): ChunkWorker {
  const channel = new MessageChannel()
  const signal = new Int32Array(new SharedArrayBuffer(8))
  const init: ChunkWorkerInit = { replies: channel.port2, signal, ...model }
  const worker = startWorkerThread(new URL('./samplerWorker', import.meta.url), {
    workerData: init,
    transferList: [channel.port2],
    exitFlag: { flags: signal, index: EXITED },
  })
  worker.unref()
  // An error that ends the thread (e.g. its module failed to load) is reported here; the exit flag says it ended.
  let threadError: Error | null = null
  worker.on('error', (error) => {
    threadError = error
  })
  let next = 0

  /**
   * The reply to `id`, read off the port: yields the counter value to wait on while none has come. Used by the
   * blocking and the awaiting collect alike (messages and events are not dispatched while a thread blocks, so the
   * reply is never read from an event).
   */
  function* reply(id: number): Generator<number, Table, void> {
    const started = Date.now()
    for (;;) {
      const seen = Atomics.load(signal, 0)
      for (
        let got = receiveMessageOnPort(channel.port1);
        got !== undefined;
        got = receiveMessageOnPort(channel.port1)
      ) {
        const message = got.message as ChunkWorkerReply
        if (message.id === id) return unpack(message)
      }
      if (Atomics.load(signal, EXITED) !== 0) {
        throw workerFailed(
          `The CTGAN sampling worker thread ended without answering${threadError === null ? '' : ` (${(threadError as Error).message})`}.`,
        )
      }
      if (Date.now() - started > PATIENCE_MS)
        throw workerFailed(`The CTGAN sampling worker did not answer within ${PATIENCE_MS / 1000} s.`)
      yield seen
    }
  }

  return {
    request(job) {
      const id = next++
      worker.postMessage({ ...job, id } satisfies ChunkWorkerMessage)
      return id
    },
    collect(id) {
      const waiting = reply(id)
      for (let step = waiting.next(); ; step = waiting.next()) {
        if (step.done === true) return step.value
        Atomics.wait(signal, 0, step.value, 1000)
      }
    },
    async collectAsync(id) {
      const waiting = reply(id)
      // Keep the process alive while this chunk is on its way.
      worker.ref()
      try {
        for (let step = waiting.next(); ; step = waiting.next()) {
          if (step.done === true) return step.value
          await waitAsync(signal, 0, step.value, 1000).value
        }
      } finally {
        worker.unref()
      }
    },
    close() {
      worker.postMessage({ close: true } satisfies ChunkWorkerMessage)
      // Keep the process alive until the thread has ended: exiting would end it wherever it is.
      worker.ref()
      channel.port1.close()
    },
  }
}

function unpack(reply: ChunkWorkerReply): Table {
  if ('table' in reply) return reply.table
  const { message, code, hint, exitCode } = reply.error
  throw new SynthError((code ?? 'MG_SYNTH_WORKER_FAILED') as SynthErrorCode, message, {
    ...(hint === undefined ? {} : { hint }),
    ...(exitCode === undefined ? {} : { exitCode }),
  })
}

function workerFailed(message: string): SynthError {
  return new SynthError('MG_SYNTH_WORKER_FAILED', message, {
    hint: 'Sample without worker threads (workerThreads: false) to draw every chunk on this thread.',
    exitCode: 1,
  })
}
