import type * as TF from '@tensorflow/tfjs'
import type { Tf } from './loadTf.js'
import type { Rng } from './Rng.js'

/**
 * The CTGAN networks (Xu et al. 2019, §4.4): a generator of residual blocks
 * (Linear → BatchNorm → ReLU, output concatenated with the block input) and a PacGAN discriminator
 * (Linear → LeakyReLU 0.2 → Dropout per layer, `pac` rows judged together).
 *
 * Written as explicit tensor expressions rather than tf.layers so that
 * - every matrix product goes through `dense`, whose gradient uses explicit transposes: on the WebAssembly
 *   backend a transposed matMul is ~15× slower than transpose + plain matMul (measured), and autodiff's
 *   default matMul gradient uses transposed products;
 * - the WGAN-GP gradient penalty needs only first-order autodiff: the discriminator is piecewise linear,
 *   so its input gradient is a product of weight matrices and fixed masks (LeakyReLU slopes × dropout),
 *   written out in `discriminatorInputGradient`;
 * - all randomness (noise, dropout, Gumbel, interpolation) comes from our seeded Rng, not tfjs' global RNG.
 * The bias of a Linear layer followed by BatchNorm is omitted: BatchNorm's mean subtraction cancels it.
 */
export interface Architecture {
  readonly embeddingDim: number
  readonly generatorDims: readonly number[]
  readonly discriminatorDims: readonly number[]
  readonly pac: number
  readonly dataDim: number
  readonly condDim: number
  /** Number of α (tanh) outputs, first in a row. */
  readonly numContinuous: number
  /** Softmax spans [start, size] after the α block (mode spans then discrete spans). */
  readonly spans: readonly (readonly [number, number])[]
  /** Offset of the discrete spans (the conditional vector) inside a row. */
  readonly condOffset: number
}

export interface GeneratorBlock {
  readonly w: TF.Variable
  readonly gamma: TF.Variable
  readonly beta: TF.Variable
  readonly runMean: TF.Variable
  readonly runVar: TF.Variable
}

export interface Networks {
  readonly blocks: readonly GeneratorBlock[]
  readonly outW: TF.Variable
  readonly outB: TF.Variable
  /** Discriminator layers: weights [in, out] and biases [out]; the last maps to one score. */
  readonly dW: readonly TF.Variable[]
  readonly dB: readonly TF.Variable[]
}

export const BATCH_NORM_EPSILON = 1e-5
export const BATCH_NORM_MOMENTUM = 0.1
export const LEAKY_SLOPE = 0.2

/** Names and tensors in a fixed order: the weight file layout. */
export function namedWeights(nets: Networks): [string, TF.Variable][] {
  const out: [string, TF.Variable][] = []
  nets.blocks.forEach((b, i) => {
    out.push([`generator.block${i}.weight`, b.w], [`generator.block${i}.bn.gamma`, b.gamma], [`generator.block${i}.bn.beta`, b.beta])
    out.push([`generator.block${i}.bn.running_mean`, b.runMean], [`generator.block${i}.bn.running_var`, b.runVar])
  })
  out.push(['generator.out.weight', nets.outW], ['generator.out.bias', nets.outB])
  nets.dW.forEach((w, i) => out.push([`discriminator.layer${i}.weight`, w], [`discriminator.layer${i}.bias`, nets.dB[i]!]))
  return out
}

/** The expected shape of every weight, for verifying a loaded file. */
export function expectedShapes(arch: Architecture): [string, number[]][] {
  const out: [string, number[]][] = []
  let dim = arch.embeddingDim + arch.condDim
  arch.generatorDims.forEach((h, i) => {
    out.push([`generator.block${i}.weight`, [dim, h]], [`generator.block${i}.bn.gamma`, [h]], [`generator.block${i}.bn.beta`, [h]])
    out.push([`generator.block${i}.bn.running_mean`, [h]], [`generator.block${i}.bn.running_var`, [h]])
    dim += h
  })
  out.push(['generator.out.weight', [dim, arch.dataDim]], ['generator.out.bias', [arch.dataDim]])
  let dIn = arch.pac * (arch.dataDim + arch.condDim)
  for (const [i, h] of [...arch.discriminatorDims, 1].entries()) {
    out.push([`discriminator.layer${i}.weight`, [dIn, h]], [`discriminator.layer${i}.bias`, [h]])
    dIn = h
  }
  return out
}

/** PyTorch's default Linear initialisation, U(−1/√fan_in, 1/√fan_in), from our Rng. */
export function createNetworks(tf: Tf, arch: Architecture, rng: Rng): Networks {
  const uniform = (shape: number[], fanIn: number): TF.Variable => {
    const size = shape.reduce((a, b) => a * b, 1)
    const bound = 1 / Math.sqrt(fanIn)
    const values = new Float32Array(size)
    for (let i = 0; i < size; i++) values[i] = (rng.uniform() * 2 - 1) * bound
    return tf.variable(tf.tensor(values, shape, 'float32'))
  }
  const shapes = new Map(expectedShapes(arch))
  const blocks: GeneratorBlock[] = arch.generatorDims.map((h, i) => {
    const shape = shapes.get(`generator.block${i}.weight`)!
    return {
      w: uniform(shape, shape[0]!),
      gamma: tf.variable(tf.ones([h])),
      beta: tf.variable(tf.zeros([h])),
      runMean: tf.variable(tf.zeros([h]), false),
      runVar: tf.variable(tf.ones([h]), false),
    }
  })
  const outShape = shapes.get('generator.out.weight')!
  const outW = uniform(outShape, outShape[0]!)
  const outB = uniform([arch.dataDim], outShape[0]!)
  const dW: TF.Variable[] = []
  const dB: TF.Variable[] = []
  for (let i = 0; i <= arch.discriminatorDims.length; i++) {
    const shape = shapes.get(`discriminator.layer${i}.weight`)!
    dW.push(uniform(shape, shape[0]!))
    dB.push(uniform([shape[1]!], shape[0]!))
  }
  return { blocks, outW, outB, dW, dB }
}

export function generatorVariables(nets: Networks): TF.Variable[] {
  return [...nets.blocks.flatMap((b) => [b.w, b.gamma, b.beta]), nets.outW, nets.outB]
}

export function discriminatorVariables(nets: Networks): TF.Variable[] {
  return [...nets.dW, ...nets.dB]
}

export type Dense = (x: TF.Tensor2D, w: TF.Tensor2D) => TF.Tensor2D

/** x·w with a gradient made of explicit transposes and plain products (fast on wasm). */
export function createDense(tf: Tf): Dense {
  const f = tf.customGrad((x, w, save) => {
    const a = x as TF.Tensor2D
    const b = w as TF.Tensor2D
    save([a, b])
    return {
      value: tf.matMul(a, b),
      gradFunc: (dy, saved) => {
        const [sa, sb] = saved as [TF.Tensor2D, TF.Tensor2D]
        const g = dy as TF.Tensor2D
        return [tf.matMul(g, tf.transpose(sb)), tf.matMul(tf.transpose(sa), g)]
      },
    }
  })
  return (x, w) => f(x, w) as TF.Tensor2D
}

/**
 * Generator in training mode: batch statistics, running statistics updated (momentum 0.1, unbiased variance
 * as PyTorch keeps them). Returns the raw output (logits and pre-tanh α).
 */
export function generatorTrain(tf: Tf, dense: Dense, nets: Networks, input: TF.Tensor2D): TF.Tensor2D {
  let h = input
  const n = input.shape[0]
  for (const block of nets.blocks) {
    const pre = dense(h, block.w as TF.Tensor as TF.Tensor2D)
    const { mean, variance } = tf.moments(pre, 0)
    const y = tf.batchNorm(pre, mean, variance, block.beta as TF.Tensor1D, block.gamma as TF.Tensor1D, BATCH_NORM_EPSILON)
    const m = BATCH_NORM_MOMENTUM
    block.runMean.assign(tf.add(tf.mul(block.runMean, 1 - m), tf.mul(mean, m)))
    block.runVar.assign(tf.add(tf.mul(block.runVar, 1 - m), tf.mul(variance, (m * n) / Math.max(1, n - 1))))
    h = tf.concat([tf.relu(y), h], 1)
  }
  return tf.add(dense(h, nets.outW as TF.Tensor as TF.Tensor2D), nets.outB)
}

/**
 * Output activations in training: tanh on α, Gumbel-softmax (temperature τ) on every span.
 * `gumbel` is [batch, dataDim − numContinuous].
 */
export function activate(tf: Tf, arch: Architecture, raw: TF.Tensor2D, gumbel: TF.Tensor2D, tau: number): TF.Tensor2D {
  const n = raw.shape[0]
  const nc = arch.numContinuous
  const parts: TF.Tensor2D[] = []
  if (nc > 0) parts.push(tf.tanh(tf.slice(raw, [0, 0], [n, nc])))
  const logits = tf.div(tf.add(tf.slice(raw, [0, nc], [n, arch.dataDim - nc]), gumbel), tau) as TF.Tensor2D
  for (const [start, size] of arch.spans) parts.push(tf.softmax(tf.slice(logits, [0, start - nc], [n, size])))
  return tf.concat(parts, 1)
}

/** Σ over discrete columns of the cross-entropy between the generated logits and the condition, / batch. */
export function conditionLoss(tf: Tf, arch: Architecture, raw: TF.Tensor2D, cond: TF.Tensor2D): TF.Scalar {
  const n = raw.shape[0]
  const terms: TF.Scalar[] = []
  for (const [start, size] of arch.spans) {
    if (start < arch.condOffset) continue
    const logp = tf.logSoftmax(tf.slice(raw, [0, start], [n, size]))
    terms.push(tf.sum(tf.mul(logp, tf.slice(cond, [0, start - arch.condOffset], [n, size]))))
  }
  if (terms.length === 0) return tf.scalar(0)
  return tf.div(tf.neg(tf.addN(terms)), n) as TF.Scalar
}

export interface DiscriminatorMasks {
  /** Dropout keep-masks already scaled by 1/(1−p), one [packs, width] per hidden layer. */
  readonly dropout: readonly TF.Tensor2D[]
}

export interface DiscriminatorPass {
  readonly score: TF.Tensor2D
  /** Pre-activations of each hidden layer (for the input gradient). */
  readonly pre: readonly TF.Tensor2D[]
}

/** Discriminator on [batch, dataDim + condDim] rows, packed `pac` at a time. */
export function discriminator(tf: Tf, dense: Dense, nets: Networks, pac: number, x: TF.Tensor2D, masks: DiscriminatorMasks, withScore = true): DiscriminatorPass {
  const packs = x.shape[0] / pac
  let h = tf.reshape(x, [packs, pac * x.shape[1]]) as TF.Tensor2D
  const pre: TF.Tensor2D[] = []
  const hidden = nets.dW.length - 1
  for (let i = 0; i < hidden; i++) {
    const p = tf.add(dense(h, nets.dW[i] as TF.Tensor as TF.Tensor2D), nets.dB[i]!) as TF.Tensor2D
    pre.push(p)
    h = tf.mul(tf.leakyRelu(p, LEAKY_SLOPE), masks.dropout[i]!)
  }
  const score = withScore ? (tf.add(dense(h, nets.dW[hidden] as TF.Tensor as TF.Tensor2D), nets.dB[hidden]!) as TF.Tensor2D) : h
  return { score, pre }
}

/**
 * ∂score/∂input of the packed discriminator, per pack, as a differentiable function of the weights:
 * the masks (LeakyReLU slope where the pre-activation is positive or not, times dropout) are piecewise
 * constant, so g = (((w_L ⊙ m_{L−1}) W_{L−1}ᵀ ⊙ m_{L−2}) … ) W_0ᵀ.
 */
export function discriminatorInputGradient(tf: Tf, dense: Dense, nets: Networks, pass: DiscriminatorPass, masks: DiscriminatorMasks): TF.Tensor2D {
  const hidden = nets.dW.length - 1
  const packs = pass.pre[0]!.shape[0]
  // Row vector of the last layer's weights, broadcast over packs.
  let s = tf.reshape(nets.dW[hidden]!, [1, -1]) as TF.Tensor2D
  for (let i = hidden - 1; i >= 0; i--) {
    const slope = tf.mul(tf.step(pass.pre[i]!, LEAKY_SLOPE), masks.dropout[i]!) as TF.Tensor2D
    s = tf.mul(s, slope) as TF.Tensor2D
    s = dense(s, tf.transpose(nets.dW[i]!) as TF.Tensor2D)
  }
  void packs
  return s
}

/** WGAN-GP penalty λ·mean_p (‖∇‖₂ − 1)² (Gulrajani et al. 2017), per pack. */
export function gradientPenalty(tf: Tf, grad: TF.Tensor2D, lambda: number): TF.Scalar {
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(grad), 1), 1e-12))
  return tf.mul(tf.mean(tf.square(tf.sub(norm, 1))), lambda) as TF.Scalar
}
