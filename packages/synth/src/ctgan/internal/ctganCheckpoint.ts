import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { SynthError } from '../../errors.js'
import type { SynthModelFile } from '../../modelFile.js'
import { parseSynthModelFile } from '../../parseSynthModelFile.js'
import type { CtganSection } from './ctganSection.js'
import { requireCtganSection } from './ctganSection.js'
import type { Architecture, Weight } from './networks.js'
import { expectedShapes, namedWeights } from './networks.js'
import { readWeightFile } from './readWeightFile.js'
import { saveModelFiles } from './saveModelFiles.js'
import type { CtganTrainer } from './training/CtganTrainer.js'
import type { EpochLosses } from './training/trainEpoch.js'

/**
 * A resumable CTGAN checkpoint: a model file (profile, transformer, architecture) with a `checkpoint` section
 * (epoch, Rng states, optimizer steps, losses), and beside it a weight file holding both networks, Adam's moments
 * and the weight average. Resuming with the same data and options trains exactly the model an uninterrupted run
 * trains.
 */
interface CheckpointState {
  readonly epoch: number
  readonly rng: number[]
  readonly stepG: number
  readonly stepD: number
  readonly losses: EpochLosses[]
  /** The Rng states of data-parallel replicas 1, 2, … (absent when training ran on one). */
  readonly replicaRngs?: number[][]
}

export interface Checkpoint {
  readonly file: SynthModelFile
  readonly section: CtganSection
  readonly state: CheckpointState
  readonly weights: Map<string, Weight>
}

export interface WriteCheckpointOptions {
  /** The profiled model file (columns, privacy). */
  readonly base: SynthModelFile
  /** The section of the model trained so far. */
  readonly section: CtganSection
  readonly trainer: CtganTrainer
  readonly epoch: number
  readonly losses: readonly EpochLosses[]
  readonly replicaRngs: number[][]
}

export async function writeCheckpoint(path: string, options: WriteCheckpointOptions): Promise<void> {
  const { trainer } = options
  const weights = new Map<string, Weight>(namedWeights(trainer.nets))
  const order = [...weights.keys()]
  // Adam's moments, in optimizer order.
  for (const [key, opt] of [
    ['g', trainer.optG],
    ['d', trainer.optD],
  ] as const) {
    for (const which of ['m', 'v'] as const) {
      opt.params.forEach((p, i) => {
        const name = `adam.${key}.${which}.${i}`
        weights.set(name, { shape: p.shape, values: opt[which][i]! })
        order.push(name)
      })
    }
  }
  trainer.average?.forEach((values, i) => {
    const name = `average.g.${i}`
    weights.set(name, { shape: trainer.optG.params[i]!.shape, values })
    order.push(name)
  })
  const state: CheckpointState = {
    epoch: options.epoch,
    rng: trainer.rng.state(),
    stepG: trainer.optG.step,
    stepD: trainer.optD.step,
    losses: [...options.losses],
    ...(options.replicaRngs.length > 0 ? { replicaRngs: options.replicaRngs } : {}),
  }
  const file: SynthModelFile & { checkpoint: CheckpointState } = {
    ...options.base,
    synthesizer: 'ctgan',
    ctgan: options.section,
    checkpoint: state,
  }
  await saveModelFiles(path, { file, section: options.section, weights, order })
}

export async function readCheckpoint(path: string): Promise<Checkpoint> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (cause) {
    throw new SynthError(
      'MG_SYNTH_MODEL_UNREADABLE',
      `Cannot read the checkpoint ${path}: ${(cause as Error).message}.`,
      { cause, location: { file: path } },
    )
  }
  const { checkpoint: state, ...rest } = raw as { checkpoint?: CheckpointState }
  if (state === undefined || !Number.isInteger(state.epoch) || !Array.isArray(state.rng)) {
    throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `${path} is not a CTGAN checkpoint (no "checkpoint" section).`, {
      hint: 'Pass a file written by a training with checkpoints.',
      location: { file: path },
    })
  }
  const file = parseSynthModelFile(rest, path)
  const section = requireCtganSection(file, path)
  const manifest = section.weightsManifest[0]!
  const weights = await readWeightFile(
    join(dirname(path), manifest.paths[0]!),
    manifest.weights,
    expectedShapes(section.architecture),
  )
  return { file, section, state, weights }
}

/** Refuses a checkpoint written for another architecture or data layout than `now` (MG_SYNTH_CHECKPOINT_MISMATCH). */
export function checkArchitecture(checkpoint: Checkpoint, now: Architecture, path: string): void {
  const a = JSON.stringify({ ...checkpoint.section.architecture })
  const b = JSON.stringify({
    ...now,
    generatorDims: [...now.generatorDims],
    discriminatorDims: [...now.discriminatorDims],
  })
  if (a !== b) {
    throw new SynthError(
      'MG_SYNTH_CHECKPOINT_MISMATCH',
      `The checkpoint ${path} was written for another architecture or data layout.`,
      {
        hint: 'Resume with the same data and the same embedding, generator, discriminator and pac settings.',
        location: { file: path },
      },
    )
  }
}

/** Restores the optimizers' steps and moments and the weight average (the networks are loaded before). */
export function restoreTrainer(trainer: CtganTrainer, checkpoint: Checkpoint): void {
  const { state, weights } = checkpoint
  trainer.optG.restore(state.stepG, moments(weights, 'adam.g', 'm'), moments(weights, 'adam.g', 'v'))
  trainer.optD.restore(state.stepD, moments(weights, 'adam.d', 'm'), moments(weights, 'adam.d', 'v'))
  trainer.average?.forEach((a, i) => {
    const stored = weights.get(`average.g.${i}`)
    if (stored !== undefined) a.set(stored.values)
  })
}

function moments(weights: ReadonlyMap<string, Weight>, prefix: string, which: 'm' | 'v'): Float32Array[] {
  const out: Float32Array[] = []
  for (let i = 0; ; i++) {
    const w = weights.get(`${prefix}.${which}.${i}`)
    if (w === undefined) return out
    out.push(w.values)
  }
}
