import type { ErrorLocation, Table } from '@modelgate/core'
import { cancelledError, ModelGateError, startWorkerThread } from '@modelgate/core'
import type { SynthErrorCode } from '../errors.js'
import { SYNTH_ERROR_CODES, SynthError } from '../errors.js'
import type { SynthModelFile } from '../modelFile.js'
import type { TrainProgress, TrainSynthesizerOptions } from '../types.js'

/** Tables up to this many cells fit in the calling thread: a second or so, short enough to cancel afterwards. */
export const IN_THREAD_MAX_CELLS = 1_000_000

interface Reply {
  readonly progress?: TrainProgress
  readonly file?: SynthModelFile
  readonly error?: {
    readonly name?: string
    readonly code?: string
    readonly message: string
    readonly hint?: string
    readonly exitCode?: 1 | 2
    readonly location?: ErrorLocation
    readonly stack?: string
  }
}

/**
 * `fitSynthModelFile` in a worker thread, so that aborting `signal` ends the fit at once (the thread is terminated:
 * a synchronous fit of a wide table never lets the event loop turn) and the caller's thread stays free to report
 * progress. Errors come back with their code, hint and location. Rejects with MG_CANCELLED when aborted.
 */
export function fitSynthModelFileCancellable(
  table: Table,
  options: TrainSynthesizerOptions,
  signal: AbortSignal,
): Promise<SynthModelFile> {
  const { onProgress, signal: _signal, ...cloneable } = options
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelled())
      return
    }
    const worker = startWorkerThread(new URL('./fitWorker', import.meta.url), {
      workerData: { table, options: cloneable },
    })
    let settled = false
    const finish = (outcome: () => void): void => {
      if (settled) return
      settled = true
      signal.removeEventListener('abort', onAbort)
      void worker.terminate()
      outcome()
    }
    const onAbort = (): void => finish(() => reject(cancelled()))
    signal.addEventListener('abort', onAbort, { once: true })
    worker.on('message', (reply: Reply) => {
      if (reply.progress !== undefined) onProgress?.(reply.progress)
      else if (reply.file !== undefined) finish(() => resolve(reply.file as SynthModelFile))
      else if (reply.error !== undefined) finish(() => reject(revived(reply.error as NonNullable<Reply['error']>)))
    })
    worker.on('error', (error) => finish(() => reject(error)))
    worker.on('exit', (code) =>
      finish(() =>
        reject(new SynthError('MG_SYNTH_INTERNAL', `The training thread ended (exit code ${code}) without a model.`)),
      ),
    )
  })
}

function cancelled(): ModelGateError {
  return cancelledError('Training was cancelled; nothing was written.')
}

function revived(e: NonNullable<Reply['error']>): Error {
  const options = {
    ...(e.hint === undefined ? {} : { hint: e.hint }),
    ...(e.exitCode === undefined ? {} : { exitCode: e.exitCode }),
    ...(e.location === undefined ? {} : { location: e.location }),
  }
  const error =
    e.code !== undefined && (SYNTH_ERROR_CODES as readonly string[]).includes(e.code)
      ? new SynthError(e.code as SynthErrorCode, e.message, options)
      : e.code?.startsWith('MG_')
        ? new ModelGateError(e.code as string, e.message, options)
        : new Error(e.message)
  if (e.stack !== undefined) error.stack = e.stack
  return error
}
