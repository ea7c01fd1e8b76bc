import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import type { Table } from '@modelgate/core'
import { cancelledError } from '@modelgate/core'
import { SynthError } from '../errors.js'
import { modelFileOf, profileTrainingTable } from '../internal/profileTrainingTable.js'
import type { SynthModelFile } from '../modelFile.js'
import { parseSynthModelFile } from '../parseSynthModelFile.js'
import { calibrateConditionals } from './internal/calibration/calibrateConditionals.js'
import { calibrateOutputBias, completeValueMaps, spanShares } from './internal/calibration/calibrateOutputBias.js'
import type { CtganSection } from './internal/ctganSection.js'
import { CTGAN_SECTION_VERSION, ctganSectionSchema } from './internal/ctganSection.js'
import { loadEngine } from './internal/engine/loadEngine.js'
import type { Architecture, Networks, Weight } from './internal/networks.js'
import { createNetworks, expectedShapes, loadNetworks, namedWeights } from './internal/networks.js'
import { Rng } from './internal/Rng.js'
import { refuseDifferentialPrivacy } from './internal/refuseDifferentialPrivacy.js'
import { createCtganModel, saveModelFiles } from './internal/sampling/createCtganModel.js'
import { CondSampler } from './internal/training/CondSampler.js'
import type { TrainerHyperparameters } from './internal/training/CtganTrainer.js'
import { CtganTrainer } from './internal/training/CtganTrainer.js'
import type { TrainingReplicas } from './internal/training/createTrainingReplicas.js'
import { createTrainingReplicas } from './internal/training/createTrainingReplicas.js'
import { encodeTable } from './internal/transformer/encodeTable.js'
import { fitDataTransformer } from './internal/transformer/fitDataTransformer.js'
import type { TransformerSpec } from './internal/transformer/TransformerSpec.js'
import { readWeightFile } from './internal/weightsIo.js'
import type { CtganModel, CtganOptions } from './types.js'

/**
 * Trains a CTGAN synthesizer (Xu et al. 2019, "Modeling Tabular Data using Conditional GAN") on a table.
 * Columns are profiled exactly as for the copula (PII columns never learned and re-synthesized on output,
 * categories seen fewer than k times never stored), then numeric columns get mode-specific normalization
 * from a variational Dirichlet-process GMM, and the conditional generator is trained with
 * training-by-sampling, PacGAN and WGAN-GP. Reproducible for a seed on the same backend.
 */
export async function fitCtgan(data: Table, options: CtganOptions = {}): Promise<CtganModel> {
  let table = data
  const started = performance.now()
  const hp = resolveHyperparameters(options)
  const epochs = options.epochs ?? 300
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new SynthError('MG_SYNTH_BAD_OPTION', `epochs must be a non-negative integer, got ${epochs}.`)
  refuseDifferentialPrivacy(options)
  if (table.numRows < hp.batchSize && table.numRows < 2 * (options.pac ?? 10)) {
    throw new SynthError(
      'MG_SYNTH_EMPTY_TABLE',
      `CTGAN needs at least ${2 * (options.pac ?? 10)} rows, the data has ${table.numRows}.`,
      { hint: 'Use --synthesizer copula for tiny tables.' },
    )
  }
  const engine = await loadEngine(
    options.backend ?? 'auto',
    options.threads === undefined ? {} : { threads: options.threads },
  )
  const backend = engine.backend
  const seed = options.seed ?? 0
  const seedWords = [seed >>> 0, Math.floor(seed / 4294967296) >>> 0]

  // Profile (privacy rules), transformer, encoding — or all of it from a checkpoint.
  const checkpoint = options.resumeFrom === undefined ? null : await readCheckpoint(options.resumeFrom)
  let base: SynthModelFile
  let spec: TransformerSpec
  if (checkpoint !== null) {
    base = checkpoint.file
    spec = checkpoint.section.transformer as TransformerSpec
  } else {
    // Only the shared profile: the copula's dependence fit (category ordering, correlation) is not needed here.
    const {
      epsilon: _e,
      delta: _d,
      synthesizer: _s,
      onProgress: _p,
      ...profileOptions
    } = options as CtganOptions & { epsilon?: number; delta?: number; synthesizer?: string }
    const profile = profileTrainingTable(table, profileOptions)
    base = modelFileOf(profile, 'ctgan')
    // The profiled table: numeric values folded as quasi-identifiers are gone from what the GAN reads.
    table = profile.table
    spec = fitDataTransformer(table, base.columns, {
      gmm: { maxModes: options.maxModes ?? 10, weightThreshold: options.modeWeightThreshold ?? 0.005 },
      minCount: options.k ?? 5,
    })
  }
  const encoded = encodeTable(spec, base.columns, table, new Rng([...seedWords, 0xe1]))
  const arch: Architecture = {
    embeddingDim: options.embeddingDim ?? 128,
    generatorDims: [...(options.generatorDims ?? [256, 256])],
    discriminatorDims: [...(options.discriminatorDims ?? [256, 256])],
    pac: options.pac ?? 10,
    dataDim: spec.dataDim,
    condDim: spec.condDim,
    numContinuous: spec.numContinuous,
    spans: spanList(spec),
    condOffset: spec.condOffset,
  }
  if (checkpoint !== null) checkArchitecture(checkpoint.section.architecture, arch, options.resumeFrom!)
  // Data-parallel on ONNX Runtime: one replica per thread, each on its share of every batch with a one-thread
  // engine (measured on 2 cores: two one-thread replicas step faster than one replica on a two-thread GEMM,
  // since half of a step is host loops a GEMM's threads do not speed up).
  const replicaCount =
    engine.backend === 'onnxruntime' && process.env.MODELGATE_CTGAN_WORKERS !== '0'
      ? replicasFor(engine.threads, hp.batchSize, arch.pac)
      : 1
  options.onProgress?.({
    phase: 'transform',
    epoch: 0,
    epochs,
    lossG: 0,
    lossD: 0,
    seconds: (performance.now() - started) / 1000,
    backend,
    replicas: replicaCount,
  })

  const syncBatchNorm = options.syncBatchNorm ?? true
  const nets = createNetworks(arch, new Rng([...seedWords, 0x1a]))
  let group: TrainingReplicas | null = null
  let trainEngine = engine
  let handedOver = false
  try {
    let rng = new Rng([...seedWords, 0x7a])
    let firstEpoch = 0
    const losses: { lossG: number; lossD: number }[] = []
    if (checkpoint !== null) {
      loadNetworks(nets, checkpoint.weights)
      rng = new Rng(checkpoint.state.rng)
      firstEpoch = checkpoint.state.epoch
      losses.push(...checkpoint.state.losses)
    }
    if (replicaCount > 1) {
      group = createTrainingReplicas(replicaCount, arch)
      trainEngine = await loadEngine('onnxruntime', { threads: 1 })
    }
    const trainer = new CtganTrainer(
      trainEngine,
      arch,
      nets,
      encoded,
      new CondSampler(spec),
      hp,
      rng,
      group === null ? {} : { replicas: group.replicas, syncBatchNorm },
    )
    if (checkpoint !== null) {
      trainer.optG.restore(
        checkpoint.state.stepG,
        moments(checkpoint.weights, 'adam.g'),
        moments(checkpoint.weights, 'adam.g', 'v'),
      )
      trainer.optD.restore(
        checkpoint.state.stepD,
        moments(checkpoint.weights, 'adam.d'),
        moments(checkpoint.weights, 'adam.d', 'v'),
      )
      trainer.average?.forEach((a, i) => {
        const stored = checkpoint.weights.get(`average.g.${i}`)
        if (stored !== undefined) a.set(stored.values)
      })
    }
    group?.start({
      backend: 'onnxruntime',
      hp,
      spec,
      encoded,
      nets,
      storage: trainer.storage,
      rngFor: (rank) => checkpoint?.state.replicaRngs?.[rank - 1] ?? new Rng([...seedWords, 0x7a, rank]).state(),
      steps: { g: trainer.optG.step, d: trainer.optD.step },
      syncBatchNorm,
    })
    const budget = options.timeBudgetSeconds
    let lastEpochSeconds = 0
    let epoch = firstEpoch
    for (; epoch < epochs; epoch++) {
      const elapsed = (performance.now() - started) / 1000
      if (budget !== undefined && epoch > firstEpoch && elapsed + lastEpochSeconds > budget) break
      const t0 = performance.now()
      let result: { lossG: number; lossD: number }
      try {
        result =
          group === null
            ? await trainer.epochYielding(options.signal)
            : await group.epoch(() => trainer.epochYielding(options.signal))
      } catch (error) {
        if (options.signal?.aborted) {
          throw cancelledError(
            `CTGAN training was cancelled in epoch ${epoch + 1} of ${epochs}; nothing was written.`,
            {
              cause: error,
            },
          )
        }
        throw error
      }
      lastEpochSeconds = (performance.now() - t0) / 1000
      losses.push(result)
      options.onProgress?.({
        phase: 'epoch',
        epoch: epoch + 1,
        epochs,
        ...result,
        seconds: (performance.now() - started) / 1000,
        backend,
        replicas: replicaCount,
      })
      if (options.checkpoint !== undefined && (epoch + 1) % options.checkpoint.every === 0 && epoch + 1 < epochs) {
        await writeCheckpoint(
          options.checkpoint.path,
          base,
          sectionOf(spec, arch, hp, backend, epoch + 1, started, seed, losses),
          nets,
          trainer,
          epoch + 1,
          losses,
          group?.rngStates() ?? [],
        )
      }
    }
    await group?.close()
    const weights = trainer.generatorWeights()
    let section = sectionOf(spec, arch, hp, backend, epoch, started, seed, losses)
    if (options.calibrate ?? true) {
      const target = spanShares(encoded.data, arch.dataDim, arch.spans)
      const { columns, ...marginal } = calibrateOutputBias(
        engine,
        section,
        weights,
        target,
        new Rng([...seedWords, 0xca1]),
      )
      const conditional =
        options.calibrate === 'marginal'
          ? null
          : calibrateConditionals(engine, section, weights, encoded, new Rng([...seedWords, 0xca2]))
      section = {
        ...section,
        transformer: { ...section.transformer, columns },
        training: { ...section.training, calibration: conditional === null ? marginal : { ...marginal, conditional } },
      }
    } else {
      // Uncalibrated: no value map has its generated side, so none is kept.
      section = {
        ...section,
        transformer: { ...section.transformer, columns: completeValueMaps(section.transformer.columns, new Map()) },
      }
    }
    const file: SynthModelFile = { ...base, synthesizer: 'ctgan', ctgan: section }
    options.onProgress?.({
      phase: 'done',
      epoch,
      epochs,
      lossG: losses.at(-1)?.lossG ?? 0,
      lossD: losses.at(-1)?.lossD ?? 0,
      seconds: (performance.now() - started) / 1000,
      backend,
      replicas: replicaCount,
    })
    const model = createCtganModel(engine, file, section, weights)
    handedOver = true
    return model
  } finally {
    await group?.close()
    if (trainEngine !== engine) trainEngine.dispose()
    if (!handedOver) engine.dispose()
  }
}

/** The most replicas, up to `threads`, that split a batch into whole packs (1: no data parallelism). */
function replicasFor(threads: number, batchSize: number, pac: number): number {
  for (let r = Math.min(threads, availableParallelism()); r > 1; r--) if (batchSize % (pac * r) === 0) return r
  return 1
}

function resolveHyperparameters(options: CtganOptions): TrainerHyperparameters {
  const hp: TrainerHyperparameters = {
    batchSize: options.batchSize ?? 500,
    learningRate: options.learningRate ?? 2e-4,
    beta1: options.betas?.[0] ?? 0.5,
    beta2: options.betas?.[1] ?? 0.9,
    generatorDecay: options.generatorDecay ?? 1e-6,
    discriminatorDecay: options.discriminatorDecay ?? 1e-6,
    gradientPenalty: options.gradientPenalty ?? 10,
    tau: options.tau ?? 0.2,
    discriminatorSteps: options.discriminatorSteps ?? 1,
    dropout: options.dropout ?? 0.5,
    generatorAverage: options.generatorAverage ?? 0.999,
  }
  const pac = options.pac ?? 10
  if (!Number.isInteger(hp.batchSize) || hp.batchSize < pac || hp.batchSize % pac !== 0) {
    throw new SynthError(
      'MG_SYNTH_BAD_OPTION',
      `--batch-size must be a positive multiple of pac (${pac}), got ${hp.batchSize}.`,
      { hint: 'The default is 500.' },
    )
  }
  if (
    !(hp.tau >= 0.05) ||
    !(hp.learningRate > 0) ||
    !(hp.dropout >= 0 && hp.dropout < 1) ||
    !(hp.generatorAverage >= 0 && hp.generatorAverage < 1) ||
    !Number.isInteger(hp.discriminatorSteps) ||
    hp.discriminatorSteps < 1
  ) {
    throw new SynthError(
      'MG_SYNTH_BAD_OPTION',
      'CTGAN options out of range: tau at least 0.05, learningRate positive, dropout and generatorAverage in [0, 1), discriminatorSteps a positive integer.',
    )
  }
  return hp
}

function spanList(spec: TransformerSpec): [number, number][] {
  const spans: [number, number][] = []
  for (const c of spec.columns)
    if (c.type === 'continuous' || c.type === 'discrete') spans.push([c.spanStart, c.spanSize])
  return spans.sort((a, b) => a[0] - b[0])
}

function sectionOf(
  spec: TransformerSpec,
  arch: Architecture,
  hp: TrainerHyperparameters,
  backend: CtganSection['training']['backend'],
  epochs: number,
  started: number,
  seed: number,
  losses: readonly { lossG: number; lossD: number }[],
): CtganSection {
  return {
    version: CTGAN_SECTION_VERSION,
    transformer: spec as CtganSection['transformer'],
    architecture: {
      ...arch,
      generatorDims: [...arch.generatorDims],
      discriminatorDims: [...arch.discriminatorDims],
      spans: arch.spans.map(([a, b]) => [a, b] as [number, number]),
    },
    hyperparameters: { ...hp },
    training: {
      backend,
      epochs,
      seconds: (performance.now() - started) / 1000,
      seed,
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

function checkArchitecture(saved: CtganSection['architecture'], now: Architecture, path: string): void {
  const a = JSON.stringify({ ...saved })
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
        hint: 'Resume with the same data and the same --embedding/--generator/--discriminator/--pac options.',
        location: { file: path },
      },
    )
  }
}

// ---- checkpoints -------------------------------------------------------------------------------

interface CheckpointState {
  readonly epoch: number
  readonly rng: number[]
  readonly stepG: number
  readonly stepD: number
  readonly losses: { lossG: number; lossD: number }[]
  /** The Rng states of data-parallel replicas 1, 2, … (absent when training ran on one). */
  readonly replicaRngs?: number[][]
}

interface Checkpoint {
  readonly file: SynthModelFile
  readonly section: CtganSection
  readonly state: CheckpointState
  readonly weights: Map<string, Weight>
}

async function writeCheckpoint(
  path: string,
  base: SynthModelFile,
  section: CtganSection,
  nets: Networks,
  trainer: CtganTrainer,
  epoch: number,
  losses: readonly { lossG: number; lossD: number }[],
  replicaRngs: number[][],
): Promise<void> {
  const weights = new Map<string, Weight>(namedWeights(nets))
  const names = [...weights.keys()]
  // Adam's moments, in optimizer order.
  for (const [key, opt] of [
    ['g', trainer.optG],
    ['d', trainer.optD],
  ] as const) {
    for (const which of ['m', 'v'] as const) {
      opt.params.forEach((p, i) => {
        const name = `adam.${key}.${which}.${i}`
        weights.set(name, { shape: p.shape, values: opt[which][i]! })
        names.push(name)
      })
    }
  }
  trainer.average?.forEach((values, i) => {
    const name = `average.g.${i}`
    weights.set(name, { shape: trainer.optG.params[i]!.shape, values })
    names.push(name)
  })
  const state: CheckpointState = {
    epoch,
    rng: trainer.rng.state(),
    stepG: trainer.optG.step,
    stepD: trainer.optD.step,
    losses: [...losses],
    ...(replicaRngs.length > 0 ? { replicaRngs } : {}),
  }
  const file: SynthModelFile & { checkpoint: CheckpointState } = {
    ...base,
    synthesizer: 'ctgan',
    ctgan: section,
    checkpoint: state,
  }
  await saveModelFiles(path, file, section, weights, names)
}

async function readCheckpoint(path: string): Promise<Checkpoint> {
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
      hint: 'Pass a file written by --checkpoint-every.',
      location: { file: path },
    })
  }
  const file = parseSynthModelFile(rest, path)
  const section = ctganSectionSchema.parse(file.ctgan)
  const manifest = section.weightsManifest[0]!
  const weights = await readWeightFile(
    join(dirname(path), manifest.paths[0]!),
    manifest.weights,
    expectedShapes(section.architecture),
  )
  return { file, section, state, weights }
}

function moments(weights: ReadonlyMap<string, Weight>, prefix: string, which: 'm' | 'v' = 'm'): Float32Array[] {
  const out: Float32Array[] = []
  for (let i = 0; ; i++) {
    const w = weights.get(`${prefix}.${which}.${i}`)
    if (w === undefined) return out
    out.push(w.values)
  }
}
