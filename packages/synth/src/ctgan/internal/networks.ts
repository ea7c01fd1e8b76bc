import type * as TF from '@tensorflow/tfjs'
import type { Tf } from './loadTf.js'
import type { Rng } from './Rng.js'

/**
 * The CTGAN networks (Xu et al. 2019, §4.4) as plain weight tensors: a generator of residual blocks
 * (Linear → BatchNorm → ReLU, output concatenated with the block input) and a PacGAN discriminator
 * (Linear → LeakyReLU 0.2 → Dropout per hidden layer, `pac` rows judged together). Forward and backward
 * passes are written by hand in CtganTrainer. The bias of a Linear layer followed by BatchNorm is omitted:
 * BatchNorm's mean subtraction cancels it. Weights are drawn from our seeded Rng, not tfjs' global RNG.
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
  nets.dW.forEach((w, i) => {
    out.push([`discriminator.layer${i}.weight`, w], [`discriminator.layer${i}.bias`, nets.dB[i]!])
  })
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
