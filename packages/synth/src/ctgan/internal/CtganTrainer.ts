import type * as TF from '@tensorflow/tfjs'
import { Adam } from './Adam.js'
import type { CondSampler } from './CondSampler.js'
import type { EncodedTable } from './DataTransformer.js'
import type { Tf } from './loadTf.js'
import type { Architecture, Networks } from './networks.js'
import { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM, LEAKY_SLOPE, discriminatorVariables, generatorVariables } from './networks.js'
import type { Rng } from './Rng.js'
import { SpanSoftmax } from './SpanSoftmax.js'

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

interface ActivationPass {
  readonly alpha: TF.Tensor2D
  readonly soft: TF.Tensor2D
  readonly fake: TF.Tensor2D
}

interface DiscriminatorPass {
  /** Inputs of each layer (packed input, then hidden activations). */
  readonly inputs: readonly TF.Tensor2D[]
  /** Per hidden layer: LeakyReLU slope × dropout keep-mask. */
  readonly gates: readonly TF.Tensor2D[]
  readonly score: TF.Tensor2D
}

/**
 * CTGAN training (Xu et al. 2019) with hand-written forward and backward passes. The architecture is fixed,
 * so the gradients are written out once: no autodiff tape, every matrix product a plain (untransposed)
 * matMul — on tfjs-wasm a transposed matMul is ~15× slower — and the WGAN-GP penalty
 * (Gulrajani et al. 2017) differentiated in closed form: the discriminator is piecewise linear, so its
 * input gradient is g = (((w_L ⊙ k_L) W_{L−1}ᵀ ⊙ k_{L−1}) …) W_0ᵀ with fixed gates k (LeakyReLU slope ×
 * dropout), and ∂λ(‖g‖−1)²/∂W follows by the chain rule through those products. Fake, real and
 * interpolated packs go through the discriminator as separate batched passes, one step = ~200 kernels.
 * All randomness (noise, conditions, real rows, dropout, Gumbel, interpolation) comes from the seeded Rng.
 */
export class CtganTrainer {
  readonly optG: Adam
  readonly optD: Adam
  private readonly numRows: number
  private readonly spanWidth: number
  private readonly span: SpanSoftmax
  private readonly packs: number
  private readonly dInput: number

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
    this.spanWidth = arch.dataDim - arch.numContinuous
    this.span = new SpanSoftmax(
      tf,
      arch.spans.map(([s, n]) => [s - arch.numContinuous, n] as const),
      this.spanWidth,
    )
    this.packs = hp.batchSize / arch.pac
    this.dInput = arch.pac * (arch.dataDim + arch.condDim)
    this.optG = new Adam(tf, generatorVariables(nets), hp.learningRate, hp.beta1, hp.beta2, hp.generatorDecay)
    this.optD = new Adam(tf, discriminatorVariables(nets), hp.learningRate, hp.beta1, hp.beta2, hp.discriminatorDecay)
  }

  get stepsPerEpoch(): number {
    return Math.max(1, Math.floor(this.numRows / this.hp.batchSize))
  }

  /** One epoch; returns the mean generator and discriminator losses (one device read per epoch). */
  epoch(signal?: AbortSignal): { lossG: number; lossD: number } {
    const tf = this.tf
    const losses = tf.buffer([2])
    let sum = tf.zeros([2])
    try {
      for (let s = 0; s < this.stepsPerEpoch; s++) {
        if (signal?.aborted) throw signal.reason ?? new Error('aborted')
        const next = tf.tidy(() => {
          let d: TF.Scalar = tf.scalar(0)
          for (let k = 0; k < this.hp.discriminatorSteps; k++) d = tf.add(d, this.discriminatorStep())
          const g = this.generatorStep()
          return tf.add(sum, tf.stack([g, tf.div(d, this.hp.discriminatorSteps)]))
        })
        sum.dispose()
        sum = next
      }
      const values = sum.dataSync()
      losses.set(values[0]! / this.stepsPerEpoch, 0)
      return { lossG: values[0]! / this.stepsPerEpoch, lossD: values[1]! / this.stepsPerEpoch }
    } finally {
      sum.dispose()
    }
  }

  // ---- random inputs -------------------------------------------------------------------------

  private noiseAndCond(): { input: TF.Tensor2D; cond: Float32Array; slots: { column: Int32Array; slot: Int32Array } } {
    const b = this.hp.batchSize
    const { embeddingDim, condDim } = this.arch
    const width = embeddingDim + condDim
    const input = new Float32Array(b * width)
    const noise = this.rng.fillNormal(new Float32Array(b * embeddingDim))
    const cond = new Float32Array(b * condDim)
    const slots = this.sampler.isEmpty ? { column: new Int32Array(0), slot: new Int32Array(0) } : this.sampler.sample(this.rng, b, condDim, cond, 'log')
    for (let i = 0; i < b; i++) {
      input.set(noise.subarray(i * embeddingDim, (i + 1) * embeddingDim), i * width)
      input.set(cond.subarray(i * condDim, (i + 1) * condDim), i * width + embeddingDim)
    }
    return { input: this.tf.tensor2d(input, [b, width]), cond, slots }
  }

  /** Dropout keep-masks (scaled by 1/(1−p)) for `packs` packs, one per hidden layer. */
  private masks(packs: number): TF.Tensor2D[] {
    const keep = 1 - this.hp.dropout
    const scale = keep > 0 ? 1 / keep : 0
    return this.arch.discriminatorDims.map((h) => {
      const m = new Float32Array(packs * h)
      for (let i = 0; i < m.length; i++) m[i] = this.rng.uniform() < keep ? scale : 0
      return this.tf.tensor2d(m, [packs, h])
    })
  }

  private gumbel(): TF.Tensor2D {
    const b = this.hp.batchSize
    return this.tf.tensor2d(this.rng.fillGumbel(new Float32Array(b * this.spanWidth)), [b, this.spanWidth])
  }

  /** Real rows (with their own conditional vectors) matching a permutation of the sampled conditions. */
  private realRows(slots: { column: Int32Array; slot: Int32Array }): Float32Array {
    const b = this.hp.batchSize
    const { dataDim, condDim, condOffset } = this.arch
    const width = dataDim + condDim
    const data = this.encoded.data
    const out = new Float32Array(b * width)
    const perm = Int32Array.from({ length: b }, (_, i) => i)
    for (let i = b - 1; i > 0; i--) {
      const j = this.rng.int(i + 1)
      const t = perm[i]!
      perm[i] = perm[j]!
      perm[j] = t
    }
    for (let i = 0; i < b; i++) {
      let row: number
      if (slots.column.length === 0) row = this.rng.int(this.numRows)
      else {
        const p = perm[i]!
        const list = this.encoded.rowsBySlot[slots.column[p]!]![slots.slot[p]!]!
        row = list[this.rng.int(list.length)]!
      }
      out.set(data.subarray(row * dataDim, (row + 1) * dataDim), i * width)
      out.set(data.subarray(row * dataDim + condOffset, (row + 1) * dataDim), i * width + dataDim)
    }
    return out
  }

  // ---- generator -----------------------------------------------------------------------------

  /** Training-mode forward: batch statistics; running statistics updated as PyTorch does (momentum 0.1, unbiased). */
  private generatorForward(input: TF.Tensor2D): GeneratorPass {
    const tf = this.tf
    const n = input.shape[0]
    const blocks: BlockCache[] = []
    let h = input
    for (const block of this.nets.blocks) {
      const pre = tf.matMul(h, block.w as TF.Tensor as TF.Tensor2D)
      const mean = tf.mean(pre, 0) as TF.Tensor1D
      const centered = tf.sub(pre, mean) as TF.Tensor2D
      const variance = tf.mean(tf.square(centered), 0) as TF.Tensor1D
      const inv = tf.rsqrt(tf.add(variance, BATCH_NORM_EPSILON)) as TF.Tensor1D
      const xhat = tf.mul(centered, inv) as TF.Tensor2D
      const y = tf.add(tf.mul(xhat, block.gamma), block.beta) as TF.Tensor2D
      const m = BATCH_NORM_MOMENTUM
      block.runMean.assign(tf.add(tf.mul(block.runMean, 1 - m), tf.mul(mean, m)))
      block.runVar.assign(tf.add(tf.mul(block.runVar, 1 - m), tf.mul(variance, (m * n) / Math.max(1, n - 1))))
      const active = tf.step(y, 0) as TF.Tensor2D
      blocks.push({ input: h, xhat, inv, active })
      h = tf.concat([tf.mul(y, active) as TF.Tensor2D, h], 1)
    }
    const raw = tf.add(tf.matMul(h, this.nets.outW as TF.Tensor as TF.Tensor2D), this.nets.outB) as TF.Tensor2D
    return { blocks, last: h, raw }
  }

  /** tanh on α, Gumbel-softmax at temperature τ on every span; returns the fake rows [batch, dataDim]. */
  private activate(raw: TF.Tensor2D, gumbel: TF.Tensor2D): ActivationPass {
    const tf = this.tf
    const nc = this.arch.numContinuous
    const [rawAlpha, rawSpans] = tf.split(raw, [nc, this.spanWidth], 1) as [TF.Tensor2D, TF.Tensor2D]
    const alpha = tf.tanh(rawAlpha)
    const soft = this.span.softmax(tf.mul(tf.add(rawSpans, gumbel), 1 / this.hp.tau) as TF.Tensor2D).p
    return { alpha, soft, fake: tf.concat([alpha, soft], 1) }
  }

  /** Backward through activation and generator, given ∂L/∂fake and ∂L/∂raw (condition loss); returns grads per variable. */
  private generatorBackward(pass: GeneratorPass, act: ActivationPass, dFake: TF.Tensor2D, dRawExtra: TF.Tensor2D): TF.Tensor[] {
    const tf = this.tf
    const nc = this.arch.numContinuous
    const [dAlpha, dSoft] = tf.split(dFake, [nc, this.spanWidth], 1) as [TF.Tensor2D, TF.Tensor2D]
    const dRawAlpha = tf.mul(dAlpha, tf.sub(1, tf.square(act.alpha)))
    const dRawSpans = tf.add(tf.mul(this.span.softmaxGrad(act.soft, dSoft), 1 / this.hp.tau), dRawExtra)
    const dRaw = tf.concat([dRawAlpha, dRawSpans], 1) as TF.Tensor2D
    const dOutW = tf.matMul(tf.transpose(pass.last), dRaw)
    const dOutB = tf.sum(dRaw, 0)
    let dh = tf.matMul(dRaw, tf.transpose(this.nets.outW as TF.Tensor as TF.Tensor2D))
    const n = dRaw.shape[0]
    const grads: TF.Tensor[][] = []
    for (let i = this.nets.blocks.length - 1; i >= 0; i--) {
      const block = this.nets.blocks[i]!
      const cache = pass.blocks[i]!
      const width = block.gamma.shape[0]!
      const [dA, dIn] = tf.split(dh, [width, dh.shape[1]! - width], 1) as [TF.Tensor2D, TF.Tensor2D]
      const dy = tf.mul(dA, cache.active) as TF.Tensor2D
      const dGamma = tf.sum(tf.mul(dy, cache.xhat), 0)
      const dBeta = tf.sum(dy, 0)
      // ∂L/∂pre = γ·inv/n · (n·dy − Σdy − x̂·Σ(dy·x̂))
      const dPre = tf.mul(
        tf.sub(tf.sub(tf.mul(dy, n), dBeta), tf.mul(cache.xhat, dGamma)),
        tf.mul(tf.mul(block.gamma, cache.inv), 1 / n),
      ) as TF.Tensor2D
      const dW = tf.matMul(tf.transpose(cache.input), dPre)
      grads.unshift([dW, dGamma, dBeta])
      if (i > 0) dh = tf.add(dIn, tf.matMul(dPre, tf.transpose(block.w as TF.Tensor as TF.Tensor2D)))
    }
    return [...grads.flat(), dOutW, dOutB]
  }

  // ---- discriminator -------------------------------------------------------------------------

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

  /**
   * Backward from ∂L/∂score [rows, 1]. Returns weight gradients (when asked) and ∂L/∂input (when asked).
   */
  private discriminatorBackward(pass: DiscriminatorPass, dScore: TF.Tensor2D, weights: boolean, input: boolean): { grads: TF.Tensor[] | null; dInput: TF.Tensor2D | null } {
    const tf = this.tf
    const hidden = this.nets.dW.length - 1
    const dWs: TF.Tensor[] = new Array(hidden + 1)
    const dBs: TF.Tensor[] = new Array(hidden + 1)
    if (weights) {
      dWs[hidden] = tf.matMul(tf.transpose(pass.inputs[hidden]!), dScore)
      dBs[hidden] = tf.sum(dScore, 0)
    }
    // ∂L/∂h_last = dScore · w_lastᵀ (a broadcast product, w_last is a column).
    let dh = tf.mul(dScore, tf.reshape(this.nets.dW[hidden]!, [1, -1])) as TF.Tensor2D
    let dInput: TF.Tensor2D | null = null
    for (let i = hidden - 1; i >= 0; i--) {
      const dPre = tf.mul(dh, pass.gates[i]!) as TF.Tensor2D
      if (weights) {
        dWs[i] = tf.matMul(tf.transpose(pass.inputs[i]!), dPre)
        dBs[i] = tf.sum(dPre, 0)
      }
      if (i > 0 || input) {
        const next = tf.matMul(dPre, tf.transpose(this.nets.dW[i] as TF.Tensor as TF.Tensor2D))
        if (i > 0) dh = next
        else dInput = next
      }
    }
    return { grads: weights ? [...dWs, ...dBs] : null, dInput }
  }

  /**
   * WGAN-GP: λ·mean_p(‖∂score/∂x_p‖ − 1)² on the interpolated packs, and its gradient with respect to the
   * discriminator weights (biases get none: the gates are piecewise constant).
   */
  private gradientPenalty(pass: DiscriminatorPass): { loss: TF.Scalar; grads: TF.Tensor[] } {
    const tf = this.tf
    const hidden = this.nets.dW.length - 1
    const lambda = this.hp.gradientPenalty
    const packs = pass.inputs[0]!.shape[0]
    // Forward chain: u_L = k_L ⊙ w_Lᵀ; v = u W ᵀ; u = v ⊙ k; … ; g = u_0 W_0ᵀ.
    const us: TF.Tensor2D[] = new Array(hidden)
    let u = tf.mul(pass.gates[hidden - 1]!, tf.reshape(this.nets.dW[hidden]!, [1, -1])) as TF.Tensor2D
    us[hidden - 1] = u
    for (let i = hidden - 1; i >= 1; i--) {
      const v = tf.matMul(u, tf.transpose(this.nets.dW[i] as TF.Tensor as TF.Tensor2D))
      u = tf.mul(v, pass.gates[i - 1]!) as TF.Tensor2D
      us[i - 1] = u
    }
    const g = tf.matMul(u, tf.transpose(this.nets.dW[0] as TF.Tensor as TF.Tensor2D))
    const norm = tf.sqrt(tf.add(tf.sum(tf.square(g), 1, true), 1e-12))
    const excess = tf.sub(norm, 1)
    const loss = tf.mul(tf.mean(tf.square(excess)), lambda) as TF.Scalar
    // Backward: dg = 2λ/P · (‖g‖−1)/‖g‖ · g.
    const dg = tf.mul(g, tf.mul(tf.div(excess, norm), (2 * lambda) / packs)) as TF.Tensor2D
    const grads: TF.Tensor[] = new Array(2 * (hidden + 1))
    grads[0] = tf.matMul(tf.transpose(dg), us[0]!)
    let du = tf.matMul(dg, this.nets.dW[0] as TF.Tensor as TF.Tensor2D)
    for (let i = 1; i < hidden; i++) {
      const dv = tf.mul(du, pass.gates[i - 1]!) as TF.Tensor2D
      grads[i] = tf.matMul(tf.transpose(dv), us[i]!)
      du = tf.matMul(dv, this.nets.dW[i] as TF.Tensor as TF.Tensor2D)
    }
    // u_last = k_last ⊙ w_lastᵀ ⇒ ∂/∂w_last = Σ_p du ⊙ k_last, as a column.
    grads[hidden] = tf.reshape(tf.sum(tf.mul(du, pass.gates[hidden - 1]!), 0), [-1, 1])
    for (let i = 0; i <= hidden; i++) grads[hidden + 1 + i] = tf.zerosLike(this.nets.dB[i]!)
    return { loss, grads }
  }

  // ---- steps ---------------------------------------------------------------------------------

  /** One discriminator update; returns its loss (call inside tf.tidy). */
  discriminatorStep(): TF.Scalar {
    const tf = this.tf
    const b = this.hp.batchSize
    const packs = this.packs
    const { dataDim, condDim } = this.arch
    const { input, cond, slots } = this.noiseAndCond()
    const gumbel = this.gumbel()
    const real = tf.tensor2d(this.realRows(slots), [packs, this.dInput])
    const maskFR = this.masks(2 * packs)
    const maskI = this.masks(packs)
    const alpha = tf.tensor2d(this.rng.fillUniform(new Float32Array(packs)), [packs, 1])
    const fake = this.activate(this.generatorForward(input).raw, gumbel).fake
    const fakePacked = tf.reshape(tf.concat([fake, tf.tensor2d(cond, [b, condDim])], 1), [packs, this.dInput]) as TF.Tensor2D
    void dataDim
    const both = tf.concat([fakePacked, real], 0)
    const interp = tf.add(fakePacked, tf.mul(tf.sub(real, fakePacked), alpha)) as TF.Tensor2D
    const pass = this.discriminatorForward(both, maskFR, true)
    // L = mean(D(fake)) − mean(D(real)) + GP.
    const sign = new Float32Array(2 * packs)
    sign.fill(1 / packs, 0, packs)
    sign.fill(-1 / packs, packs)
    const dScore = tf.tensor2d(sign, [2 * packs, 1])
    const wasserstein = tf.sum(tf.mul(pass.score, dScore))
    const main = this.discriminatorBackward(pass, dScore, true, false).grads!
    const gp = this.gradientPenalty(this.discriminatorForward(interp, maskI, false))
    const grads = main.map((g, i) => tf.add(g, gp.grads[i]!))
    this.optD.apply(grads)
    return tf.add(wasserstein, gp.loss) as TF.Scalar
  }

  /** One generator update; returns its loss (call inside tf.tidy). */
  generatorStep(): TF.Scalar {
    const tf = this.tf
    const b = this.hp.batchSize
    const packs = this.packs
    const { dataDim, condDim, numContinuous } = this.arch
    const { input, cond } = this.noiseAndCond()
    const gumbel = this.gumbel()
    const masks = this.masks(packs)
    const gen = this.generatorForward(input)
    const act = this.activate(gen.raw, gumbel)
    const condT = tf.tensor2d(cond, [b, condDim])
    const x = tf.reshape(tf.concat([act.fake, condT], 1), [packs, this.dInput]) as TF.Tensor2D
    const pass = this.discriminatorForward(x, masks, true)
    const dScore = tf.fill([packs, 1], -1 / packs) as TF.Tensor2D
    const adversarial = tf.neg(tf.mean(pass.score))
    const dInput = this.discriminatorBackward(pass, dScore, false, true).dInput!
    const dFake = tf.slice(tf.reshape(dInput, [b, dataDim + condDim]), [0, 0], [b, dataDim]) as TF.Tensor2D
    // Condition loss: cross-entropy of the chosen column's logits against the condition, summed, / batch.
    const spanCond = new Float32Array(b * this.spanWidth)
    const indicator = new Float32Array(b * this.spanWidth)
    const offset = this.arch.condOffset - numContinuous
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < condDim; j++) {
        if (cond[i * condDim + j] !== 1) continue
        spanCond[i * this.spanWidth + offset + j] = 1
        const column = this.sampler.columns.find((c) => j >= c.condStart && j < c.condStart + c.spanSize)!
        indicator.fill(1, i * this.spanWidth + offset + column.condStart, i * this.spanWidth + offset + column.condStart + column.spanSize)
      }
    }
    let conditionLoss: TF.Scalar = tf.scalar(0)
    let dRawExtra: TF.Tensor2D = tf.zeros([b, this.spanWidth])
    if (condDim > 0) {
      const target = tf.tensor2d(spanCond, [b, this.spanWidth])
      const rawSpans = tf.slice(gen.raw, [0, numContinuous], [b, this.spanWidth]) as TF.Tensor2D
      const { p, logp } = this.span.softmax(rawSpans, true)
      conditionLoss = tf.div(tf.neg(tf.sum(tf.mul(logp!, target))), b) as TF.Scalar
      dRawExtra = tf.div(tf.sub(tf.mul(p, tf.tensor2d(indicator, [b, this.spanWidth])), target), b) as TF.Tensor2D
    }
    const grads = this.generatorBackward(gen, act, dFake, dRawExtra)
    this.optG.apply(grads)
    return tf.add(adversarial, conditionLoss) as TF.Scalar
  }

  dispose(): void {
    this.optG.dispose()
    this.optD.dispose()
    this.span.dispose()
  }
}
