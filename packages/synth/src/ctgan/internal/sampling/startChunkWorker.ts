import type { MessagePort } from 'node:worker_threads'
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads'
import type { Table } from '@modelgate/core'
import type { SynthErrorCode } from '../../../errors.js'
import { SynthError } from '../../../errors.js'
import type { SynthModelFile } from '../../../modelFile.js'
import type { WhereValue } from '../../../types.js'
import type { CtganSection } from '../ctganSection.js'
import type { Weight } from '../networks.js'
import { startWorkerThread } from '../startWorkerThread.js'

/** A worker thread drawing CTGAN chunks on its own one-thread ONNX Runtime session. */
export interface ChunkWorker {
  sampleChunk(
    chunk: number,
    rows: number,
    rowOffset: number,
    seed: number,
    where: Readonly<Record<string, WhereValue>> | undefined,
  ): Promise<Table>
  /** For synchronous callers: `request` a chunk, work meanwhile, then `collect` it (blocks until it is ready). */
  request(
    chunk: number,
    rows: number,
    rowOffset: number,
    seed: number,
    where: Readonly<Record<string, WhereValue>> | undefined,
  ): void
  collect(): Table
  /**
   * Ends the worker: it finishes a chunk in progress, releases its session and exits by itself (ending a thread
   * inside an ONNX Runtime call aborts the process); the process stays alive until it has.
   */
  close(): void
}

/** What the worker receives first: the model, as plain data. */
export interface ChunkWorkerInit {
  /**
   * Replies to synchronous requests go to this port; the counter at `signal[0]` is bumped after each, and
   * `signal[1]` is set when the thread ends (see startSiblingWorker's exit flag).
   */
  readonly syncPort: MessagePort
  readonly signal: Int32Array
  readonly file: SynthModelFile
  readonly section: CtganSection
  readonly weights: ReadonlyMap<string, Weight>
}

/** A chunk request; `sync` ones are answered on the init's syncPort. */
export interface ChunkJob {
  readonly id: number
  readonly chunk: number
  readonly rows: number
  readonly rowOffset: number
  readonly seed: number
  readonly where: Readonly<Record<string, WhereValue>> | undefined
  readonly sync?: boolean
}

export type ChunkWorkerReply =
  | { readonly id: number; readonly table: Table }
  | {
      readonly id: number
      readonly error: { readonly message: string; readonly code?: string; readonly hint?: string }
    }

/**
 * Starts the sampling worker (samplerWorker.ts next to this file; from TypeScript sources it is loaded through
 * tsx, as the tests and benchmarks run them). An idle worker does not keep the process alive; `close` ends it.
 */
export function startChunkWorker(
  file: SynthModelFile,
  section: CtganSection,
  weights: ReadonlyMap<string, Weight>,
  onClose: () => void,
): ChunkWorker {
  const channel = new MessageChannel()
  const signal = new Int32Array(new SharedArrayBuffer(8))
  const init: ChunkWorkerInit = { syncPort: channel.port2, signal, file, section, weights }
  const transferList = [channel.port2]
  const worker = startWorkerThread(
    new URL('./samplerWorker', import.meta.url),
    { workerData: init, transferList },
    { flags: signal, index: 1 },
  )
  worker.unref()
  const waiting = new Map<number, { resolve: (t: Table) => void; reject: (e: Error) => void }>()
  let next = 0
  let closed = false
  let failure: Error | null = null
  const failAll = (error: Error): void => {
    failure = error
    for (const w of waiting.values()) w.reject(error)
    waiting.clear()
  }
  const unpack = (reply: ChunkWorkerReply): Table => {
    if ('table' in reply) return reply.table
    const { message, code, hint } = reply.error
    throw code === undefined
      ? new Error(message)
      : new SynthError(code as SynthErrorCode, message, hint === undefined ? {} : { hint })
  }
  worker.on('message', (reply: ChunkWorkerReply) => {
    const w = waiting.get(reply.id)
    if (w === undefined) return
    waiting.delete(reply.id)
    try {
      w.resolve(unpack(reply))
    } catch (error) {
      w.reject(error as Error)
    }
    if (waiting.size === 0 && !closed) worker.unref()
  })
  worker.on('error', (error) => failAll(error))
  worker.on('exit', (code) => failAll(new Error(`The CTGAN sampling worker exited (code ${code}).`)))
  return {
    sampleChunk(chunk, rows, rowOffset, seed, where) {
      if (failure !== null) return Promise.reject(failure)
      const id = next++
      // Keep the process alive while a chunk is on its way.
      worker.ref()
      return new Promise<Table>((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        worker.postMessage({ id, chunk, rows, rowOffset, seed, where } satisfies ChunkJob)
      })
    },
    request(chunk, rows, rowOffset, seed, where) {
      if (failure !== null) throw failure
      worker.postMessage({ id: -1, chunk, rows, rowOffset, seed, where, sync: true } satisfies ChunkJob)
    },
    collect() {
      // Messages and events are not dispatched while this thread blocks, so the reply is read straight off its
      // port, and a thread that ended is seen through its exit flag.
      const started = Date.now()
      for (;;) {
        const seen = Atomics.load(signal, 0)
        const got = receiveMessageOnPort(channel.port1)
        if (got !== undefined) return unpack(got.message as ChunkWorkerReply)
        if (Atomics.load(signal, 1) !== 0) {
          failure = new Error(
            'The CTGAN sampling worker thread ended without answering (it failed to start or crashed); set MODELGATE_CTGAN_WORKERS=0 to sample on one thread.',
          )
          throw failure
        }
        if (Date.now() - started > 120_000) throw new Error('The CTGAN sampling worker did not answer within 120 s.')
        Atomics.wait(signal, 0, seen, 1000)
      }
    },
    close() {
      if (closed) return
      closed = true
      worker.postMessage({ close: true })
      worker.ref()
      channel.port1.close()
      onClose()
    },
  }
}
