import type { CtganSettings } from '../CtganSettings.js'
import type { Rng } from './Rng.js'
import type { TransformerSpec } from './transformer/TransformerSpec.js'

/**
 * The CTGAN networks (Xu et al. 2019, §4.4) as plain host weight arrays (row-major float32): a generator of
 * residual blocks (Linear → BatchNorm → ReLU, output concatenated with the block input) and a PacGAN
 * discriminator (Linear → LeakyReLU 0.2 → Dropout per hidden layer, `pac` rows judged together). Forward and
 * backward passes are written by hand in CtganTrainer. The bias of a Linear layer followed by BatchNorm is
 * omitted: BatchNorm's mean subtraction cancels it. Weights are drawn from our seeded Rng.
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

/** The architecture for a fitted transformer and the settings' network sizes (defaults of Xu et al. 2019). */
export function architectureOf(spec: TransformerSpec, settings: CtganSettings): Architecture {
  const spans: [number, number][] = []
  for (const c of spec.columns)
    if (c.type === 'continuous' || c.type === 'discrete') spans.push([c.spanStart, c.spanSize])
  spans.sort((a, b) => a[0] - b[0])
  return {
    embeddingDim: settings.embeddingDim ?? 128,
    generatorDims: [...(settings.generatorDims ?? [256, 256])],
    discriminatorDims: [...(settings.discriminatorDims ?? [256, 256])],
    pac: settings.pac ?? 10,
    dataDim: spec.dataDim,
    condDim: spec.condDim,
    numContinuous: spec.numContinuous,
    spans,
    condOffset: spec.condOffset,
  }
}

/** A weight array and its shape ([rows, cols] for matrices, [n] for vectors). */
export interface Weight {
  readonly shape: readonly number[]
  readonly values: Float32Array
}

interface GeneratorBlock {
  readonly w: Weight
  readonly gamma: Weight
  readonly beta: Weight
  readonly runMean: Weight
  readonly runVar: Weight
}

export interface Networks {
  readonly blocks: readonly GeneratorBlock[]
  readonly outW: Weight
  readonly outB: Weight
  /** Discriminator layers: weights [in, out] and biases [out]; the last maps to one score. */
  readonly dW: readonly Weight[]
  readonly dB: readonly Weight[]
}

export const BATCH_NORM_EPSILON = 1e-5
export const BATCH_NORM_MOMENTUM = 0.1
export const LEAKY_SLOPE = 0.2

/** Names and weights in a fixed order: the weight file layout. */
export function namedWeights(nets: Networks): [string, Weight][] {
  const out: [string, Weight][] = []
  nets.blocks.forEach((b, i) => {
    out.push(
      [`generator.block${i}.weight`, b.w],
      [`generator.block${i}.bn.gamma`, b.gamma],
      [`generator.block${i}.bn.beta`, b.beta],
    )
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
    out.push(
      [`generator.block${i}.weight`, [dim, h]],
      [`generator.block${i}.bn.gamma`, [h]],
      [`generator.block${i}.bn.beta`, [h]],
    )
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

/** PyTorch's default Linear initialisation, U(−1/√fan_in, 1/√fan_in), from our Rng; batch norm γ = 1, β = 0. */
export function createNetworks(arch: Architecture, rng: Rng): Networks {
  const uniform = (shape: number[], fanIn: number): Weight => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1))
    const bound = 1 / Math.sqrt(fanIn)
    for (let i = 0; i < values.length; i++) values[i] = (rng.uniform() * 2 - 1) * bound
    return { shape, values }
  }
  const filled = (n: number, value: number): Weight => ({ shape: [n], values: new Float32Array(n).fill(value) })
  const shapes = new Map(expectedShapes(arch))
  const blocks: GeneratorBlock[] = arch.generatorDims.map((h, i) => {
    const shape = shapes.get(`generator.block${i}.weight`)!
    return {
      w: uniform(shape, shape[0]!),
      gamma: filled(h, 1),
      beta: filled(h, 0),
      runMean: filled(h, 0),
      runVar: filled(h, 1),
    }
  })
  const outShape = shapes.get('generator.out.weight')!
  const outW = uniform(outShape, outShape[0]!)
  const outB = uniform([arch.dataDim], outShape[0]!)
  const dW: Weight[] = []
  const dB: Weight[] = []
  for (let i = 0; i <= arch.discriminatorDims.length; i++) {
    const shape = shapes.get(`discriminator.layer${i}.weight`)!
    dW.push(uniform(shape, shape[0]!))
    dB.push(uniform([shape[1]!], shape[0]!))
  }
  return { blocks, outW, outB, dW, dB }
}

/** Copies stored values (a checkpoint, a model file) into the networks; shapes were checked on reading. */
export function loadNetworks(nets: Networks, stored: ReadonlyMap<string, Weight>): void {
  for (const [name, w] of namedWeights(nets)) {
    const s = stored.get(name)
    if (s !== undefined) w.values.set(s.values)
  }
}

/** Trainable generator weights (running statistics excluded), in optimizer order. */
export function generatorVariables(nets: Networks): Weight[] {
  return [...nets.blocks.flatMap((b) => [b.w, b.gamma, b.beta]), nets.outW, nets.outB]
}

export function discriminatorVariables(nets: Networks): Weight[] {
  return [...nets.dW, ...nets.dB]
}
