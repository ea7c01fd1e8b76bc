import { internalError } from '../internalError.js'
import type { OnnxGraph, OnnxInitializer, OnnxNode } from './encodeOnnxModel.js'
import type { FoldedGenerator, FoldedLayer } from './MatrixEngine.js'

/**
 * The sampling forward pass of the residual generator (Xu et al. 2019, "Modeling Tabular Data using Conditional
 * GAN", §4.4) with batch norm folded in, as one ONNX graph:
 * a_i = Relu(h·W_i + rowFor_i[cond]), h = [a_i, h]; raw = h·W_out + rowFor_out[cond];
 * rows = [tanh(raw[:, :numContinuous]), softmax(span_1), …, softmax(span_s)] along axis 1.
 * The residual concatenation is never built: h·W is the sum of each block's product with its rows of W, so a layer
 * is a chain of Gemms, each adding its block's product to the previous one (C input), starting from the gathered
 * condition rows, the newest activation last so ONNX Runtime fuses the Relu into it (FusedGemm). Measured on the
 * Adult generator (1,024-row calls): 1.3–1.5× the rows/s of MatMul over Concat, whose copies cost ~10% of a run.
 */
export function generatorGraph(generator: FoldedGenerator): OnnxGraph {
  const { embeddingDim, condDim, dataDim, numContinuous } = generator
  const nodes: OnnxNode[] = []
  const initializers: OnnxInitializer[] = []
  // The blocks of h, oldest first: noise, a_0, a_1, …; W's rows run newest first ([a_{i−1}, …, a_0, noise]).
  const blocks: { name: string; width: number }[] = [{ name: 'noise', width: embeddingDim }]
  const layer = (l: FoldedLayer, name: string, relu: boolean): string => {
    const inputs = blocks.reduce((s, b) => s + b.width, 0)
    if (l.inputs !== inputs)
      throw internalError(`generator graph: layer ${name} takes ${l.inputs} inputs, expected ${inputs}`)
    if (l.w.length !== l.inputs * l.width)
      throw internalError(`generator graph: layer ${name} has ${l.w.length} weights, expected ${l.inputs}×${l.width}`)
    if (l.rowFor.length !== (condDim + 1) * l.width) {
      throw internalError(
        `generator graph: layer ${name} has ${l.rowFor.length} condition rows values, expected ${condDim + 1}×${l.width}`,
      )
    }
    initializers.push({ name: `${name}_rowFor`, type: 'float32', dims: [condDim + 1, l.width], data: l.rowFor })
    nodes.push({
      op: 'Gather',
      inputs: [`${name}_rowFor`, 'cond'],
      outputs: [`${name}_bias`],
      attributes: { axis: { int: 0 } },
    })
    let sum = `${name}_bias`
    let rowEnd = l.inputs
    blocks.forEach((block, j) => {
      const rowStart = rowEnd - block.width
      initializers.push({
        name: `${name}_w${j}`,
        type: 'float32',
        dims: [block.width, l.width],
        data: l.w.subarray(rowStart * l.width, rowEnd * l.width),
      })
      const out = `${name}_sum${j}`
      nodes.push({ op: 'Gemm', inputs: [block.name, `${name}_w${j}`, sum], outputs: [out] })
      sum = out
      rowEnd = rowStart
    })
    if (!relu) return sum
    nodes.push({ op: 'Relu', inputs: [sum], outputs: [`${name}_a`] })
    return `${name}_a`
  }
  generator.hidden.forEach((l, i) => {
    blocks.push({ name: layer(l, `hidden${i}`, true), width: l.width })
  })
  if (generator.out.width !== dataDim)
    throw internalError(`generator graph: output layer is ${generator.out.width} wide, expected dataDim ${dataDim}`)
  nodes.push({ op: 'Identity', inputs: [layer(generator.out, 'out', false)], outputs: ['raw'] })

  // Split raw into [continuous part, span 1, …, span s] (spans must tile [numContinuous, dataDim) in order).
  const spans = [...generator.spans].sort((x, y) => x[0] - y[0])
  let at = numContinuous
  for (const [start, size] of spans) {
    if (start !== at || size < 1)
      throw internalError(
        `generator graph: spans must tile [${numContinuous}, ${dataDim}) without gaps, got [${start}, ${size}] at ${at}`,
      )
    at += size
  }
  if (at !== dataDim) throw internalError(`generator graph: spans end at ${at}, expected dataDim ${dataDim}`)
  const sizes: number[] = []
  const parts: string[] = []
  if (numContinuous > 0) sizes.push(numContinuous)
  for (const [, size] of spans) sizes.push(size)
  const pieces = sizes.map((_, i) => `piece${i}`)
  if (pieces.length === 0) throw internalError('generator graph: dataDim is 0')
  initializers.push({
    name: 'split_sizes',
    type: 'int64',
    dims: [sizes.length],
    data: BigInt64Array.from(sizes, BigInt),
  })
  nodes.push({ op: 'Split', inputs: ['raw', 'split_sizes'], outputs: pieces, attributes: { axis: { int: 1 } } })
  pieces.forEach((piece, i) => {
    const activated = `${piece}_act`
    if (i === 0 && numContinuous > 0) nodes.push({ op: 'Tanh', inputs: [piece], outputs: [activated] })
    else nodes.push({ op: 'Softmax', inputs: [piece], outputs: [activated], attributes: { axis: { int: -1 } } })
    parts.push(activated)
  })
  nodes.push({ op: 'Concat', inputs: parts, outputs: ['rows'], attributes: { axis: { int: 1 } } })

  return {
    nodes,
    inputs: [
      { name: 'noise', type: 'float32', dims: ['n', embeddingDim] },
      { name: 'cond', type: 'int32', dims: ['n'] },
    ],
    outputs: [{ name: 'rows', type: 'float32', dims: ['n', dataDim] }],
    initializers,
  }
}
