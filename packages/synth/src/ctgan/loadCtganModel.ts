import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SynthError } from '../errors.js'
import type { SynthModelFile } from '../modelFile.js'
import { parseSynthModelFile } from '../parseSynthModelFile.js'
import { CTGAN_SECTION_VERSION, ctganSectionSchema } from './internal/ctganSection.js'
import { loadEngine } from './internal/engine/loadEngine.js'
import { expectedShapes } from './internal/networks.js'
import { createCtganModel } from './internal/sampling/createCtganModel.js'
import { readWeightFile } from './internal/weightsIo.js'
import type { CtganBackend, CtganModel } from './types.js'

export interface LoadCtganOptions {
  /** Directory holding the weight file (default: the model file's directory, or the working directory). */
  readonly baseDir?: string
  readonly backend?: CtganBackend | 'auto'
  /** Threads for the generator's products (ONNX Runtime). */
  readonly threads?: number
  /** Name of the model for messages. */
  readonly displayName?: string
}

/**
 * Loads a CTGAN model: a synth model file (path, or an already validated file) whose `ctgan` section is
 * checked against its schema and version, and the tfjs-format weight file beside it, whose every tensor
 * must have the shape the architecture needs. Loading reads numbers only; nothing is executed.
 */
export async function loadCtganModel(
  source: string | SynthModelFile,
  options: LoadCtganOptions = {},
): Promise<CtganModel> {
  const file = typeof source === 'string' ? await readModelFile(source) : source
  const displayName = options.displayName ?? (typeof source === 'string' ? source : 'the model')
  const baseDir = options.baseDir ?? (typeof source === 'string' ? dirname(source) : process.cwd())
  if (file.synthesizer !== 'ctgan') {
    throw new SynthError(
      'MG_SYNTH_MODEL_CORRUPT',
      `${displayName} is a ${file.synthesizer} model, not a CTGAN model.`,
      { hint: 'Load it with loadSynthModel.' },
    )
  }
  const raw = file.ctgan as { version?: unknown } | undefined
  if (raw !== undefined && typeof raw.version === 'number' && raw.version > CTGAN_SECTION_VERSION) {
    throw new SynthError(
      'MG_SYNTH_MODEL_VERSION',
      `${displayName} holds a CTGAN section of version ${raw.version}; this ModelGate reads version ${CTGAN_SECTION_VERSION}.`,
      {
        hint: 'Upgrade @modelgate/synth, or re-train the model with this version.',
      },
    )
  }
  const parsed = ctganSectionSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new SynthError(
      'MG_SYNTH_MODEL_CORRUPT',
      `${displayName} is not a valid CTGAN model: at "ctgan.${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}.`,
      {
        hint: 'The file may be damaged or hand-edited; re-train it with `synth train --synthesizer ctgan`.',
      },
    )
  }
  const section = parsed.data
  if (
    section.transformer.columns.length !== file.columns.length ||
    section.transformer.columns.some((c, i) => c.name !== file.columns[i]!.name)
  ) {
    throw new SynthError(
      'MG_SYNTH_MODEL_CORRUPT',
      `${displayName} is not a valid CTGAN model: its transformer columns differ from its columns.`,
    )
  }
  const manifest = section.weightsManifest[0]!
  const expected = expectedShapes(section.architecture).filter(([name]) => name.startsWith('generator.'))
  const values = await readWeightFile(join(baseDir, manifest.paths[0]!), manifest.weights, expected)
  const engine = await loadEngine(
    options.backend ?? 'auto',
    options.threads === undefined ? {} : { threads: options.threads },
  )
  return createCtganModel(engine, file, section, values)
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
