import { dirname } from 'node:path'
import { readModelJson } from '../internal/readModelJson.js'
import { parseSynthModelFile } from '../parseSynthModelFile.js'
import { openCtganModel } from './internal/openCtganModel.js'
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
 * Loads a CTGAN model: a synth model file (a path, JSON text or a parsed object) validated once with its `ctgan` section
 * (parseSynthModelFile), and the tfjs-format weight file beside it, whose every tensor must have the shape the
 * architecture needs. Loading reads numbers only; nothing is executed.
 */
export async function loadCtganModel(source: string | object, options: LoadCtganOptions = {}): Promise<CtganModel> {
  const read =
    typeof source === 'string' ? await readModelJson(source) : { value: source as unknown, displayName: 'the model' }
  const displayName = options.displayName ?? read.displayName
  const file = parseSynthModelFile(read.value, displayName)
  return openCtganModel(file, {
    ...options,
    displayName,
    baseDir: options.baseDir ?? (read.displayName === 'the model' ? process.cwd() : dirname(read.displayName)),
  })
}
