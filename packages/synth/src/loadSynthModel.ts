import { readFile, stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CTGAN_SECTION_VERSION } from './ctgan/internal/ctganSection.js'
import { ModelFileVersionError, SynthError } from './errors.js'
import { checkModelMeaning } from './internal/checkModelMeaning.js'
import { createCopulaModel } from './internal/createCopulaModel.js'
import type { SynthModelFile } from './modelFile.js'
import { SYNTH_MODEL_FORMAT, SYNTH_MODEL_VERSION, synthModelFileSchema } from './modelFile.js'
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
    // CTGAN weights live beside the JSON; ONNX Runtime loads only for CTGAN models.
    const { loadCtganModel } = await import('./ctgan/loadCtganModel.js')
    return loadCtganModel(file, {
      baseDir: displayName === 'the model' ? process.cwd() : dirname(displayName),
      displayName,
    })
  }
  return createModelFromFile(file)
}

/** Validates a parsed model file (see `loadSynthModel`). */
export function parseSynthModelFile(value: unknown, displayName = 'the model'): SynthModelFile {
  const location = displayName === 'the model' ? {} : { location: { file: displayName } }
  if (typeof value === 'object' && value !== null) {
    const header = value as { format?: unknown; version?: unknown }
    if (
      header.format === SYNTH_MODEL_FORMAT &&
      typeof header.version === 'number' &&
      header.version > SYNTH_MODEL_VERSION
    ) {
      throw new ModelFileVersionError(
        `${displayName} has format version ${header.version}; this ModelGate reads version ${SYNTH_MODEL_VERSION}.`,
        { hint: 'Upgrade @modelgate/synth, or re-train the model with this version.', ...location },
      )
    }
    const ctgan = (value as { ctgan?: { version?: unknown } }).ctgan
    if (typeof ctgan?.version === 'number' && ctgan.version > CTGAN_SECTION_VERSION) {
      throw new ModelFileVersionError(
        `${displayName} holds a CTGAN section of version ${ctgan.version}; this ModelGate reads version ${CTGAN_SECTION_VERSION}.`,
        { hint: 'Upgrade @modelgate/synth, or re-train the model with this version.', ...location },
      )
    }
    if (header.format !== undefined && header.format !== SYNTH_MODEL_FORMAT) {
      throw new SynthError(
        'MG_SYNTH_MODEL_CORRUPT',
        `${displayName} is not a ModelGate synth model (format "${String(header.format)}").`,
        {
          hint: 'Pass a file written by `synth train`.',
          ...location,
        },
      )
    }
  }
  const parsed = synthModelFileSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const path = issue === undefined ? '' : issue.path.join('.')
    throw new SynthError(
      'MG_SYNTH_MODEL_CORRUPT',
      `${displayName} is not a valid synth model: ${path === '' ? '' : `at "${path}": `}${issue?.message ?? 'invalid'}.`,
      {
        hint: 'The file may be damaged or hand-edited; re-train it with `synth train`.',
        ...location,
      },
    )
  }
  const file = parsed.data
  const names = new Set(file.columns.map((c) => c.name))
  if (file.synthesizer === 'copula') {
    const copula = file.copula
    if (copula === undefined) throw corrupt(displayName, 'it has no "copula" section', location)
    const d = copula.dims.length
    if (copula.correlation.length !== d || copula.correlation.some((row) => row.length !== d)) {
      throw corrupt(displayName, `the correlation matrix is not ${d} × ${d}`, location)
    }
    for (const dim of copula.dims)
      if (!names.has(dim.column))
        throw corrupt(displayName, `the copula names unknown column "${dim.column}"`, location)
  }
  const problem = checkModelMeaning(file)
  if (problem !== undefined) throw corrupt(displayName, problem, location)
  return file
}

/** Largest model file read (512 MB). */
export const MAX_MODEL_FILE_BYTES = 512 * 2 ** 20

function createModelFromFile(file: SynthModelFile): SynthModel {
  if (file.synthesizer === 'ctgan') {
    throw new SynthError(
      'MG_SYNTH_MODEL_CORRUPT',
      'CTGAN models are loaded by the CTGAN synthesizer, which this build does not include.',
      {
        hint: 'Use a copula model, or a ModelGate build with CTGAN.',
      },
    )
  }
  try {
    return createCopulaModel(file)
  } catch (cause) {
    if (cause instanceof SynthError) throw cause
    throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `The model cannot be used: ${(cause as Error).message}.`, {
      cause,
    })
  }
}

function corrupt(displayName: string, why: string, location: object): SynthError {
  return new SynthError('MG_SYNTH_MODEL_CORRUPT', `${displayName} is not a valid synth model: ${why}.`, {
    hint: 'The file may be damaged or hand-edited; re-train it with `synth train`.',
    ...location,
  })
}
