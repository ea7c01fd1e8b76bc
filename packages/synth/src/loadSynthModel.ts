import { dirname } from 'node:path'
import { SynthError } from './errors.js'
import { createCopulaModel } from './internal/createCopulaModel.js'
import { readModelJson } from './internal/readModelJson.js'
import type { SynthModelFile } from './modelFile.js'
import { parseSynthModelFile } from './parseSynthModelFile.js'
import type { SynthModel } from './types.js'

/**
 * Loads a model from a file path, JSON text or a parsed object. The file is data only: it is validated
 * with zod and never executed. A newer format version throws `MG_SYNTH_MODEL_VERSION`; anything else
 * malformed throws `MG_SYNTH_MODEL_CORRUPT` naming the first bad field.
 */
export async function loadSynthModel(source: string | object): Promise<SynthModel> {
  const { value, displayName } =
    typeof source === 'string' ? await readModelJson(source) : { value: source as unknown, displayName: 'the model' }
  const file = parseSynthModelFile(value, displayName)
  if (file.synthesizer === 'ctgan') {
    // CTGAN weights live beside the JSON; the CTGAN code and its engines load only for CTGAN models.
    const { openCtganModel } = await import('./ctgan/internal/openCtganModel.js')
    return openCtganModel(file, {
      baseDir: displayName === 'the model' ? process.cwd() : dirname(displayName),
      displayName,
    })
  }
  return createModelFromFile(file)
}

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
