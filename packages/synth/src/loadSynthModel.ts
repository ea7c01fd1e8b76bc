import { readFile, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { SynthError } from './errors.js'
import { createCopulaModel } from './internal/createCopulaModel.js'
import type { SynthModelFile } from './modelFile.js'
import { parseSynthModelFile } from './parseSynthModelFile.js'
import type { SynthModel } from './types.js'

/**
 * Loads a model from a file path, JSON text or a parsed object. The file is data only: it is validated
 * with zod and never executed. A newer format version throws `MG_SYNTH_MODEL_VERSION`; anything else
 * malformed throws `MG_SYNTH_MODEL_CORRUPT` naming the first bad field.
 */
export async function loadSynthModel(source: string | object): Promise<SynthModel> {
  let displayName = 'the model'
  let value: unknown = source
  if (typeof source === 'string') {
    let text = source
    if (!source.trimStart().startsWith('{')) {
      displayName = source
      try {
        // A model file holds parameters only; one past this size is not ours (and would not fit in a string).
        const { size } = await stat(source)
        if (size > MAX_MODEL_FILE_BYTES)
          throw new SynthError(
            'MG_SYNTH_MODEL_CORRUPT',
            `${source} is ${Math.round(size / 2 ** 20).toLocaleString('en-US')} MB, larger than a model file can be (${MAX_MODEL_FILE_BYTES / 2 ** 20} MB).`,
            { hint: 'Pass a file written by `synth train`.', location: { file: source } },
          )
        text = await readFile(source, 'utf8')
      } catch (cause) {
        if (cause instanceof SynthError) throw cause
        throw new SynthError(
          'MG_SYNTH_MODEL_UNREADABLE',
          `Cannot read model file ${source}: ${(cause as Error).message}.`,
          {
            hint: 'Train one with trainSynthesizer() and save its model file.',
            cause,
            location: { file: source },
          },
        )
      }
    }
    try {
      value = JSON.parse(text)
    } catch (cause) {
      throw new SynthError(
        'MG_SYNTH_MODEL_CORRUPT',
        `${displayName} is not valid JSON (${(cause as Error).message}).`,
        {
          hint: 'The file may be truncated or not a model file; re-train it with `synth train`.',
          cause,
          location: { file: displayName },
        },
      )
    }
  }
  const file = parseSynthModelFile(value, displayName)
  if (file.synthesizer === 'ctgan') {
    // CTGAN weights live beside the JSON; the CTGAN code and its engines load only for CTGAN models.
    const { loadCtganModel } = await import('./ctgan/loadCtganModel.js')
    return loadCtganModel(file, {
      baseDir: displayName === 'the model' ? process.cwd() : dirname(displayName),
      displayName,
    })
  }
  return createModelFromFile(file)
}

/** Largest model file read (512 MB). */
export const MAX_MODEL_FILE_BYTES = 512 * 2 ** 20

function createModelFromFile(file: SynthModelFile): SynthModel {
  try {
    return createCopulaModel(file)
  } catch (cause) {
    if (cause instanceof SynthError) throw cause
    throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `The model cannot be used: ${(cause as Error).message}.`, {
      cause,
    })
  }
}
