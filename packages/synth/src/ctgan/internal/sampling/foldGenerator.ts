import { SynthError } from '../../../errors.js'
import type { CtganSection } from '../ctganSection.js'
import type { FoldedGenerator, FoldedLayer } from '../engine/MatrixEngine.js'
import type { Weight } from '../networks.js'
import { BATCH_NORM_EPSILON } from '../networks.js'

/**
 * The generator for sampling: batch norm (running statistics) folded into each product, and the weight rows
 * that multiply the one-hot conditional vector turned into per-condition rows added after the product.
 */
export function foldGenerator(section: CtganSection, weights: ReadonlyMap<string, Weight>): FoldedGenerator {
  const arch = section.architecture
  const get = (name: string): Float32Array => {
    const w = weights.get(name)
    if (w === undefined) throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `The CTGAN weights lack "${name}".`)
    return w.values
  }
  // Inputs of layer i are [a_{i−1}, …, a_0, noise, cond]: the conditional rows are the last condDim.
  const fold = (w: Float32Array, bias: Float32Array, scale: Float32Array | null, width: number): FoldedLayer => {
    const inputs = w.length / width - arch.condDim
    const main = new Float32Array(inputs * width)
    for (let r = 0; r < inputs; r++)
      for (let j = 0; j < width; j++) main[r * width + j] = w[r * width + j]! * (scale === null ? 1 : scale[j]!)
    const rowFor = new Float32Array((arch.condDim + 1) * width)
    for (let c = 0; c <= arch.condDim; c++) {
      for (let j = 0; j < width; j++) {
        const condWeight = c < arch.condDim ? w[(inputs + c) * width + j]! * (scale === null ? 1 : scale[j]!) : 0
        rowFor[c * width + j] = bias[j]! + condWeight
      }
    }
    return { w: main, inputs, width, rowFor }
  }
  const hidden = arch.generatorDims.map((width, i) => {
    const gamma = get(`generator.block${i}.bn.gamma`)
    const runVar = get(`generator.block${i}.bn.running_var`)
    const runMean = get(`generator.block${i}.bn.running_mean`)
    const beta = get(`generator.block${i}.bn.beta`)
    const scale = gamma.map((g, j) => g / Math.sqrt(runVar[j]! + BATCH_NORM_EPSILON))
    const bias = beta.map((b, j) => b - runMean[j]! * scale[j]!)
    return fold(get(`generator.block${i}.weight`), bias, scale, width)
  })
  const out = fold(get('generator.out.weight'), get('generator.out.bias'), null, arch.dataDim)
  return {
    embeddingDim: arch.embeddingDim,
    condDim: arch.condDim,
    dataDim: arch.dataDim,
    numContinuous: arch.numContinuous,
    spans: arch.spans,
    hidden,
    out,
  }
}
