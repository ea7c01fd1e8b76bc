import { join } from 'node:path'
import type { SynthModelFile } from '../../modelFile.js'
import type { CtganBackend, CtganModel } from '../types.js'
import { requireCtganSection } from './ctganSection.js'
import { loadEngine } from './engine/loadEngine.js'
import { expectedShapes } from './networks.js'
import { planThreads } from './planThreads.js'
import { readWeightFile } from './readWeightFile.js'
import { createCtganModel } from './sampling/createCtganModel.js'

export interface OpenCtganOptions {
  /** Directory holding the weight file. */
  readonly baseDir: string
  /** Name of the model for messages. */
  readonly displayName: string
  readonly backend?: CtganBackend | 'auto' | undefined
  readonly threads?: number | undefined
  readonly workerThreads?: boolean | undefined
}

/**
 * A CTGAN model from a model file parseSynthModelFile validated (its `ctgan` section with it, so nothing here
 * validates again) and the tfjs-format weight file beside it, whose every tensor must have the shape the
 * architecture needs. Reads numbers only; nothing is executed.
 */
export async function openCtganModel(file: SynthModelFile, options: OpenCtganOptions): Promise<CtganModel> {
  const section = requireCtganSection(file, options.displayName)
  const manifest = section.weightsManifest[0]!
  const expected = expectedShapes(section.architecture).filter(([name]) => name.startsWith('generator.'))
  const weights = await readWeightFile(join(options.baseDir, manifest.paths[0]!), manifest.weights, expected)
  const backend = options.backend ?? 'auto'
  const onnx = backend === 'auto' || backend === 'onnxruntime'
  const plan = planThreads({ threads: options.threads, workerThreads: options.workerThreads, onnx })
  const engine = await loadEngine(backend, { threads: plan.engineThreads })
  return createCtganModel({
    engine,
    file,
    section,
    weights,
    chunkWorker: plan.chunkWorker && engine.backend === 'onnxruntime',
  })
}
