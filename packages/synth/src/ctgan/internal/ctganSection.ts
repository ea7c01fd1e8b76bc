import { z } from 'zod'
import { SynthError } from '../../errors.js'
import type { CtganBackend } from './engine/MatrixEngine.js'
import type { Architecture } from './networks.js'
import { expectedShapes } from './networks.js'
import type { TrainerHyperparameters } from './training/TrainerHyperparameters.js'
import type { EpochLosses } from './training/trainEpoch.js'
import type { TransformerSpec } from './transformer/TransformerSpec.js'

/**
 * The `ctgan` section of a synth model file: the data transformer, the architecture, the training record
 * and a tfjs-format weights manifest (`weightsManifest`, float32, little-endian, in the listed order) whose
 * binary file sits beside the JSON. Parameters only: no code, no training rows.
 */
export const CTGAN_SECTION_VERSION = 1

const finite = z.number().finite()

const continuousSpec = z
  .object({
    type: z.literal('continuous'),
    name: z.string(),
    kind: z.enum(['numeric', 'integer', 'datetime']),
    pointMasses: z.number().int().min(0),
    weights: z.array(finite.min(0).max(1)).min(1).max(1000),
    means: z.array(finite),
    stds: z.array(finite.min(0)),
    hasNull: z.boolean(),
    min: finite,
    max: finite,
    decimals: z.number().int().min(0).max(15).nullable(),
    roundTo: finite.positive().nullable(),
    alphaIndex: z.number().int().min(0),
    spanStart: z.number().int().min(0),
    spanSize: z.number().int().min(1),
    valueMap: z
      .object({ real: z.array(finite).max(4096), generated: z.array(finite).max(4096) })
      .strict()
      .optional(),
    modeMaps: z
      .array(z.object({ real: z.array(finite).max(4096), generated: z.array(finite).max(4096) }).strict())
      .max(64)
      .optional(),
  })
  .strict()

const discreteSpec = z
  .object({
    type: z.literal('discrete'),
    name: z.string(),
    kind: z.enum(['categorical', 'boolean']),
    labels: z.array(z.string()),
    hasNull: z.boolean(),
    counts: z.array(finite.min(0)),
    spanStart: z.number().int().min(0),
    spanSize: z.number().int().min(1),
    condStart: z.number().int().min(0),
  })
  .strict()

const unlearnedSpec = z.object({ type: z.literal('unlearned'), name: z.string() }).strict()
const derivedSpec = z
  .object({
    type: z.literal('derived'),
    name: z.string(),
    from: z.number().int().min(0),
    values: z.array(z.union([finite, z.string()]).nullable()).min(1),
  })
  .strict()

const positiveInts = z.array(z.number().int().positive()).min(1).max(16)

export const ctganSectionSchema = z
  .object({
    version: z.literal(CTGAN_SECTION_VERSION),
    transformer: z
      .object({
        columns: z.array(z.discriminatedUnion('type', [continuousSpec, discreteSpec, unlearnedSpec, derivedSpec])),
        numContinuous: z.number().int().min(0),
        dataDim: z.number().int().min(1),
        condDim: z.number().int().min(0),
        condOffset: z.number().int().min(0),
      })
      .strict(),
    architecture: z
      .object({
        embeddingDim: z.number().int().positive(),
        generatorDims: positiveInts,
        discriminatorDims: positiveInts,
        pac: z.number().int().positive(),
        dataDim: z.number().int().positive(),
        condDim: z.number().int().min(0),
        numContinuous: z.number().int().min(0),
        spans: z.array(z.tuple([z.number().int().min(0), z.number().int().positive()])),
        condOffset: z.number().int().min(0),
      })
      .strict(),
    hyperparameters: z.record(z.union([finite, z.array(finite)])),
    training: z
      .object({
        backend: z.enum(['onnxruntime', 'tensorflow', 'wasm', 'cpu']),
        epochs: z.number().int().min(0),
        seconds: finite.min(0),
        seed: finite,
        losses: z.array(z.object({ lossG: finite, lossD: finite }).strict()),
        /** Marginal calibration of the output (absent when turned off). */
        calibration: z
          .object({
            gapBefore: finite,
            gapAfter: finite,
            maxShift: finite,
            /** Per-condition calibration (calibrateConditionals): conditions calibrated of all, and the mean gaps. */
            conditional: z
              .object({
                conditions: z.number().int().min(0),
                of: z.number().int().min(0),
                gapBefore: finite,
                gapAfter: finite,
              })
              .strict()
              .optional(),
          })
          .strict()
          .optional(),
      })
      .strict(),
    weightsManifest: z
      .array(
        z
          .object({
            paths: z
              .array(z.string().regex(/^[^/\\]+$/, 'a file name beside the model, without directories'))
              .length(1),
            weights: z.array(
              z
                .object({ name: z.string(), shape: z.array(z.number().int().min(0)), dtype: z.literal('float32') })
                .strict(),
            ),
          })
          .strict(),
      )
      .length(1),
  })
  .strict()

export type CtganSection = z.infer<typeof ctganSectionSchema>

export interface CtganSectionOptions {
  readonly spec: TransformerSpec
  readonly arch: Architecture
  readonly hp: TrainerHyperparameters
  readonly backend: CtganBackend
  /** Epochs trained, their losses, and the training's seed and seconds so far. */
  readonly epochs: number
  readonly losses: readonly EpochLosses[]
  readonly seed: number
  readonly seconds: number
}

/** The `ctgan` section of a model trained so far (before calibration; the weight file named by saveModelFiles). */
export function ctganSectionOf(options: CtganSectionOptions): CtganSection {
  const { arch, losses } = options
  return {
    version: CTGAN_SECTION_VERSION,
    transformer: options.spec as CtganSection['transformer'],
    architecture: {
      ...arch,
      generatorDims: [...arch.generatorDims],
      discriminatorDims: [...arch.discriminatorDims],
      spans: arch.spans.map(([a, b]) => [a, b] as [number, number]),
    },
    hyperparameters: { ...options.hp },
    training: {
      backend: options.backend,
      epochs: options.epochs,
      seconds: options.seconds,
      seed: options.seed,
      losses: losses.map((l) => ({ lossG: finiteOr0(l.lossG), lossD: finiteOr0(l.lossD) })),
    },
    weightsManifest: [
      {
        paths: ['weights.bin'],
        weights: expectedShapes(arch)
          .filter(([n]) => n.startsWith('generator.'))
          .map(([name, shape]) => ({ name, shape, dtype: 'float32' as const })),
      },
    ],
  }
}

function finiteOr0(x: number): number {
  return Number.isFinite(x) ? x : 0
}

/**
 * The `ctgan` section of a model file parseSynthModelFile validated (the section with the file, by the schema above
 * and ctganSectionProblem); a model of another synthesizer is refused with MG_SYNTH_MODEL_CORRUPT.
 */
export function requireCtganSection(
  file: { readonly synthesizer: string; readonly ctgan?: CtganSection | undefined },
  displayName: string,
): CtganSection {
  if (file.synthesizer !== 'ctgan' || file.ctgan === undefined) {
    throw new SynthError(
      'MG_SYNTH_MODEL_CORRUPT',
      `${displayName} is a ${file.synthesizer} model, not a CTGAN model.`,
      {
        hint: 'Load it with loadSynthModel.',
      },
    )
  }
  return file.ctgan
}

/**
 * Why a `ctgan` section that passed the schema cannot be used with its file, or undefined. What the generator and its
 * compiled graph rely on: the transformer lists the file's columns in order, the architecture's row layout is the
 * transformer's, and the softmax spans tile the row after the α block in order.
 */
export function ctganSectionProblem(section: CtganSection, columnNames: readonly string[]): string | undefined {
  const t = section.transformer
  if (t.columns.length !== columnNames.length || t.columns.some((c, i) => c.name !== columnNames[i]))
    return 'its transformer columns differ from its columns'
  const a = section.architecture
  const spans = [...a.spans].sort((x, y) => x[0] - y[0])
  let end = a.numContinuous
  for (const [start, size] of spans) end = start === end ? start + size : Number.NaN
  if (
    a.dataDim !== t.dataDim ||
    a.condDim !== t.condDim ||
    a.numContinuous !== t.numContinuous ||
    a.condOffset !== t.condOffset ||
    end !== a.dataDim
  )
    return "its CTGAN architecture does not match its transformer's row layout"
  return undefined
}
