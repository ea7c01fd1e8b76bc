import type { MatrixEngine } from '../engine/MatrixEngine.js'
import { internalError } from '../internalError.js'
import type { Architecture, Networks, Weight } from '../networks.js'
import { namedWeights } from '../networks.js'
import type { Rng } from '../Rng.js'
import type { DiscreteSpec, EncodedTable, TransformerSpec } from '../transformer/TransformerSpec.js'
import type { Adam } from './Adam.js'
import { BatchSampler } from './BatchSampler.js'
import type { TrainerState } from './createTrainerState.js'
import { copyMaster, createTrainerState } from './createTrainerState.js'
import { DiscriminatorPasses } from './DiscriminatorPasses.js'
import { GeneratorOutput } from './GeneratorOutput.js'
import { GeneratorPasses } from './GeneratorPasses.js'
import { gradientPenalty } from './gradientPenalty.js'
import type { Replicas } from './Replicas.js'
import { shardOf, soloReplicas } from './Replicas.js'
import type { TrainerHyperparameters } from './TrainerHyperparameters.js'
import { averagedGenerator, updateAverage } from './weightAverage.js'

export interface CtganTrainerOptions {
  /** Where the matrix products run. */
  readonly engine: MatrixEngine
  readonly arch: Architecture
  /** The networks trained (their arrays are updated in place). */
  readonly nets: Networks
  readonly spec: TransformerSpec
  readonly encoded: EncodedTable
  readonly hp: TrainerHyperparameters
  /** Every random draw of training. */
  readonly rng: Rng
  /** The replica group this trainer is one of (data-parallel steps); alone by default. */
  readonly replicas?: Replicas
  /** The group's shared state as the first replica allocated it (see createTrainerState). */
  readonly shared?: ReadonlyMap<string, Float32Array>
  /**
   * Batch-norm statistics over the whole batch (every replica's rows, as one trainer computes them), or over
   * each replica's share ("ghost" batch norm, Hoffer et al. 2017; what data-parallel PyTorch does unless
   * SyncBatchNorm is asked for), which saves six of a step's ten meetings. Default true.
   */
  readonly syncBatchNorm?: boolean
}

/**
 * CTGAN training steps (Xu et al. 2019) with hand-written forward and backward passes over host Float32Arrays:
 * a discriminator step (WGAN-GP loss on fake and real packs plus the gradient penalty) and a generator step
 * (adversarial loss plus the condition loss), each followed by Adam and, for the generator, the weight average.
 * The pieces live beside this file: the random inputs of a step (BatchSampler), the generator's passes
 * (GeneratorPasses) and output layer (GeneratorOutput), the discriminator's passes (DiscriminatorPasses), the
 * penalty (gradientPenalty), the optimizer state and its sharding between replicas (createTrainerState), the
 * average (weightAverage), and the epoch loop (trainEpoch). Every matrix product goes to the MatrixEngine;
 * every random draw (noise, conditions, real rows, dropout, Gumbel, interpolation) comes from `rng`.
 */
export class CtganTrainer {
  /** Replaced by tests that replay a step's draws. */
  rng: Rng
  readonly arch: Architecture
  readonly nets: Networks
  readonly hp: TrainerHyperparameters
  readonly replicas: Replicas
  readonly optG: Adam
  readonly optD: Adam
  /** The moving average of generatorVariables (null when hp.generatorAverage is 0). */
  readonly average: Float32Array[] | null
  /** The master weights, the moments and the average by name, for the other replicas of a group. */
  readonly storage: ReadonlyMap<string, Float32Array>
  private readonly engine: MatrixEngine
  private readonly state: TrainerState
  private readonly batch: BatchSampler
  private readonly output: GeneratorOutput
  private readonly generator: GeneratorPasses
  private readonly discriminator: DiscriminatorPasses
  private readonly numRows: number
  /** Rows of this replica's share of the batch. */
  private readonly rows: number
  /** Packs in the whole batch (loss normalisation) and in this replica's share of it (buffer layout). */
  private readonly packs: number
  private readonly localPacks: number
  /** Packed [fake packs | real packs] of the discriminator step, the interpolated packs, the generator step's fakes. */
  private readonly both: Float32Array
  private readonly interp: Float32Array
  private readonly packed: Float32Array

  constructor(options: CtganTrainerOptions) {
    const { engine, arch, nets, hp, encoded } = options
    this.engine = engine
    this.rng = options.rng
    this.arch = arch
    this.nets = nets
    this.hp = hp
    this.replicas = options.replicas ?? soloReplicas
    const normReplicas = options.syncBatchNorm === false ? soloReplicas : this.replicas
    this.numRows = encoded.data.length / arch.dataDim
    this.packs = hp.batchSize / arch.pac
    this.rows = hp.batchSize / this.replicas.count
    this.localPacks = this.rows / arch.pac
    if (!Number.isInteger(this.localPacks))
      throw internalError(
        `A batch of ${hp.batchSize} does not split into ${this.replicas.count} replicas of whole packs.`,
      )
    this.state = createTrainerState({
      nets,
      hp,
      inSharedMemory: this.replicas.count > 1,
      ...(options.shared === undefined ? {} : { shared: options.shared }),
    })
    this.optG = this.state.optG
    this.optD = this.state.optD
    this.average = this.state.average
    this.storage = this.state.storage
    this.batch = new BatchSampler({ arch, spec: options.spec, encoded, rows: this.rows, dropout: hp.dropout })
    this.output = new GeneratorOutput({
      arch,
      discrete: options.spec.columns.filter((c): c is DiscreteSpec => c.type === 'discrete'),
      rows: this.rows,
      tau: hp.tau,
    })
    this.generator = new GeneratorPasses({ engine, arch, replicas: this.replicas, normReplicas })
    this.discriminator = new DiscriminatorPasses({ engine, arch })
    const width = this.discriminator.inputWidth
    this.both = new Float32Array(2 * this.localPacks * width)
    this.interp = new Float32Array(this.localPacks * width)
    this.packed = new Float32Array(this.localPacks * width)
  }

  get stepsPerEpoch(): number {
    return Math.max(1, Math.floor(this.numRows / this.hp.batchSize))
  }

  /** One discriminator update; returns its loss. */
  discriminatorStep(): number {
    const own = this.discriminatorGradients()
    const { parts, loss } = this.replicas.exchange(own.grads, own.loss)
    this.optD.apply(parts, this.shard)
    this.replicas.barrier()
    copyMaster(this.state.masterD, this.state.ownD)
    return loss
  }

  /** The discriminator loss and its gradients (one or two parts per variable, summed by the optimizer); draws from the Rng. */
  discriminatorGradients(): { loss: number; grads: Float32Array[][] } {
    const rng = this.rng
    const packs = this.localPacks
    const width = this.discriminator.inputWidth
    const { input, cond, slots } = this.batch.noiseAndCond(rng)
    const raw = this.generator.forward(this.nets, input, this.rows, { keepCaches: false }).raw
    // [fake packs | real packs] in one buffer, and the interpolation (one α per pack).
    const both = this.both
    this.output.activate(rng, raw, cond, both, 0)
    this.batch.realRows(rng, slots, cond, both, packs * width)
    const interp = this.interp
    for (let p = 0; p < packs; p++) {
      const a = rng.uniform()
      const f = p * width
      const r = (packs + p) * width
      for (let j = 0; j < width; j++) interp[f + j] = both[f + j]! + a * (both[r + j]! - both[f + j]!)
    }
    const pass = this.discriminator.forward(
      this.nets,
      both,
      2 * packs,
      this.batch.dropoutMasks(rng, 2 * packs, 0),
      true,
    )
    // L = mean(D(fake)) − mean(D(real)) + GP, means over the whole batch's packs.
    const dScore = new Float32Array(2 * packs)
    dScore.fill(1 / this.packs, 0, packs)
    dScore.fill(-1 / this.packs, packs)
    let wasserstein = 0
    for (let p = 0; p < 2 * packs; p++) wasserstein += pass.score![p]! * dScore[p]!
    const main = this.discriminator.backward(this.nets, pass, dScore, { weights: true, input: false }).grads
    const interpolated = this.discriminator.forward(
      this.nets,
      interp,
      packs,
      this.batch.dropoutMasks(rng, packs, 1),
      false,
    )
    const gp = gradientPenalty(interpolated, {
      engine: this.engine,
      nets: this.nets,
      discriminatorDims: this.arch.discriminatorDims,
      inputWidth: width,
      lambda: this.hp.gradientPenalty,
      allPacks: this.packs,
    })
    return { loss: wasserstein + gp.loss, grads: main.map((m, i) => (gp.grads[i] === null ? [m] : [m, gp.grads[i]!])) }
  }

  /** One generator update; returns its loss. */
  generatorStep(): number {
    const own = this.generatorGradients()
    const { parts, loss } = this.replicas.exchange(own.grads, own.loss)
    this.optG.apply(parts, this.shard)
    if (this.average !== null)
      updateAverage(this.average, this.state.masterG, {
        decay: this.hp.generatorAverage,
        step: this.optG.step,
        shard: this.shard,
      })
    this.replicas.barrier()
    copyMaster(this.state.masterG, this.state.ownG)
    return loss
  }

  /** The generator loss (adversarial + condition cross-entropy) and its gradients; draws from the Rng. */
  generatorGradients(): { loss: number; grads: Float32Array[][] } {
    const rng = this.rng
    const b = this.rows
    const packs = this.localPacks
    // Losses are means over the whole batch (every replica's rows and packs).
    const allRows = this.hp.batchSize
    const allPacks = this.packs
    const { input, cond } = this.batch.noiseAndCond(rng)
    const gen = this.generator.forward(this.nets, input, b, { keepCaches: true })
    const packed = this.packed
    this.output.activate(rng, gen.raw, cond, packed, 0)
    const pass = this.discriminator.forward(this.nets, packed, packs, this.batch.dropoutMasks(rng, packs, 0), true)
    const dScore = new Float32Array(packs).fill(-1 / allPacks)
    const score = pass.score!
    const dInput = this.discriminator.backward(this.nets, pass, dScore, { weights: false, input: true }).dInput!
    // Backward through the activations, plus the condition cross-entropy on the raw logits.
    const { dRaw, crossEntropy } = this.output.backward(dInput, packed, gen.raw, cond, allRows)
    let adversarial = 0
    for (let p = 0; p < packs; p++) adversarial -= score[p]! / allPacks
    const grads = this.generator.backward(this.nets, gen, dRaw, b)
    return { loss: adversarial + crossEntropy / allRows, grads: grads.map((g) => [g]) }
  }

  /**
   * The generator weights to sample from, by name: the last weights, or their moving average with batch-norm
   * statistics recomputed for it ("standing statistics": the mean of batch statistics over `batches` batches
   * drawn with the sampling-time condition frequencies), since running statistics belong to the raw weights.
   */
  generatorWeights(batches = 20): Map<string, Weight> {
    const out = new Map<string, Weight>()
    const nets = this.average === null ? this.nets : averagedGenerator(this.nets, this.state.ownG, this.average)
    if (this.average !== null) {
      // This replica alone (the others have stopped), on as many rows in all as `batches` whole batches.
      const total = batches * this.replicas.count
      for (let i = 0; i < total; i++) {
        // Momentum 1/(i+1): after the last batch the statistics are the plain mean over all batches.
        const input = this.batch.noiseAndCond(this.rng, 'true').input
        this.generator.forward(nets, input, this.rows, {
          keepCaches: false,
          momentum: 1 / (i + 1),
          shareStatistics: false,
        })
      }
    }
    // The averaged networks are fresh copies (averagedGenerator), so they are handed out as they are.
    for (const [name, w] of namedWeights(nets)) if (name.startsWith('generator.')) out.set(name, w)
    return out
  }

  /** The values [lo, hi) of a parameter this replica updates. */
  private readonly shard = (length: number): [number, number] =>
    shardOf(length, this.replicas.rank, this.replicas.count)
}
