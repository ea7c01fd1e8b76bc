import type * as TF from '@tensorflow/tfjs'
import type { CondSampler } from './CondSampler.js'
import type { EncodedTable } from './DataTransformer.js'
import { HostAdam } from './HostAdam.js'
import type { Tf } from './loadTf.js'
import type { Architecture, Networks } from './networks.js'
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM, LEAKY_SLOPE, discriminatorVariables, generatorVariables } from './networks.js'
import type { Rng } from './Rng.js'

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
}

interface BlockCache {
  readonly input: TF.Tensor2D
  readonly xhat: TF.Tensor2D
  readonly inv: TF.Tensor1D
  readonly active: TF.Tensor2D
}

interface GeneratorPass {
  readonly blocks: readonly BlockCache[]
  readonly last: TF.Tensor2D
  readonly raw: TF.Tensor2D
}

interface DiscriminatorPass {
  /** Inputs of each layer (packed input, then hidden activations). */
  readonly inputs: readonly TF.Tensor2D[]
  /** Per hidden layer: LeakyReLU slope × dropout keep-mask. */
  readonly gates: readonly TF.Tensor2D[]
  readonly score: TF.Tensor2D
}

/**
 * CTGAN training (Xu et al. 2019) with hand-written forward and backward passes, split between the
 * device and the host by what each does fastest (profiled on tfjs-wasm, see bench/RESULTS.md (CTGAN section)):
 * - device (wasm/XNNPACK or tfjs-node): every matrix product, always untransposed (a transposed matMul on
 *   wasm is ~15× slower), batch norm and the discriminator's gates;
 * - host (Float32Array loops): the output activations (tanh, Gumbel-softmax per span) and their
 *   gradients, the condition cross-entropy, packing rows for PacGAN, the interpolation of the gradient
 *   penalty, and Adam — each a single pass over a few hundred thousand floats, where wasm would spend a
 *   kernel launch and a full pass per elementwise operation.
 * No autodiff tape: the WGAN-GP penalty (Gulrajani et al. 2017) is differentiated in closed form. The
 * discriminator is piecewise linear, so its input gradient is g = (((w_L ⊙ k_L) W_{L−1}ᵀ ⊙ k_{L−1}) …) W_0ᵀ
 * with fixed gates k (LeakyReLU slope × dropout), and ∂λ(‖g‖−1)²/∂W follows by the chain rule.
 * All randomness (noise, conditions, real rows, dropout, Gumbel, interpolation) comes from the seeded Rng.
 */
export class CtganTrainer {
  readonly optG: HostAdam
  readonly optD: HostAdam
  private readonly numRows: number
  private readonly packs: number
  private readonly rowWidth: number
  private readonly dInput: number
  /** Softmax spans [start, size] in row coordinates. */
  private readonly spans: readonly (readonly [number, number])[]
  /** For each conditional-vector position, the (start, size) of its column's span in row coordinates. */
  private readonly condSpan: Int32Array
  /**
   * Host buffers reused from step to step (no garbage per step). Each backs at most one live tensor at a
   * time: the cpu backend keeps a reference to the array it is given instead of copying it.
   */
  private readonly spanScratch: Float64Array
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
    private readonly tf: Tf,
    readonly arch: Architecture,
    readonly nets: Networks,
    private readonly encoded: EncodedTable,
    private readonly sampler: CondSampler,
    readonly hp: TrainerHyperparameters,
    public rng: Rng,
  ) {
    this.numRows = encoded.data.length / arch.dataDim
    this.packs = hp.batchSize / arch.pac
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
    const b = hp.batchSize
    this.spanScratch = new Float64Array(Math.max(1, ...arch.spans.map(([, n]) => n)))
    this.buf = {
      input: new Float32Array(b * (arch.embeddingDim + arch.condDim)),
      noise: new Float32Array(b * arch.embeddingDim),
      cond: new Float32Array(b * arch.condDim),
      both: new Float32Array(2 * this.packs * this.dInput),
      interp: new Float32Array(this.packs * this.dInput),
      packed: new Float32Array(this.packs * this.dInput),
      dRaw: new Float32Array(b * arch.dataDim),
      perm: new Int32Array(b),
      // D step: fake+real packs and interpolated packs per hidden layer; G step reuses the first set.
      masks: arch.discriminatorDims.flatMap((h) => [new Float32Array(2 * this.packs * h), new Float32Array(this.packs * h)]),
    }
    const g = generatorVariables(nets)
    const d = discriminatorVariables(nets)
    // Transposes needed: generator weights after the first block (backward), discriminator weights (backward and penalty).
    this.optG = new HostAdam(tf, g, hp.learningRate, hp.beta1, hp.beta2, hp.generatorDecay, g.map((v, i) => i > 0 && v.rank === 2 && v.shape[1] !== 1))
    // The first discriminator layer is the largest matrix (pac·row width × 256): rather than transposing it
    // every step, products with its transpose are formed as (W·xᵀ)ᵀ, transposing the much smaller activations.
    this.optD = new HostAdam(tf, d, hp.learningRate, hp.beta1, hp.beta2, hp.discriminatorDecay, d.map((v, i) => i > 0 && v.rank === 2 && v.shape[1] !== 1))
  }

  get stepsPerEpoch(): number {
    return Math.max(1, Math.floor(this.numRows / this.hp.batchSize))
  }

  /** One epoch; returns the mean generator and discriminator losses. */
  epoch(signal?: AbortSignal): { lossG: number; lossD: number } {
    let sumG = 0
    let sumD = 0
    for (let s = 0; s < this.stepsPerEpoch; s++) {
      if (signal?.aborted) throw signal.reason ?? new Error('aborted')
      for (let k = 0; k < this.hp.discriminatorSteps; k++) sumD += this.tf.tidy(() => this.discriminatorStep())
      sumG += this.tf.tidy(() => this.generatorStep())
    }
    return { lossG: sumG / this.stepsPerEpoch, lossD: sumD / (this.stepsPerEpoch * this.hp.discriminatorSteps) }
  }

  // ---- random inputs (host) ------------------------------------------------------------------

  private noiseAndCond(): { input: TF.Tensor2D; cond: Float32Array; slots: { column: Int32Array; slot: Int32Array } } {
    const b = this.hp.batchSize
    const { embeddingDim, condDim } = this.arch
    const width = embeddingDim + condDim
    const input = this.buf.input
    const noise = this.rng.fillNormal(this.buf.noise)
    const cond = this.buf.cond
    cond.fill(0)
    const slots = this.sampler.isEmpty ? { column: new Int32Array(0), slot: new Int32Array(0) } : this.sampler.sample(this.rng, b, condDim, cond, 'log')
    for (let i = 0; i < b; i++) {
      input.set(noise.subarray(i * embeddingDim, (i + 1) * embeddingDim), i * width)
      input.set(cond.subarray(i * condDim, (i + 1) * condDim), i * width + embeddingDim)
    }
    return { input: this.tf.tensor2d(input, [b, width]), cond, slots }
  }

  /** Dropout keep-masks (scaled by 1/(1−p)) for `packs` packs, one per hidden layer; `set` picks the buffers. */
  private masks(packs: number, set: 0 | 1): TF.Tensor2D[] {
    const keep = 1 - this.hp.dropout
    const scale = keep > 0 ? 1 / keep : 0
    return this.arch.discriminatorDims.map((h, layer) => {
      const m = this.buf.masks[2 * layer + set]!.subarray(0, packs * h)
      for (let i = 0; i < m.length; i++) m[i] = this.rng.uniform() < keep ? scale : 0
      return this.tf.tensor2d(m, [packs, h])
    })
  }

  /**
   * Real rows matching a permutation of the sampled conditions, each followed by that condition's vector
   * (one-hot in the chosen column only, as the fake rows get); written at `into[offset…]`.
   */
  private realRows(slots: { column: Int32Array; slot: Int32Array }, cond: Float32Array, into: Float32Array, offset: number): void {
    const b = this.hp.batchSize
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
   * Output activations on the host: tanh on α, Gumbel-softmax (τ) per span; rows written with their
   * conditional vector as [fake | cond] at `into[offset…]` (the packed discriminator layout).
   */
  private activate(raw: Float32Array, cond: Float32Array, into: Float32Array, offset: number): void {
    const b = this.hp.batchSize
    const { dataDim, condDim, numContinuous } = this.arch
    const width = this.rowWidth
    const invTau = 1 / this.hp.tau
    const fifth = invTau === 5
    const scratch = this.spanScratch
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
          const e = -Math.log(this.rng.uniformOpen())
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

  // ---- generator (device) --------------------------------------------------------------------

  /** Training-mode forward: batch statistics; running statistics updated as PyTorch does (momentum 0.1, unbiased). */
  private generatorForward(input: TF.Tensor2D): GeneratorPass {
    const tf = this.tf
    const n = input.shape[0]
    const blocks: BlockCache[] = []
    let h = input
    for (const block of this.nets.blocks) {
      const pre = tf.matMul(h, block.w as TF.Tensor as TF.Tensor2D)
      const { mean, variance } = tf.moments(pre, 0)
      const inv = tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON)) as TF.Tensor1D
      const xhat = tf.mul(tf.sub(pre, mean), inv) as TF.Tensor2D
      const y = tf.add(tf.mul(xhat, block.gamma), block.beta) as TF.Tensor2D
      const m = BATCH_NORM_MOMENTUM
      block.runMean.assign(tf.add(tf.mul(block.runMean, 1 - m), tf.mul(mean, m)))
      block.runVar.assign(tf.add(tf.mul(block.runVar, 1 - m), tf.mul(variance, (m * n) / Math.max(1, n - 1))))
      const active = tf.step(y, 0) as TF.Tensor2D
      blocks.push({ input: h, xhat, inv, active })
      h = tf.concat([tf.relu(y) as TF.Tensor2D, h], 1)
    }
    const raw = tf.add(tf.matMul(h, this.nets.outW as TF.Tensor as TF.Tensor2D), this.nets.outB) as TF.Tensor2D
    return { blocks, last: h, raw }
  }

  /** Backward through the generator from ∂L/∂raw; returns gradients in generatorVariables order. */
  private generatorBackward(pass: GeneratorPass, dRaw: TF.Tensor2D): TF.Tensor[] {
    const tf = this.tf
    const t = this.optG.transposed
    const nb = this.nets.blocks.length
    const dOutW = tf.matMul(tf.transpose(pass.last), dRaw)
    const dOutB = tf.sum(dRaw, 0)
    let dh = tf.matMul(dRaw, t[3 * nb]!)
    const n = dRaw.shape[0]
    const grads: TF.Tensor[][] = []
    for (let i = nb - 1; i >= 0; i--) {
      const block = this.nets.blocks[i]!
      const cache = pass.blocks[i]!
      const width = block.gamma.shape[0]!
      const [dA, dIn] = tf.split(dh, [width, dh.shape[1]! - width], 1) as [TF.Tensor2D, TF.Tensor2D]
      const dy = tf.mul(dA, cache.active) as TF.Tensor2D
      const dGamma = tf.sum(tf.mul(dy, cache.xhat), 0)
      const dBeta = tf.sum(dy, 0)
      // ∂L/∂pre = γ·inv/n · (n·dy − Σdy − x̂·Σ(dy·x̂))
      const dPre = tf.mul(tf.sub(tf.sub(tf.mul(dy, n), dBeta), tf.mul(cache.xhat, dGamma)), tf.mul(tf.mul(block.gamma, cache.inv), 1 / n)) as TF.Tensor2D
      grads.unshift([tf.matMul(tf.transpose(cache.input), dPre), dGamma, dBeta])
      if (i > 0) dh = tf.add(dIn, tf.matMul(dPre, t[3 * i]!))
    }
    return [...grads.flat(), dOutW, dOutB]
  }

  // ---- discriminator (device) ----------------------------------------------------------------

  /** x·W_iᵀ for discriminator layer i, with the kept transpose or as (W_i·xᵀ)ᵀ. */
  private timesTransposed(x: TF.Tensor2D, i: number): TF.Tensor2D {
    const tf = this.tf
    const t = this.optD.transposed[i]
    if (t !== null && t !== undefined) return tf.matMul(x, t)
    return tf.transpose(tf.matMul(this.nets.dW[i] as TF.Tensor as TF.Tensor2D, tf.transpose(x))) as TF.Tensor2D
  }

  private discriminatorForward(x: TF.Tensor2D, masks: readonly TF.Tensor2D[], withScore: boolean): DiscriminatorPass {
    const tf = this.tf
    const hidden = this.nets.dW.length - 1
    const inputs: TF.Tensor2D[] = [x]
    const gates: TF.Tensor2D[] = []
    let h = x
    for (let i = 0; i < hidden; i++) {
      const pre = tf.add(tf.matMul(h, this.nets.dW[i] as TF.Tensor as TF.Tensor2D), this.nets.dB[i]!) as TF.Tensor2D
      const gate = tf.mul(tf.step(pre, LEAKY_SLOPE), masks[i]!) as TF.Tensor2D
      gates.push(gate)
      h = tf.mul(pre, gate) as TF.Tensor2D
      inputs.push(h)
    }
    const score = withScore ? (tf.add(tf.matMul(h, this.nets.dW[hidden] as TF.Tensor as TF.Tensor2D), this.nets.dB[hidden]!) as TF.Tensor2D) : h
    return { inputs, gates, score }
  }

  /** Backward from ∂L/∂score [rows, 1]: weight gradients (discriminatorVariables order) and/or ∂L/∂input. */
  private discriminatorBackward(pass: DiscriminatorPass, dScore: TF.Tensor2D, weights: boolean, input: boolean): { grads: TF.Tensor[]; dInput: TF.Tensor2D | null } {
    const tf = this.tf
    const hidden = this.nets.dW.length - 1
    const dWs: TF.Tensor[] = []
    const dBs: TF.Tensor[] = []
    if (weights) {
      dWs[hidden] = tf.matMul(tf.transpose(pass.inputs[hidden]!), dScore)
      dBs[hidden] = tf.sum(dScore, 0)
    }
    let dh = tf.mul(dScore, tf.reshape(this.nets.dW[hidden]!, [1, -1])) as TF.Tensor2D
    let dInput: TF.Tensor2D | null = null
    for (let i = hidden - 1; i >= 0; i--) {
      const dPre = tf.mul(dh, pass.gates[i]!) as TF.Tensor2D
      if (weights) {
        dWs[i] = tf.matMul(tf.transpose(pass.inputs[i]!), dPre)
        dBs[i] = tf.sum(dPre, 0)
      }
      if (i > 0) dh = this.timesTransposed(dPre, i)
      else if (input) dInput = this.timesTransposed(dPre, 0)
    }
    return { grads: weights ? [...dWs, ...dBs] : [], dInput }
  }

  /**
   * WGAN-GP: λ·mean_p(‖∂score/∂x_p‖ − 1)² on the interpolated packs, and its gradient with respect to the
   * discriminator weights (biases get none: the gates are piecewise constant).
   */
  private gradientPenalty(pass: DiscriminatorPass): { loss: TF.Scalar; grads: (TF.Tensor | null)[] } {
    const tf = this.tf
    const hidden = this.nets.dW.length - 1
    const lambda = this.hp.gradientPenalty
    const packs = pass.inputs[0]!.shape[0]
    const us: TF.Tensor2D[] = new Array(hidden)
    let u = tf.mul(pass.gates[hidden - 1]!, tf.reshape(this.nets.dW[hidden]!, [1, -1])) as TF.Tensor2D
    us[hidden - 1] = u
    for (let i = hidden - 1; i >= 1; i--) {
      u = tf.mul(this.timesTransposed(u, i), pass.gates[i - 1]!) as TF.Tensor2D
      us[i - 1] = u
    }
    const g = this.timesTransposed(u, 0)
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), 1, true), 1e-12))
    const excess = tf.sub(norm, 1)
    const loss = tf.mul(tf.mean(tf.square(excess)), lambda) as TF.Scalar
    const dg = tf.mul(g, tf.mul(tf.div(excess, norm), (2 * lambda) / packs)) as TF.Tensor2D
    const grads: (TF.Tensor | null)[] = new Array(2 * (hidden + 1)).fill(null)
    grads[0] = tf.matMul(tf.transpose(dg), us[0]!)
    let du = tf.matMul(dg, this.nets.dW[0] as TF.Tensor as TF.Tensor2D)
    for (let i = 1; i < hidden; i++) {
      const dv = tf.mul(du, pass.gates[i - 1]!) as TF.Tensor2D
      grads[i] = tf.matMul(tf.transpose(dv), us[i]!)
      du = tf.matMul(dv, this.nets.dW[i] as TF.Tensor as TF.Tensor2D)
    }
    grads[hidden] = tf.reshape(tf.sum(tf.mul(du, pass.gates[hidden - 1]!), 0), [-1, 1])
    return { loss, grads }
  }

  // ---- steps ---------------------------------------------------------------------------------

  /** One discriminator update; returns its loss (call inside tf.tidy). */
  discriminatorStep(): number {
    const { loss, grads } = this.discriminatorGradients()
    this.optD.apply(grads)
    return loss
  }

  /** The discriminator loss and its gradients (one or two parts per variable, summed by the optimizer); draws from the Rng. */
  discriminatorGradients(): { loss: number; grads: TF.Tensor[][] } {
    const tf = this.tf
    const packs = this.packs
    const { input, cond, slots } = this.noiseAndCond()
    const raw = this.generatorForward(input).raw.dataSync() as Float32Array
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
    const pass = this.discriminatorForward(tf.tensor2d(both, [2 * packs, this.dInput]), this.masks(2 * packs, 0), true)
    // L = mean(D(fake)) − mean(D(real)) + GP.
    const sign = new Float32Array(2 * packs)
    sign.fill(1 / packs, 0, packs)
    sign.fill(-1 / packs, packs)
    const dScore = tf.tensor2d(sign, [2 * packs, 1])
    const wasserstein = tf.sum(tf.mul(pass.score, dScore))
    const main = this.discriminatorBackward(pass, dScore, true, false).grads
    const gp = this.gradientPenalty(this.discriminatorForward(tf.tensor2d(interp, [packs, this.dInput]), this.masks(packs, 1), false))
    const loss = tf.add(wasserstein, gp.loss).dataSync()[0]!
    return { loss, grads: main.map((m, i) => (gp.grads[i] === null ? [m] : [m, gp.grads[i]!])) }
  }

  /** One generator update; returns its loss (call inside tf.tidy). */
  generatorStep(): number {
    const { loss, grads } = this.generatorGradients()
    this.optG.apply(grads)
    return loss
  }

  /** The generator loss (adversarial + condition cross-entropy) and its gradients; draws from the Rng. */
  generatorGradients(): { loss: number; grads: TF.Tensor[][] } {
    const tf = this.tf
    const b = this.hp.batchSize
    const packs = this.packs
    const { dataDim, condDim, numContinuous } = this.arch
    const width = this.rowWidth
    const { input, cond } = this.noiseAndCond()
    const gen = this.generatorForward(input)
    const raw = gen.raw.dataSync() as Float32Array
    const packed = this.buf.packed
    this.activate(raw, cond, packed, 0)
    const pass = this.discriminatorForward(tf.tensor2d(packed, [packs, this.dInput]), this.masks(packs, 0), true)
    const dScore = tf.fill([packs, 1], -1 / packs) as TF.Tensor2D
    const score = pass.score.dataSync() as Float32Array
    const dInput = this.discriminatorBackward(pass, dScore, false, true).dInput!.dataSync() as Float32Array
    // Host backward through the activations, plus the condition cross-entropy on the raw logits.
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
        for (let t = 0; t < size; t++) dRaw[dst + start + t] = packed[src + start + t]! * (dInput[src + start + t]! - dot) * invTau
      }
      for (let j = 0; j < condDim; j++) {
        if (cond[i * condDim + j] !== 1) continue
        const start = this.condSpan[2 * j]!
        const size = this.condSpan[2 * j + 1]!
        const target = numContinuous + (this.arch.condOffset - numContinuous) + j
        let max = Number.NEGATIVE_INFINITY
        for (let t = 0; t < size; t++) max = Math.max(max, raw[dst + start + t]!)
        let sum = 0
        for (let t = 0; t < size; t++) sum += Math.exp(raw[dst + start + t]! - max)
        const logSum = max + Math.log(sum)
        crossEntropy -= raw[dst + target - numContinuous + numContinuous]! - logSum
        for (let t = 0; t < size; t++) dRaw[dst + start + t]! += Math.exp(raw[dst + start + t]! - logSum) / b
        dRaw[dst + target]! -= 1 / b
      }
    }
    let adversarial = 0
    for (let p = 0; p < packs; p++) adversarial -= score[p]! / packs
    const grads = this.generatorBackward(gen, tf.tensor2d(dRaw, [b, dataDim]))
    return { loss: adversarial + crossEntropy / b, grads: grads.map((g) => [g]) }
  }

  dispose(): void {
    this.optG.dispose()
    this.optD.dispose()
  }
}
