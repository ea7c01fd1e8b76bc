import { parentPort, workerData } from 'node:worker_threads'
import type { Table } from '@modelgate/core'
import { fitSynthModelFile } from '../trainSynthesizer.js'
import type { TrainSynthesizerOptions } from '../types.js'

// The copula fit of `fitSynthModelFileCancellable`, in its own thread: the table and the options (without functions)
// come in workerData; progress, then the model file or the error, go back as messages.
const { table, options } = workerData as { table: Table; options: TrainSynthesizerOptions }
const port = parentPort
if (port !== null) {
  try {
    const file = fitSynthModelFile(table, { ...options, onProgress: (progress) => port.postMessage({ progress }) })
    port.postMessage({ file })
  } catch (error) {
    const e = error as {
      name?: string
      code?: unknown
      message?: string
      hint?: unknown
      exitCode?: unknown
      location?: unknown
      stack?: string
    }
    port.postMessage({
      error: {
        name: e.name,
        code: e.code,
        message: e.message ?? String(error),
        hint: e.hint,
        exitCode: e.exitCode,
        location: e.location,
        stack: e.stack,
      },
    })
  }
}
