import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SynthError } from '../errors.js'
import type { SynthModelFile } from '../modelFile.js'
import { parseSynthModelFile } from '../parseSynthModelFile.js'
import { parseCtganSection } from './internal/ctganSection.js'
import { loadEngine } from './internal/engine/loadEngine.js'
import { expectedShapes } from './internal/networks.js'
import { planThreads } from './internal/planThreads.js'
import { readWeightFile } from './internal/readWeightFile.js'
import { createCtganModel } from './internal/sampling/createCtganModel.js'
import type { CtganBackend, CtganModel } from './types.js'

export interface LoadCtganOptions {
  /** Directory holding the weight file (default: the model file's directory, or the working directory). */
  readonly baseDir?: string
  readonly backend?: CtganBackend | 'auto'
  /** Threads for sampling (see CtganSettings.threads; 1: the calling thread alone). */
  readonly threads?: number
  /** Whether sampling may draw chunks in a worker thread (see CtganSettings.workerThreads). Default true. */
  readonly workerThreads?: boolean
  /** Name of the model for messages. */
  readonly displayName?: string
}

/**
 * Loads a CTGAN model: a synth model file (path, or a file parseSynthModelFile validated) whose `ctgan` section is
 * validated once (parseCtganSection), and the tfjs-format weight file beside it, whose every tensor must have the
 * shape the architecture needs. Loading reads numbers only; nothing is executed.
 */
export async function loadCtganModel(
  source: string | SynthModelFile,
  options: LoadCtganOptions = {},
): Promise<CtganModel> {
  const file = typeof source === 'string' ? await readModelFile(source) : source
  const displayName = options.displayName ?? (typeof source === 'string' ? source : 'the model')
  const baseDir = options.baseDir ?? (typeof source === 'string' ? dirname(source) : process.cwd())
  const section = parseCtganSection(file, displayName)
  const manifest = section.weightsManifest[0]!
  const expected = expectedShapes(section.architecture).filter(([name]) => name.startsWith('generator.'))
  const values = await readWeightFile(join(baseDir, manifest.paths[0]!), manifest.weights, expected)
  const backend = options.backend ?? 'auto'
  const onnx = backend === 'auto' || backend === 'onnxruntime'
  const plan = planThreads({ threads: options.threads, workerThreads: options.workerThreads, onnx })
  const engine = await loadEngine(backend, { threads: plan.engineThreads })
  return createCtganModel({
    engine,
    file,
    section,
    weights: values,
    chunkWorker: plan.chunkWorker && engine.backend === 'onnxruntime',
  })
}

async function readModelFile(path: string): Promise<SynthModelFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (cause) {
    throw new SynthError('MG_SYNTH_MODEL_UNREADABLE', `Cannot read model file ${path}: ${(cause as Error).message}.`, {
      hint: 'Train one with `synth train --synthesizer ctgan --data <file> --out model.json`.',
      cause,
      location: { file: path },
    })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `${path} is not valid JSON (${(cause as Error).message}).`, {
      cause,
      location: { file: path },
    })
  }
  return parseSynthModelFile(value, path)
}
