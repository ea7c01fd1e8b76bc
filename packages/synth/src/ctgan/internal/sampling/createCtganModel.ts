import { SynthError } from '../../../errors.js'
import { createChunkedSampler } from '../../../internal/createChunkedSampler.js'
import type { SynthModelFile } from '../../../modelFile.js'
import type { CtganModel } from '../../types.js'
import type { CtganSection } from '../ctganSection.js'
import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Weight } from '../networks.js'
import { saveModelFiles } from '../saveModelFiles.js'
import { createCtganChunkSampler } from './createCtganChunkSampler.js'
import { foldGenerator } from './foldGenerator.js'
import type { ChunkWorker } from './startChunkWorker.js'
import { startChunkWorker } from './startChunkWorker.js'

export interface CreateCtganModelOptions {
  /** The engine of the calling thread; the model owns it from now on (dispose releases it). */
  readonly engine: MatrixEngine
  readonly file: SynthModelFile
  readonly section: CtganSection
  /** The generator weights (`generator.*`). */
  readonly weights: ReadonlyMap<string, Weight>
  /**
   * Draw every other chunk of a run of two or more in a worker thread (its own one-thread ONNX Runtime session
   * over the same weights), started on first use. A chunk depends on (seed, chunk) only, so the rows are the same.
   */
  readonly chunkWorker: boolean
}

/**
 * A CTGAN sampling model: one pipeline from the generator weights to tables. Batch norm (running statistics) is
 * folded into the products (foldGenerator) and the sampling pass compiled where the engine can; chunks of rows
 * (createCtganChunkSampler) are seeded by (seed, chunk), so `sample`, `stream` and shards agree with one another.
 * With `chunkWorker`, chunk c + 1 is drawn in the worker while chunk c is drawn here (measured on 2 cores: two
 * one-thread pipelines ~2 × 130k rows/s, against ~170k for one pipeline on a two-thread session: the host part of
 * sampling — noise, decoding, tables — is single-threaded).
 */
export function createCtganModel(options: CreateCtganModelOptions): CtganModel {
  const { engine, file, section, weights } = options
  const { conditionsFor, sampleChunk } = createCtganChunkSampler({
    runner: engine.createGeneratorRunner(foldGenerator(section, weights)),
    file,
    section,
  })
  let worker: ChunkWorker | null = null
  const remote = options.chunkWorker
    ? (): ChunkWorker => {
        worker ??= startChunkWorker({ file, section, weights })
        return worker
      }
    : undefined
  const chunked = createChunkedSampler(conditionsFor, sampleChunk, remote)
  let disposed = false
  const live = (): void => {
    if (disposed)
      throw new SynthError('MG_SYNTH_MODEL_DISPOSED', 'This CTGAN model was disposed; it cannot sample any more.', {
        hint: 'Load the model again (loadSynthModel) to sample after dispose().',
      })
  }
  return {
    synthesizer: 'ctgan',
    backend: engine.backend,
    epochsTrained: section.training.epochs,
    losses: section.training.losses,
    columnNames: file.columns.map((c) => c.name),
    sample: (n, sampleOptions) => {
      live()
      return chunked.sample(n, sampleOptions)
    },
    stream: (n, streamOptions) => {
      live()
      return chunked.stream(n, streamOptions)
    },
    save: (jsonPath) => saveModelFiles(jsonPath, { file, section, weights }),
    toJSON: () => file,
    dispose: () => {
      if (disposed) return
      disposed = true
      worker?.close()
      engine.dispose()
    },
  }
}
