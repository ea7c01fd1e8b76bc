// The CTGAN sampling worker (see startChunkWorker): builds the model's chunk sampler on a one-thread ONNX
// Runtime session and answers chunk requests on the reply port, in order; typed arrays of the chunk's columns
// are moved, not copied.
import { parentPort, workerData } from 'node:worker_threads'
import type { Table } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'
import { createOnnxEngine } from '../engine/createOnnxEngine.js'
import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { CtganChunkSampler } from './createCtganChunkSampler.js'
import { createCtganChunkSampler } from './createCtganChunkSampler.js'
import { foldGenerator } from './foldGenerator.js'
import type { ChunkWorkerInit, ChunkWorkerMessage, ChunkWorkerReply } from './startChunkWorker.js'

const init = workerData as ChunkWorkerInit
/** The sampler, or why it could not be built (then every request is answered with that error, never left waiting). */
let sampler: CtganChunkSampler | Error
let engine: MatrixEngine | null = null
try {
  engine = createOnnxEngine({ threads: 1 })
  sampler = createCtganChunkSampler({
    runner: engine.createGeneratorRunner(foldGenerator(init.section, init.weights)),
    file: init.file,
    section: init.section,
  })
} catch (error) {
  sampler = error as Error
}

parentPort!.on('message', (job: ChunkWorkerMessage) => {
  if ('close' in job) {
    // Told to end (see ChunkWorker.close): release the native session, then let the thread run out.
    engine?.dispose()
    init.replies.close()
    parentPort!.close()
    return
  }
  let reply: ChunkWorkerReply
  const transfer: ArrayBuffer[] = []
  try {
    if (sampler instanceof Error) throw sampler
    const table: Table = sampler.sampleChunk(
      job.chunk,
      job.rows,
      job.rowOffset,
      job.seed,
      sampler.conditionsFor(job.where),
    )
    for (const column of table.columns) {
      for (const value of Object.values(column)) {
        if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer && !transfer.includes(value.buffer))
          transfer.push(value.buffer)
      }
    }
    reply = { id: job.id, table }
  } catch (error) {
    const e = error as Error
    reply = {
      id: job.id,
      error:
        e instanceof ModelGateError
          ? {
              message: e.message,
              code: e.code,
              exitCode: e.exitCode,
              ...(e.hint === undefined ? {} : { hint: e.hint }),
            }
          : { message: e.message },
    }
  }
  init.replies.postMessage(reply, transfer)
  Atomics.add(init.signal, 0, 1)
  Atomics.notify(init.signal, 0)
})
