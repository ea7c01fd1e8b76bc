import type { SeedPart, Table } from '@modelgate/core'
import { cancelledError } from '@modelgate/core'
import { SynthError } from '../errors.js'
import { modelFileOf, profileTrainingTable } from '../internal/profileTrainingTable.js'
import type { SynthModelFile } from '../modelFile.js'
import type { CtganProgress } from './CtganSettings.js'
import { calibrateGenerator } from './internal/calibration/calibrateGenerator.js'
import type { Checkpoint } from './internal/ctganCheckpoint.js'
import { checkArchitecture, readCheckpoint, restoreTrainer, writeCheckpoint } from './internal/ctganCheckpoint.js'
import { ctganSectionOf } from './internal/ctganSection.js'
import { loadEngine } from './internal/engine/loadEngine.js'
import type { MatrixEngine } from './internal/engine/MatrixEngine.js'
import { architectureOf, createNetworks, loadNetworks } from './internal/networks.js'
import { planThreads } from './internal/planThreads.js'
import { Rng } from './internal/Rng.js'
import { refuseDifferentialPrivacy } from './internal/refuseDifferentialPrivacy.js'
import { createCtganModel } from './internal/sampling/createCtganModel.js'
import { CtganTrainer } from './internal/training/CtganTrainer.js'
import type { TrainingReplicas } from './internal/training/createTrainingReplicas.js'
import { createTrainingReplicas } from './internal/training/createTrainingReplicas.js'
import { resolveHyperparameters } from './internal/training/TrainerHyperparameters.js'
import type { EpochLosses } from './internal/training/trainEpoch.js'
import { trainEpochYielding } from './internal/training/trainEpoch.js'
import { encodeTable } from './internal/transformer/encodeTable.js'
import { fitDataTransformer } from './internal/transformer/fitDataTransformer.js'
import type { TransformerSpec } from './internal/transformer/TransformerSpec.js'
import type { CtganModel, CtganOptions } from './types.js'

/**
 * Trains a CTGAN synthesizer (Xu et al. 2019, "Modeling Tabular Data using Conditional GAN") on a table.
 * Columns are profiled exactly as for the copula (PII columns never learned and re-synthesized on output,
 * categories seen fewer than k times never stored), then numeric columns get mode-specific normalization
 * from a variational Dirichlet-process GMM, and the conditional generator is trained with
 * training-by-sampling, PacGAN and WGAN-GP; after training, its output is calibrated to the data's shares.
 * Reproducible for a seed on the same backend and thread plan.
 *
 * The stages, in order: options checked → profile and transformer (or a checkpoint's) → encoded rows →
 * networks → epochs (on this thread, or data-parallel over replicas) → weights to sample from → calibration →
 * the model.
 */
export async function fitCtgan(data: Table, options: CtganOptions = {}): Promise<CtganModel> {
  const started = performance.now()
  const seconds = (): number => (performance.now() - started) / 1000
  const hp = resolveHyperparameters(options)
  const epochs = checkOptions(data, options, hp.batchSize)
  const seed = options.seed ?? 0
  // Independent streams of the seed, one per purpose (core's random family).
  const rngFor = (...purpose: SeedPart[]): Rng => Rng.stream(seed, 'ctgan', ...purpose)

  // Profile (privacy rules), transformer and architecture — or all of it from a checkpoint.
  const checkpoint = options.resumeFrom === undefined ? null : await readCheckpoint(options.resumeFrom)
  const { base, spec, table } = checkpoint === null ? profile(data, options) : fromCheckpoint(checkpoint, data, options)
  const encoded = encodeTable(spec, base.columns, table, rngFor('encode'))
  const arch = architectureOf(spec, options)
  if (checkpoint !== null) checkArchitecture(checkpoint, arch, options.resumeFrom!)

  const prefer = options.backend ?? 'auto'
  const plan = planThreads({
    threads: options.threads,
    workerThreads: options.workerThreads,
    onnx: prefer === 'auto' || prefer === 'onnxruntime',
    batch: { batchSize: hp.batchSize, pac: arch.pac },
  })
  // The one engine of this thread: training, calibration, then the model's sampling.
  const engine: MatrixEngine = await loadEngine(prefer, { threads: plan.engineThreads })
  const backend = engine.backend
  const onnx = backend === 'onnxruntime'
  const replicaCount = onnx ? plan.replicas : 1
  const progress = (p: Omit<CtganProgress, 'epochs' | 'seconds' | 'backend' | 'replicas'>): void =>
    options.onProgress?.({ ...p, epochs, seconds: seconds(), backend, replicas: replicaCount })
  progress({ phase: 'transform', epoch: 0, lossG: 0, lossD: 0 })

  const syncBatchNorm = options.syncBatchNorm ?? true
  const nets = createNetworks(arch, rngFor('networks'))
  const losses: EpochLosses[] = []
  let group: TrainingReplicas | null = null
  let handedOver = false
  try {
    if (checkpoint !== null) {
      loadNetworks(nets, checkpoint.weights)
      losses.push(...checkpoint.state.losses)
    }
    if (replicaCount > 1) group = createTrainingReplicas(replicaCount, arch)
    const trainer = new CtganTrainer({
      engine,
      arch,
      nets,
      spec,
      encoded,
      hp,
      rng: checkpoint === null ? rngFor('training') : new Rng(checkpoint.state.rng),
      ...(group === null ? {} : { replicas: group.replicas, syncBatchNorm }),
    })
    if (checkpoint !== null) restoreTrainer(trainer, checkpoint)
    group?.start({
      backend: 'onnxruntime',
      hp,
      spec,
      encoded,
      nets,
      storage: trainer.storage,
      rngFor: (rank) => checkpoint?.state.replicaRngs?.[rank - 1] ?? rngFor('training', rank).state(),
      steps: { g: trainer.optG.step, d: trainer.optD.step },
      syncBatchNorm,
    })

    // Epochs, within the time budget; a checkpoint every `checkpoint.every` epochs.
    const firstEpoch = checkpoint?.state.epoch ?? 0
    const budget = options.timeBudgetSeconds
    let lastEpochSeconds = 0
    let epoch = firstEpoch
    for (; epoch < epochs; epoch++) {
      if (budget !== undefined && epoch > firstEpoch && seconds() + lastEpochSeconds > budget) break
      const t0 = performance.now()
      const run = (): Promise<EpochLosses> => trainEpochYielding(trainer, { signal: options.signal })
      let result: EpochLosses
      try {
        result = group === null ? await run() : await group.epoch(run)
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
      progress({ phase: 'epoch', epoch: epoch + 1, ...result })
      const every = options.checkpoint?.every
      if (every !== undefined && (epoch + 1) % every === 0 && epoch + 1 < epochs) {
        await writeCheckpoint(options.checkpoint!.path, {
          base,
          section: ctganSectionOf({ spec, arch, hp, backend, epochs: epoch + 1, losses, seed, seconds: seconds() }),
          trainer,
          epoch: epoch + 1,
          losses,
          replicaRngs: group?.rngStates() ?? [],
        })
      }
    }
    await group?.close()

    const weights = trainer.generatorWeights()
    const section = calibrateGenerator({
      engine,
      section: ctganSectionOf({ spec, arch, hp, backend, epochs: epoch, losses, seed, seconds: seconds() }),
      weights,
      encoded,
      calibrate: options.calibrate ?? true,
      rngFor,
    })
    const file: SynthModelFile = { ...base, synthesizer: 'ctgan', ctgan: section }
    progress({ phase: 'done', epoch, lossG: losses.at(-1)?.lossG ?? 0, lossD: losses.at(-1)?.lossD ?? 0 })
    const model = createCtganModel({ engine, file, section, weights, chunkWorker: onnx && plan.chunkWorker })
    handedOver = true
    return model
  } finally {
    await group?.close()
    if (!handedOver) engine.dispose()
  }
}

/** Checks what resolveHyperparameters does not; returns the epochs to train. */
function checkOptions(table: Table, options: CtganOptions, batchSize: number): number {
  const epochs = options.epochs ?? 300
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new SynthError('MG_SYNTH_BAD_OPTION', `epochs must be a non-negative integer, got ${epochs}.`)
  refuseDifferentialPrivacy(options)
  const pac = options.pac ?? 10
  if (table.numRows < batchSize && table.numRows < 2 * pac) {
    throw new SynthError(
      'MG_SYNTH_EMPTY_TABLE',
      `CTGAN needs at least ${2 * pac} rows, the data has ${table.numRows}.`,
      { hint: 'Train the Gaussian copula for tiny tables.' },
    )
  }
  return epochs
}

interface Profiled {
  readonly base: SynthModelFile
  readonly spec: TransformerSpec
  /** The table the GAN reads: numeric values folded as quasi-identifiers replaced (see profileTrainingTable). */
  readonly table: Table
}

/** The column profile (the copula's privacy rules, without its dependence fit) and the data transformer. */
function profile(data: Table, options: CtganOptions): Profiled {
  const profiled = profileTrainingTable(data, profileOptionsOf(options))
  const base = modelFileOf(profiled, 'ctgan')
  const spec = fitDataTransformer(profiled.table, base.columns, {
    gmm: { maxModes: options.maxModes ?? 10, weightThreshold: options.modeWeightThreshold ?? 0.005 },
    minCount: options.k ?? 5,
  })
  return { base, spec, table: profiled.table }
}

/** A checkpoint's profile and transformer; the table profiled again, so a resumed run reads what the first read. */
function fromCheckpoint(checkpoint: Checkpoint, data: Table, options: CtganOptions): Profiled {
  const { table } = profileTrainingTable(data, profileOptionsOf(options))
  return { base: checkpoint.file, spec: checkpoint.section.transformer as TransformerSpec, table }
}

function profileOptionsOf(options: CtganOptions): Omit<CtganOptions, 'onProgress'> {
  const {
    epsilon: _e,
    delta: _d,
    synthesizer: _s,
    onProgress: _p,
    ...profileOptions
  } = options as CtganOptions & { epsilon?: number; delta?: number; synthesizer?: string }
  return profileOptions
}
