import { setImmediate } from 'node:timers/promises'
import type { MatrixEngine } from '../engine/MatrixEngine.js'
import type { Architecture, Networks, Weight } from '../networks.js'
import {
  BATCH_NORM_EPSILON,
  BATCH_NORM_MOMENTUM,
  discriminatorVariables,
  generatorVariables,
  LEAKY_SLOPE,
  namedWeights,
} from '../networks.js'
import type { Rng } from '../Rng.js'
import type { EncodedTable } from '../transformer/TransformerSpec.js'
import { Adam } from './Adam.js'
import type { CondSampler } from './CondSampler.js'
import type { Replicas } from './Replicas.js'
import { shardOf, soloReplicas } from './Replicas.js'

export interface TrainerHyperparameters {
  readonly batchSize: number
  readonly learningRate: number
  readonly beta1: number
  readonly beta2: number
  readonly generatorDecay: number
  readonly discriminatorDecay: number
  readonly gradientPenalty: number
  readonly tau: number
  readonly discriminatorSteps: number
  readonly dropout: number
  /**
   * Decay of an exponential moving average of the generator's weights (Yazıcı et al. 2019, "The Unusual
   * Effectiveness of Averaging in GAN Training"); 0 keeps the last weights. The effective decay ramps up as
   * min(decay, (1 + t)/(10 + t)) over steps t, so short runs average only their recent steps.
   */
  readonly generatorAverage: number
}

export interface TrainerOptions {
  /** The replica group this trainer is one of (data-parallel steps); alone by default. */
  readonly replicas?: Replicas
  /**
   * The group's shared state by name — the master weights (`weights.<name>`), Adam's moments (`adam.g.m.0`, …)
   * and the average (`average.g.0`, …) — as the first replica allocated them; without it they are allocated
   * (in shared memory when replicas > 1) and started from the networks.
   */
  readonly shared?: ReadonlyMap<string, Float32Array>
  /**
   * Batch-norm statistics over the whole batch (every replica's rows, as one trainer computes them), or over
   * each replica's share ("ghost" batch norm, Hoffer et al. 2017; what data-parallel PyTorch does unless
   * SyncBatchNorm is asked for), which saves six of a step's ten meetings. Default true.
   */
  readonly syncBatchNorm?: boolean
}

interface BlockCache {
  readonly input: Float32Array
  readonly inputWidth: number
  readonly xhat: Float32Array
  readonly inv: Float32Array
  /** Batch-normalised pre-activation (ReLU passes where it is positive). */
  readonly y: Float32Array
}

interface GeneratorPass {
  readonly blocks: readonly BlockCache[]
  readonly last: Float32Array
  readonly lastWidth: number
  readonly raw: Float32Array
}

interface DiscriminatorPass {
  readonly rows: number
  /** Inputs of each layer (packed input, then hidden activations) and their widths. */
  readonly inputs: readonly Float32Array[]
  readonly widths: readonly number[]
  /** Per hidden layer: LeakyReLU slope × dropout keep-mask. */
  readonly gates: readonly Float32Array[]
  /** [rows] when asked for. */
  readonly score: Float32Array | null
}

/**
 * CTGAN training (Xu et al. 2019) with hand-written forward and backward passes over host Float32Arrays.
 * Every matrix product goes to the MatrixEngine (ONNX Runtime's MLAS GEMM by default, TensorFlow.js
 * otherwise); the rest — batch norm, LeakyReLU/dropout gates, the output activations (tanh, Gumbel-softmax
 * per span) and their gradients, the condition cross-entropy, PacGAN packing, the penalty's interpolation
 * and Adam — are single host loops over a few hundred thousand floats each.
 * No autodiff tape: the WGAN-GP penalty (Gulrajani et al. 2017) is differentiated in closed form. The
 * discriminator is piecewise linear, so its input gradient is g = (((w_L ⊙ k_L) W_{L−1}ᵀ ⊙ k_{L−1}) …) W_0ᵀ
 * with fixed gates k (LeakyReLU slope × dropout), and ∂λ(‖g‖−1)²/∂W follows by the chain rule.
 * All randomness (noise, conditions, real rows, dropout, Gumbel, interpolation) comes from the seeded Rng.
 */
export class CtganTrainer {
  readonly optG: Adam
  readonly optD: Adam
  /** The moving average of generatorVariables (null when hp.generatorAverage is 0). */
  readonly average: Float32Array[] | null
  /** The master weights, the moments and the average by name, for the other replicas of a group (see TrainerOptions.shared). */
  readonly storage = new Map<string, Float32Array>()
  readonly replicas: Replicas
  /** The replicas that share batch-norm statistics: all of them, or this one alone (ghost batch norm). */
  private readonly normReplicas: Replicas
  /**
   * The weights Adam updates. Alone, the networks' own; in a replica group, master copies in shared memory
   * (each replica updates its shard), copied back into this replica's networks after every update: ONNX
   * Runtime takes no shared memory as input, and a private copy per step costs less than one per product.
   */
  private readonly masterG: readonly Weight[]
  private readonly masterD: readonly Weight[]
  /** This replica's own generatorVariables and discriminatorVariables (the master lists when alone). */
  private readonly ownG: readonly Weight[]
  private readonly ownD: readonly Weight[]
  private readonly numRows: number
  /** Packs in the whole batch (loss normalisation) and in this replica's share of it (buffer layout). */
  private readonly packs: number
  private readonly localPacks: number
  /** Rows of this replica's share of the batch. */
  private readonly rows: number
  private readonly rowWidth: number
  private readonly dInput: number
  /** Softmax spans [start, size] in row coordinates. */
  private readonly spans: readonly (readonly [number, number])[]
  /** For each conditional-vector position, the (start, size) of its column's span in row coordinates. */
  private readonly condSpan: Int32Array
  /** Host buffers reused from step to step; each is read before it is refilled. */
  private readonly spanScratch: Float64Array
  private readonly outputs: { readonly kept: Float32Array[]; readonly scratch: Float32Array[] } = {
    kept: [],
    scratch: [],
  }
  /** Bulk uniforms (the Rng's `uniform()` sequence, drawn in one loop). */
  private readonly uniforms: Float64Array
  private readonly buf: {
    readonly input: Float32Array
    readonly noise: Float32Array
    readonly cond: Float32Array
    readonly both: Float32Array
    readonly interp: Float32Array
    readonly packed: Float32Array
    readonly dRaw: Float32Array
    readonly perm: Int32Array
    readonly masks: Float32Array[]
  }

  constructor(
    private readonly engine: MatrixEngine,
    readonly arch: Architecture,
    readonly nets: Networks,
    private readonly encoded: EncodedTable,
    private readonly sampler: CondSampler,
    readonly hp: TrainerHyperparameters,
    public rng: Rng,
    options: TrainerOptions = {},
  ) {
    this.replicas = options.replicas ?? soloReplicas
    this.normReplicas = options.syncBatchNorm === false ? soloReplicas : this.replicas
    this.numRows = encoded.data.length / arch.dataDim
    this.packs = hp.batchSize / arch.pac
    this.rows = hp.batchSize / this.replicas.count
    this.localPacks = this.rows / arch.pac
    if (!Number.isInteger(this.localPacks))
      throw new Error(`batch ${hp.batchSize} does not split into ${this.replicas.count} replicas of whole packs`)
    this.rowWidth = arch.dataDim + arch.condDim
    this.dInput = arch.pac * this.rowWidth
    this.spans = arch.spans
    this.condSpan = new Int32Array(arch.condDim * 2)
    for (const c of sampler.columns) {
      for (let j = 0; j < c.spanSize; j++) {
        this.condSpan[2 * (c.condStart + j)] = c.spanStart
        this.condSpan[2 * (c.condStart + j) + 1] = c.spanSize
      }
    }
    const b = this.rows
    const packs = this.localPacks
    this.spanScratch = new Float64Array(Math.max(1, ...arch.spans.map(([, n]) => n)))
    const maxHidden = Math.max(0, ...arch.discriminatorDims)
    this.uniforms = new Float64Array(Math.max(b * arch.dataDim, 2 * packs * maxHidden))
    this.buf = {
      input: new Float32Array(b * (arch.embeddingDim + arch.condDim)),
      noise: new Float32Array(b * arch.embeddingDim),
      cond: new Float32Array(b * arch.condDim),
      both: new Float32Array(2 * packs * this.dInput),
      interp: new Float32Array(packs * this.dInput),
      packed: new Float32Array(packs * this.dInput),
      dRaw: new Float32Array(b * arch.dataDim),
      perm: new Int32Array(b),
      // D step: fake+real packs and interpolated packs per hidden layer; G step reuses the first set.
      masks: arch.discriminatorDims.flatMap((h) => [new Float32Array(2 * packs * h), new Float32Array(packs * h)]),
    }
    const shared = options.shared
    const inSharedMemory = this.replicas.count > 1
    const storage =
      (prefix: string) =>
      (name: string, length: number): Float32Array => {
        const key = `${prefix}.${name}`
        const array =
          shared?.get(key) ??
          (inSharedMemory ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length))
        if (array.length !== length)
          throw new Error(`shared trainer storage ${key} has ${array.length} values, expected ${length}`)
        this.storage.set(key, array)
        return array
      }
    const nameOf = new Map(namedWeights(nets).map(([name, w]) => [w, name]))
    const weightStorage = storage('weights')
    const masterOf = (w: Weight): Weight => {
      const values = weightStorage(nameOf.get(w)!, w.values.length)
      if (shared === undefined) values.set(w.values)
      return { shape: w.shape, values }
    }
    this.ownG = generatorVariables(nets)
    this.ownD = discriminatorVariables(nets)
    this.masterG = inSharedMemory ? this.ownG.map(masterOf) : this.ownG
    this.masterD = inSharedMemory ? this.ownD.map(masterOf) : this.ownD
    this.optG = new Adam(
      this.masterG,
      hp.learningRate,
      hp.beta1,
      hp.beta2,
      hp.generatorDecay,
      undefined,
      storage('adam.g'),
    )
    this.optD = new Adam(
      this.masterD,
      hp.learningRate,
      hp.beta1,
      hp.beta2,
      hp.discriminatorDecay,
      undefined,
      storage('adam.d'),
    )
    const averageStorage = storage('average.g')
    this.average =
      hp.generatorAverage > 0
        ? this.masterG.map((w, i) => {
            const a = averageStorage(`${i}`, w.values.length)
            if (shared === undefined) a.set(w.values)
            return a
          })
        : null
  }

  /** The values [lo, hi) of a parameter this replica updates. */
  private readonly shard = (length: number): [number, number] =>
    shardOf(length, this.replicas.rank, this.replicas.count)

  /**
   * The generator weights to sample from, by name: the last weights, or their moving average with batch-norm
   * statistics recomputed for it ("standing statistics": the mean of batch statistics over `batches` batches
   * drawn with the sampling-time condition frequencies), since running statistics belong to the raw weights.
   */
  generatorWeights(batches = 20): Map<string, Weight> {
    const out = new Map<string, Weight>()
    if (this.average === null) {
      for (const [name, w] of namedWeights(this.nets)) if (name.startsWith('generator.')) out.set(name, w)
      return out
    }
    // The averages are in generatorVariables order; running statistics start empty.
    const avg = this.average
    const averageOf = new Map(this.ownG.map((w, i) => [w, avg[i]!]))
    // Copies: the averages may live in shared memory, which ONNX Runtime does not take as input.
    const averageFor = (w: Weight): Weight => ({ shape: w.shape, values: Float32Array.from(averageOf.get(w)!) })
    const empty = (w: Weight): Weight => ({ shape: w.shape, values: new Float32Array(w.values.length) })
    const blocks = this.nets.blocks.map((b) => ({
      w: averageFor(b.w),
      gamma: averageFor(b.gamma),
      beta: averageFor(b.beta),
      runMean: empty(b.runMean),
      runVar: empty(b.runVar),
    }))
    const averaged: Networks = {
      ...this.nets,
      blocks,
      outW: averageFor(this.nets.outW),
      outB: averageFor(this.nets.outB),
    }
    // This replica alone (the others have stopped), on as many rows in all as `batches` whole batches.
    const total = batches * this.replicas.count
    for (let i = 0; i < total; i++) {
      // Momentum 1/(i+1): after the last batch the statistics are the plain mean over all batches.
      this.generatorForward(this.noiseAndCond('true').input, this.rows, false, averaged, 1 / (i + 1), false)
    }
    // Every array of `averaged` is a fresh copy (averageFor, empty), so it is handed out as is.
    for (const [name, w] of namedWeights(averaged)) if (name.startsWith('generator.')) out.set(name, w)
    return out
  }

  /** Moves this replica's shard of the average towards the current weights. */
  private updateAverage(): void {
    const avg = this.average
    if (avg === null) return
    const t = this.optG.step
    const decay = Math.min(this.hp.generatorAverage, (1 + t) / (10 + t))
    this.masterG.forEach((w, i) => {
      const a = avg[i]!
      const v = w.values
      const [lo, hi] = this.shard(a.length)
      for (let j = lo; j < hi; j++) a[j] = decay * a[j]! + (1 - decay) * v[j]!
    })
  }

  get stepsPerEpoch(): number {
    return Math.max(1, Math.floor(this.numRows / this.hp.batchSize))
  }

  /** One epoch; returns the mean generator and discriminator losses. */
  epoch(signal?: AbortSignal): { lossG: number; lossD: number } {
    const sums = { g: 0, d: 0 }
    for (let s = 0; s < this.stepsPerEpoch; s++) this.step(sums, signal)
    return this.meanLosses(sums)
  }

  /**
   * One epoch as `epoch`, giving the event loop a turn every `sliceMs`: a signal raised by an event (the
   * CLI's SIGINT handler, a timer) can only be seen then, so training stops within a step of Ctrl-C rather
   * than ignoring it to the end.
   */
  async epochYielding(signal?: AbortSignal, sliceMs = 50): Promise<{ lossG: number; lossD: number }> {
    const sums = { g: 0, d: 0 }
    let sliceStart = performance.now()
    for (let s = 0; s < this.stepsPerEpoch; s++) {
      if (performance.now() - sliceStart >= sliceMs) {
        await setImmediate()
        sliceStart = performance.now()
      }
      this.step(sums, signal)
    }
    return this.meanLosses(sums)
  }

  private step(sums: { g: number; d: number }, signal: AbortSignal | undefined): void {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted')
    for (let k = 0; k < this.hp.discriminatorSteps; k++) sums.d += this.discriminatorStep()
    sums.g += this.generatorStep()
  }

  private meanLosses(sums: { g: number; d: number }): { lossG: number; lossD: number } {
    return { lossG: sums.g / this.stepsPerEpoch, lossD: sums.d / (this.stepsPerEpoch * this.hp.discriminatorSteps) }
  }

  // ---- random inputs -------------------------------------------------------------------------

  private noiseAndCond(frequencies: 'log' | 'true' = 'log'): {
    input: Float32Array
    cond: Float32Array
    slots: { column: Int32Array; slot: Int32Array }
  } {
    const b = this.rows
    const { embeddingDim, condDim } = this.arch
    const width = embeddingDim + condDim
    const input = this.buf.input
    const noise = this.rng.fillNormal(this.buf.noise)
    const cond = this.buf.cond
    cond.fill(0)
    const slots = this.sampler.isEmpty
      ? { column: new Int32Array(0), slot: new Int32Array(0) }
      : this.sampler.sample(this.rng, b, condDim, cond, frequencies)
    for (let i = 0; i < b; i++) {
      input.set(noise.subarray(i * embeddingDim, (i + 1) * embeddingDim), i * width)
      input.set(cond.subarray(i * condDim, (i + 1) * condDim), i * width + embeddingDim)
    }
    return { input, cond, slots }
  }

  /** Dropout keep-masks (scaled by 1/(1−p)) for `packs` packs, one per hidden layer; `set` picks the buffers. */
  private masks(packs: number, set: 0 | 1): Float32Array[] {
    const keep = 1 - this.hp.dropout
    const scale = keep > 0 ? 1 / keep : 0
    return this.arch.discriminatorDims.map((h, layer) => {
      const m = this.buf.masks[2 * layer + set]!.subarray(0, packs * h)
      const u = this.rng.fillUniform64(this.uniforms, 0, m.length)
      for (let i = 0; i < m.length; i++) m[i] = u[i]! < keep ? scale : 0
      return m
    })
  }

  /**
   * Real rows matching a permutation of the sampled conditions, each followed by that condition's vector
   * (one-hot in the chosen column only, as the fake rows get); written at `into[offset…]`.
   */
  private realRows(
    slots: { column: Int32Array; slot: Int32Array },
    cond: Float32Array,
    into: Float32Array,
    offset: number,
  ): void {
    const b = this.rows
    const { dataDim, condDim } = this.arch
    const width = this.rowWidth
    const data = this.encoded.data
    const perm = this.buf.perm
    for (let i = 0; i < b; i++) perm[i] = i
    for (let i = b - 1; i > 0; i--) {
      const j = this.rng.int(i + 1)
      const t = perm[i]!
      perm[i] = perm[j]!
      perm[j] = t
    }
    for (let i = 0; i < b; i++) {
      let row: number
      const p = perm[i]!
      if (slots.column.length === 0) row = this.rng.int(this.numRows)
      else {
        const list = this.encoded.rowsBySlot[slots.column[p]!]![slots.slot[p]!]!
        row = list[this.rng.int(list.length)]!
      }
      into.set(data.subarray(row * dataDim, (row + 1) * dataDim), offset + i * width)
      into.set(cond.subarray(p * condDim, (p + 1) * condDim), offset + i * width + dataDim)
    }
  }

  /**
   * Output activations: tanh on α, Gumbel-softmax (τ) per span; rows written with their conditional vector
   * as [fake | cond] at `into[offset…]` (the packed discriminator layout).
   */
  private activate(raw: Float32Array, cond: Float32Array, into: Float32Array, offset: number): void {
    const b = this.rows
    const { dataDim, condDim, numContinuous } = this.arch
    const width = this.rowWidth
    const invTau = 1 / this.hp.tau
    const fifth = invTau === 5
    const scratch = this.spanScratch
    // One uniform per span entry, in row order: the values uniformOpen() would give, drawn in one loop.
    const spanEntries = dataDim - numContinuous
    const uniforms = this.rng.fillUniform64(this.uniforms, 0, b * spanEntries)
    let next = 0
    for (let i = 0; i < b; i++) {
      const src = i * dataDim
      const dst = offset + i * width
      for (let j = 0; j < numContinuous; j++) into[dst + j] = Math.tanh(raw[src + j]!)
      for (const [start, size] of this.spans) {
        let max = Number.NEGATIVE_INFINITY
        for (let t = 0; t < size; t++) {
          const y = raw[src + start + t]! * invTau
          scratch[t] = y
          if (y > max) max = y
        }
        // exp((raw + g)/τ) with Gumbel g = −log E, E ~ Exp(1), is exp(raw/τ)·E^(−1/τ): one logarithm per
        // entry instead of two. Float64 scratch: E^(−1/τ) reaches ~1e50 at τ = 0.2.
        let sum = 0
        for (let t = 0; t < size; t++) {
          const e = -Math.log(uniforms[next++]! + HALF_ULP)
          const w = Math.exp(scratch[t]! - max) * (fifth ? 1 / (e * e * e * e * e) : e ** -invTau)
          scratch[t] = w
          sum += w
        }
        const inv = 1 / sum
        for (let t = 0; t < size; t++) into[dst + start + t] = scratch[t]! * inv
      }
      for (let j = 0; j < condDim; j++) into[dst + dataDim + j] = cond[i * condDim + j]!
    }
  }

  // ---- generator -----------------------------------------------------------------------------

  /**
   * A block's output buffer, reused from step to step: one set for passes whose caches the backward pass
   * reads (the generator step's), one for passes only read forward (the discriminator step's, standing statistics).
   */
  private blockOutput(keep: boolean, block: number, size: number): Float32Array {
    const set = keep ? this.outputs.kept : this.outputs.scratch
    let buffer = set[block]
    if (buffer === undefined || buffer.length !== size) {
      buffer = new Float32Array(size)
      set[block] = buffer
    }
    return buffer
  }

  /**
   * Training-mode forward: batch statistics; running statistics updated as PyTorch does (momentum 0.1, unbiased).
   * `keep`: whether the backward pass will need the block caches (x̂); the discriminator step's pass does not.
   * `together`: batch statistics over every replica's rows (sync batch norm), as one batch would give.
   */
  private generatorForward(
    input: Float32Array,
    rows: number,
    keep: boolean,
    nets: Networks = this.nets,
    momentum = BATCH_NORM_MOMENTUM,
    together = true,
  ): GeneratorPass {
    const replicas = together ? this.normReplicas : soloReplicas
    const engine = this.engine
    const blocks: BlockCache[] = []
    let h = input
    let width = this.arch.embeddingDim + this.arch.condDim
    for (const [index, block] of nets.blocks.entries()) {
      const units = block.gamma.values.length
      const pre = engine.gemm(h, block.w.values, rows, width, units)
      const { mean, inv } = batchStatistics(
        pre,
        rows,
        units,
        block.runMean.values,
        block.runVar.values,
        momentum,
        replicas,
      )
      // x̂ = (pre − mean)·inv, y = γ·x̂ + β (written over `pre`) and the ReLU output, in one pass.
      const xhat = keep ? new Float32Array(rows * units) : EMPTY
      const y = pre
      const gamma = block.gamma.values
      const beta = block.beta.values
      const nextWidth = units + width
      const next = this.blockOutput(keep, index, rows * nextWidth)
      for (let r = 0; r < rows; r++) {
        const o = r * units
        const n = r * nextWidth
        for (let j = 0; j < units; j++) {
          const x = (pre[o + j]! - mean[j]!) * inv[j]!
          if (keep) xhat[o + j] = x
          const v = x * gamma[j]! + beta[j]!
          y[o + j] = v
          next[n + j] = Math.max(v, 0)
        }
        next.set(h.subarray(r * width, (r + 1) * width), n + units)
      }
      blocks.push({ input: h, inputWidth: width, xhat, inv, y })
      h = next
      width = nextWidth
    }
    const raw = engine.gemm(h, nets.outW.values, rows, width, this.arch.dataDim)
    addRowVector(raw, rows, nets.outB.values)
    return { blocks, last: h, lastWidth: width, raw }
  }

  /** Backward through the generator from ∂L/∂raw; returns gradients in generatorVariables order. */
  private generatorBackward(pass: GeneratorPass, dRaw: Float32Array, rows: number): Float32Array[] {
    const engine = this.engine
    const dataDim = this.arch.dataDim
    const dOutW = engine.gemm(pass.last, dRaw, pass.lastWidth, rows, dataDim, true)
    const dOutB = columnSums(dRaw, rows, dataDim)
    let dh = engine.gemm(dRaw, this.nets.outW.values, rows, dataDim, pass.lastWidth, false, true)
    let dhWidth = pass.lastWidth
    const grads: Float32Array[][] = []
    for (let i = this.nets.blocks.length - 1; i >= 0; i--) {
      const block = this.nets.blocks[i]!
      const cache = pass.blocks[i]!
      const units = block.gamma.values.length
      const gamma = block.gamma.values
      const dy = new Float32Array(rows * units)
      const sums = new Float64Array(2 * units)
      for (let r = 0; r < rows; r++) {
        const o = r * units
        const s = r * dhWidth
        for (let j = 0; j < units; j++) {
          const d = cache.y[o + j]! > 0 ? dh[s + j]! : 0
          dy[o + j] = d
          sums[j]! += d * cache.xhat[o + j]!
          sums[units + j]! += d
        }
      }
      // Σ(dy·x̂) and Σdy over the whole batch: they are γ's and β's gradients, and ∂L/∂pre needs them.
      this.normReplicas.sum(sums)
      const dGamma = sums.subarray(0, units)
      const dBeta = sums.subarray(units)
      // ∂L/∂pre = γ·inv/n · (n·dy − Σdy − x̂·Σ(dy·x̂)) over the n rows of the whole batch, written over dy.
      const n = rows * this.normReplicas.count
      const dPre = dy
      for (let r = 0; r < rows; r++) {
        const o = r * units
        for (let j = 0; j < units; j++) {
          dPre[o + j] =
            ((gamma[j]! * cache.inv[j]!) / n) * (n * dy[o + j]! - dBeta[j]! - cache.xhat[o + j]! * dGamma[j]!)
        }
      }
      // With shared statistics, γ's and β's gradients are already whole-batch sums: only the first replica
      // contributes them to the exchange.
      const own = this.normReplicas.count === 1 || this.replicas.rank === 0
      grads.unshift([
        engine.gemm(cache.input, dPre, cache.inputWidth, rows, units, true),
        own ? Float32Array.from(dGamma) : new Float32Array(units),
        own ? Float32Array.from(dBeta) : new Float32Array(units),
      ])
      if (i > 0) {
        // The block input's gradient: its pass-through share of dh plus dPre·Wᵀ.
        const back = engine.gemm(dPre, block.w.values, rows, units, cache.inputWidth, false, true)
        for (let r = 0; r < rows; r++) {
          const s = r * dhWidth + units
          const o = r * cache.inputWidth
          for (let c = 0; c < cache.inputWidth; c++) back[o + c]! += dh[s + c]!
        }
        dh = back
        dhWidth = cache.inputWidth
      }
    }
    return [...grads.flat(), dOutW, dOutB]
  }

  // ---- discriminator -------------------------------------------------------------------------

  private discriminatorForward(
    x: Float32Array,
    rows: number,
    masks: readonly Float32Array[],
    withScore: boolean,
  ): DiscriminatorPass {
    const hidden = this.nets.dW.length - 1
    const inputs: Float32Array[] = [x]
    const widths: number[] = [this.dInput]
    const gates: Float32Array[] = []
    let h = x
    let width = this.dInput
    for (let i = 0; i < hidden; i++) {
      const units = this.arch.discriminatorDims[i]!
      const pre = this.engine.gemm(h, this.nets.dW[i]!.values, rows, width, units)
      const bias = this.nets.dB[i]!.values
      const mask = masks[i]!
      const gate = new Float32Array(rows * units)
      for (let r = 0; r < rows; r++) {
        const o = r * units
        for (let j = 0; j < units; j++) {
          const p = pre[o + j]! + bias[j]!
          const k = (p > 0 ? 1 : LEAKY_SLOPE) * mask[o + j]!
          gate[o + j] = k
          pre[o + j] = p * k
        }
      }
      gates.push(gate)
      inputs.push(pre)
      widths.push(units)
      h = pre
      width = units
    }
    let score: Float32Array | null = null
    if (withScore) {
      const w = this.nets.dW[hidden]!.values
      const b = this.nets.dB[hidden]!.values[0]!
      score = new Float32Array(rows)
      for (let r = 0; r < rows; r++) {
        let s = b
        const o = r * width
        for (let j = 0; j < width; j++) s += h[o + j]! * w[j]!
        score[r] = s
      }
    }
    return { rows, inputs, widths, gates, score }
  }

  /** Backward from ∂L/∂score [rows]: weight gradients (discriminatorVariables order) and/or ∂L/∂input. */
  private discriminatorBackward(
    pass: DiscriminatorPass,
    dScore: Float32Array,
    weights: boolean,
    input: boolean,
  ): { grads: Float32Array[]; dInput: Float32Array | null } {
    const engine = this.engine
    const rows = pass.rows
    const hidden = this.nets.dW.length - 1
    const dWs: Float32Array[] = []
    const dBs: Float32Array[] = []
    const last = pass.inputs[hidden]!
    const lastWidth = pass.widths[hidden]!
    const wLast = this.nets.dW[hidden]!.values
    if (weights) {
      const dW = new Float32Array(lastWidth)
      let dB = 0
      for (let r = 0; r < rows; r++) {
        const d = dScore[r]!
        dB += d
        for (let j = 0; j < lastWidth; j++) dW[j]! += last[r * lastWidth + j]! * d
      }
      dWs[hidden] = dW
      dBs[hidden] = Float32Array.of(dB)
    }
    let dh: Float32Array = new Float32Array(rows * lastWidth)
    for (let r = 0; r < rows; r++) for (let j = 0; j < lastWidth; j++) dh[r * lastWidth + j] = dScore[r]! * wLast[j]!
    let dInput: Float32Array | null = null
    for (let i = hidden - 1; i >= 0; i--) {
      const units = this.arch.discriminatorDims[i]!
      const gate = pass.gates[i]!
      const dPre = dh
      for (let j = 0; j < dPre.length; j++) dPre[j]! *= gate[j]!
      if (weights) {
        dWs[i] = engine.gemm(pass.inputs[i]!, dPre, pass.widths[i]!, rows, units, true)
        dBs[i] = columnSums(dPre, rows, units)
      }
      if (i > 0) dh = engine.gemm(dPre, this.nets.dW[i]!.values, rows, units, pass.widths[i]!, false, true)
      else if (input) dInput = engine.gemm(dPre, this.nets.dW[0]!.values, rows, units, this.dInput, false, true)
    }
    return { grads: weights ? [...dWs, ...dBs] : [], dInput }
  }

  /**
   * WGAN-GP: λ·mean_p(‖∂score/∂x_p‖ − 1)² on the interpolated packs, and its gradient with respect to the
   * discriminator weights (biases get none: the gates are piecewise constant).
   */
  private gradientPenalty(pass: DiscriminatorPass): { loss: number; grads: (Float32Array | null)[] } {
    const engine = this.engine
    const hidden = this.nets.dW.length - 1
    const lambda = this.hp.gradientPenalty
    const packs = pass.rows
    // The penalty is a mean over the whole batch's packs, of which this replica holds `packs`.
    const allPacks = this.packs
    const dims = this.arch.discriminatorDims
    const us: Float32Array[] = new Array(hidden)
    const top = dims[hidden - 1]!
    const wLast = this.nets.dW[hidden]!.values
    let u: Float32Array = new Float32Array(packs * top)
    const topGate = pass.gates[hidden - 1]!
    for (let r = 0; r < packs; r++) for (let j = 0; j < top; j++) u[r * top + j] = topGate[r * top + j]! * wLast[j]!
    us[hidden - 1] = u
    for (let i = hidden - 1; i >= 1; i--) {
      u = engine.gemm(u, this.nets.dW[i]!.values, packs, dims[i]!, dims[i - 1]!, false, true)
      const gate = pass.gates[i - 1]!
      for (let j = 0; j < u.length; j++) u[j]! *= gate[j]!
      us[i - 1] = u
    }
    const width = this.dInput
    const g = engine.gemm(u, this.nets.dW[0]!.values, packs, dims[0]!, width, false, true)
    let loss = 0
    for (let p = 0; p < packs; p++) {
      let sq = 0
      for (let j = 0; j < width; j++) sq += g[p * width + j]! ** 2
      const norm = Math.sqrt(sq + 1e-12)
      const excess = norm - 1
      loss += (lambda * excess * excess) / allPacks
      // ∂loss/∂g, written over g.
      const scale = ((excess / norm) * 2 * lambda) / allPacks
      for (let j = 0; j < width; j++) g[p * width + j]! *= scale
    }
    const dg = g
    const grads: (Float32Array | null)[] = new Array(2 * (hidden + 1)).fill(null)
    grads[0] = engine.gemm(dg, us[0]!, width, packs, dims[0]!, true)
    let du = engine.gemm(dg, this.nets.dW[0]!.values, packs, width, dims[0]!)
    for (let i = 1; i < hidden; i++) {
      const gate = pass.gates[i - 1]!
      for (let j = 0; j < du.length; j++) du[j]! *= gate[j]!
      grads[i] = engine.gemm(du, us[i]!, dims[i - 1]!, packs, dims[i]!, true)
      du = engine.gemm(du, this.nets.dW[i]!.values, packs, dims[i - 1]!, dims[i]!)
    }
    const dLast = new Float32Array(top)
    for (let r = 0; r < packs; r++) for (let j = 0; j < top; j++) dLast[j]! += du[r * top + j]! * topGate[r * top + j]!
    grads[hidden] = dLast
    return { loss, grads }
  }

  // ---- steps ---------------------------------------------------------------------------------

  /** After an update in a replica group: this replica's own weights from the master copies (alone they are one). */
  private copyMaster(master: readonly Weight[], own: readonly Weight[]): void {
    if (master === own) return
    for (const [i, w] of master.entries()) own[i]!.values.set(w.values)
  }

  /** One discriminator update; returns its loss. */
  discriminatorStep(): number {
    const own = this.discriminatorGradients()
    const { parts, loss } = this.replicas.exchange(own.grads, own.loss)
    this.optD.apply(parts, this.shard)
    this.replicas.barrier()
    this.copyMaster(this.masterD, this.ownD)
    return loss
  }

  /** The discriminator loss and its gradients (one or two parts per variable, summed by the optimizer); draws from the Rng. */
  discriminatorGradients(): { loss: number; grads: Float32Array[][] } {
    const packs = this.localPacks
    const { input, cond, slots } = this.noiseAndCond()
    const raw = this.generatorForward(input, this.rows, false).raw
    // [fake packs | real packs] in one buffer, and the interpolation (one α per pack).
    const both = this.buf.both
    this.activate(raw, cond, both, 0)
    this.realRows(slots, cond, both, packs * this.dInput)
    const interp = this.buf.interp
    for (let p = 0; p < packs; p++) {
      const a = this.rng.uniform()
      const f = p * this.dInput
      const r = (packs + p) * this.dInput
      for (let j = 0; j < this.dInput; j++) interp[f + j] = both[f + j]! + a * (both[r + j]! - both[f + j]!)
    }
    const pass = this.discriminatorForward(both, 2 * packs, this.masks(2 * packs, 0), true)
    // L = mean(D(fake)) − mean(D(real)) + GP, means over the whole batch's packs.
    const dScore = new Float32Array(2 * packs)
    dScore.fill(1 / this.packs, 0, packs)
    dScore.fill(-1 / this.packs, packs)
    let wasserstein = 0
    for (let p = 0; p < 2 * packs; p++) wasserstein += pass.score![p]! * dScore[p]!
    const main = this.discriminatorBackward(pass, dScore, true, false).grads
    const gp = this.gradientPenalty(this.discriminatorForward(interp, packs, this.masks(packs, 1), false))
    return { loss: wasserstein + gp.loss, grads: main.map((m, i) => (gp.grads[i] === null ? [m] : [m, gp.grads[i]!])) }
  }

  /** One generator update; returns its loss. */
  generatorStep(): number {
    const own = this.generatorGradients()
    const { parts, loss } = this.replicas.exchange(own.grads, own.loss)
    this.optG.apply(parts, this.shard)
    this.updateAverage()
    this.replicas.barrier()
    this.copyMaster(this.masterG, this.ownG)
    return loss
  }

  /** The generator loss (adversarial + condition cross-entropy) and its gradients; draws from the Rng. */
  generatorGradients(): { loss: number; grads: Float32Array[][] } {
    const b = this.rows
    const packs = this.localPacks
    // Losses are means over the whole batch (every replica's rows and packs).
    const allRows = this.hp.batchSize
    const allPacks = this.packs
    const { dataDim, condDim, numContinuous } = this.arch
    const width = this.rowWidth
    const { input, cond } = this.noiseAndCond()
    const gen = this.generatorForward(input, b, true)
    const raw = gen.raw
    const packed = this.buf.packed
    this.activate(raw, cond, packed, 0)
    const pass = this.discriminatorForward(packed, packs, this.masks(packs, 0), true)
    const dScore = new Float32Array(packs).fill(-1 / allPacks)
    const score = pass.score!
    const dInput = this.discriminatorBackward(pass, dScore, false, true).dInput!
    // Backward through the activations, plus the condition cross-entropy on the raw logits.
    const dRaw = this.buf.dRaw
    const invTau = 1 / this.hp.tau
    let crossEntropy = 0
    for (let i = 0; i < b; i++) {
      const src = i * width
      const dst = i * dataDim
      for (let j = 0; j < numContinuous; j++) {
        const a = packed[src + j]!
        dRaw[dst + j] = dInput[src + j]! * (1 - a * a)
      }
      for (const [start, size] of this.spans) {
        let dot = 0
        for (let t = 0; t < size; t++) dot += dInput[src + start + t]! * packed[src + start + t]!
        for (let t = 0; t < size; t++)
          dRaw[dst + start + t] = packed[src + start + t]! * (dInput[src + start + t]! - dot) * invTau
      }
      for (let j = 0; j < condDim; j++) {
        if (cond[i * condDim + j] !== 1) continue
        const start = this.condSpan[2 * j]!
        const size = this.condSpan[2 * j + 1]!
        const target = this.arch.condOffset + j
        let max = Number.NEGATIVE_INFINITY
        for (let t = 0; t < size; t++) max = Math.max(max, raw[dst + start + t]!)
        let sum = 0
        for (let t = 0; t < size; t++) sum += Math.exp(raw[dst + start + t]! - max)
        const logSum = max + Math.log(sum)
        crossEntropy -= raw[dst + target]! - logSum
        for (let t = 0; t < size; t++) dRaw[dst + start + t]! += Math.exp(raw[dst + start + t]! - logSum) / allRows
        dRaw[dst + target]! -= 1 / allRows
      }
    }
    let adversarial = 0
    for (let p = 0; p < packs; p++) adversarial -= score[p]! / allPacks
    const grads = this.generatorBackward(gen, dRaw, b)
    return { loss: adversarial + crossEntropy / allRows, grads: grads.map((g) => [g]) }
  }
}

const EMPTY = new Float32Array(0)

/** Half of 2⁻³²: added to a 32-bit uniform in [0, 1) it lies in (0, 1), as Rng.uniformOpen() gives. */
const HALF_ULP = 0.5 / 4294967296

/**
 * Batch statistics per column of `pre` [rows, units] over the rows of every replica: the mean and
 * 1/√(var + ε) with the biased variance, as BatchNorm normalises; the running statistics move by the momentum
 * with the unbiased variance. One pass of float64 sums (Σx, Σx²) and one exchange between replicas: the
 * pre-activations are O(1), so E[x²] − E[x]² loses nothing that matters in float64.
 */
function batchStatistics(
  pre: Float32Array,
  rows: number,
  units: number,
  runMean: Float32Array,
  runVar: Float32Array,
  momentum: number,
  replicas: Replicas,
): { mean: Float64Array; inv: Float32Array } {
  const n = rows * replicas.count
  const sums = new Float64Array(2 * units)
  for (let r = 0; r < rows; r++) {
    const o = r * units
    for (let j = 0; j < units; j++) {
      const x = pre[o + j]!
      sums[j]! += x
      sums[units + j]! += x * x
    }
  }
  replicas.sum(sums)
  const mean = sums.subarray(0, units)
  const inv = new Float32Array(units)
  const m = momentum
  for (let j = 0; j < units; j++) {
    mean[j]! /= n
    const variance = Math.max(0, sums[units + j]! / n - mean[j]! * mean[j]!)
    inv[j] = 1 / Math.sqrt(variance + BATCH_NORM_EPSILON)
    runMean[j] = (1 - m) * runMean[j]! + m * mean[j]!
    runVar[j] = (1 - m) * runVar[j]! + (m * variance * n) / Math.max(1, n - 1)
  }
  return { mean, inv }
}

function addRowVector(x: Float32Array, rows: number, v: Float32Array): void {
  const n = v.length
  for (let r = 0; r < rows; r++) for (let j = 0; j < n; j++) x[r * n + j]! += v[j]!
}

function columnSums(x: Float32Array, rows: number, cols: number): Float32Array {
  const sums = new Float64Array(cols)
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) sums[j]! += x[r * cols + j]!
  return Float32Array.from(sums)
}
