import { readFile, stat } from 'node:fs/promises'
import { SynthError } from '../errors.js'

/** Largest model file read (512 MB). */
const MAX_MODEL_FILE_BYTES = 512 * 2 ** 20

/**
 * The JSON of a model file, from its path or from the JSON text itself (text starting with `{`), and the name
 * messages give it: what loadSynthModel and loadCtganModel read before parseSynthModelFile validates it.
 */
export async function readModelJson(source: string): Promise<{ value: unknown; displayName: string }> {
  const isText = source.trimStart().startsWith('{')
  const displayName = isText ? 'the model' : source
  let text = source
  if (!isText) {
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
    return { value: JSON.parse(text), displayName }
  } catch (cause) {
    throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `${displayName} is not valid JSON (${(cause as Error).message}).`, {
      hint: 'The file may be truncated or not a model file; re-train it with `synth train`.',
      cause,
      location: { file: displayName },
    })
  }
}
