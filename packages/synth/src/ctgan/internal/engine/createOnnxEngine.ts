import { availableParallelism } from 'node:os'
import { SynthError } from '../../../errors.js'
import type { OnnxGraph, OnnxInitializer, OnnxNode } from './encodeOnnxModel.js'
import { encodeOnnxModel } from './encodeOnnxModel.js'
import type { OnnxSession } from './loadOnnxRuntime.js'
import { loadOnnxRuntime } from './loadOnnxRuntime.js'
import type { FoldedGenerator, FoldedLayer, GeneratorRunner, MatrixEngine } from './MatrixEngine.js'

export interface CreateOnnxEngineOptions {
  /** Intra-op threads for every product (default: available parallelism, at most 4). */
  readonly threads?: number
}

/**
 * A MatrixEngine on ONNX Runtime's native CPU kernels (MLAS): each GEMM is a cached one-node `Gemm` model with
 * symbolic dims, and a generator's sampling pass is compiled into one model with its weights as initializers.
 * Loads onnxruntime-node now and runs one product, so a missing or broken native library surfaces here as
 * SynthError MG_SYNTH_BACKEND_UNAVAILABLE (the caller falls back to TensorFlow.js), not in the middle of training.
 */
export function createOnnxEngine(options: CreateOnnxEngineOptions = {}): MatrixEngine {
  const threads = options.threads ?? Math.min(availableParallelism(), 4)
  if (!Number.isInteger(threads) || threads < 1) {
    throw new SynthError('MG_SYNTH_BAD_OPTION', `CTGAN threads must be a positive integer, got ${threads}.`)
  }
  const runtime = loadOnnxRuntime()
  const sessions = new Set<OnnxSession>()
  const gemmSessions = new Map<number, OnnxSession>()
  let disposed = false

  const open = (graph: OnnxGraph, label: string): OnnxSession => {
    if (disposed) throw new Error('The ONNX Runtime matrix engine was used after dispose()')
    const session = runtime.createSession(encodeOnnxModel(graph), { threads, label })
    sessions.add(session)
    return session
  }

  const gemm = (
    a: Float32Array,
    b: Float32Array,
    m: number,
    k: number,
    n: number,
    transA = false,
    transB = false,
  ): Float32Array => {
    for (const [name, v] of [
      ['m', m],
      ['k', k],
      ['n', n],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`gemm: ${name} must be a non-negative integer, got ${v}`)
    }
    if (a.length !== m * k) throw new Error(`gemm: A has ${a.length} values but op(A) is ${m}×${k} (${m * k})`)
    if (b.length !== k * n) throw new Error(`gemm: B has ${b.length} values but op(B) is ${k}×${n} (${k * n})`)
    if (m === 0 || n === 0 || k === 0) return new Float32Array(m * n)
    const key = (transA ? 1 : 0) | (transB ? 2 : 0)
    let session = gemmSessions.get(key)
    if (session === undefined) {
      session = open(gemmGraph(transA, transB), `the Gemm model (transA=${transA}, transB=${transB})`)
      gemmSessions.set(key, session)
    }
    const out = session.run(
      {
        A: { type: 'float32', dims: transA ? [k, m] : [m, k], data: a },
        B: { type: 'float32', dims: transB ? [n, k] : [k, n], data: b },
      },
      ['Y'],
    )
    return out.Y!.data as Float32Array
  }

  // Fail here rather than mid-training if the native library loads but cannot run.
  gemm(new Float32Array([1]), new Float32Array([1]), 1, 1, 1)

  return {
    backend: 'onnxruntime',
    threads,
    gemm,
    createGeneratorRunner(generator) {
      return createGeneratorRunner(generator, (graph) => open(graph, 'the generator model'))
    },
    dispose() {
      disposed = true
      for (const s of sessions) s.dispose()
      sessions.clear()
      gemmSessions.clear()
    },
  }
}

function gemmGraph(transA: boolean, transB: boolean): OnnxGraph {
  return {
    nodes: [
      {
        op: 'Gemm',
        inputs: ['A', 'B'],
        outputs: ['Y'],
        attributes: { transA: { int: transA ? 1 : 0 }, transB: { int: transB ? 1 : 0 } },
      },
    ],
    inputs: [
      { name: 'A', type: 'float32', dims: transA ? ['k', 'm'] : ['m', 'k'] },
      { name: 'B', type: 'float32', dims: transB ? ['n', 'k'] : ['k', 'n'] },
    ],
    outputs: [{ name: 'Y', type: 'float32', dims: ['m', 'n'] }],
  }
}

/**
 * Rows per ONNX Runtime call in a generator runner. ORT's arena keeps the peak of every intermediate tensor for the
 * session's lifetime (65,536-row calls grew RSS by 1.1 GB on the Adult-sized generator), and a call's activations
 * should stay in cache: on the Adult generator 1,024-row calls ran 1.2–1.4× the rows/s of 4,096-row calls (1 and
 * 2 threads); 512- and 2,048-row calls were slower too. SAMPLE_BATCH of createCtganModel matches it, so no output is copied.
 */
const RUNNER_CHUNK_ROWS = 1024

function createGeneratorRunner(generator: FoldedGenerator, open: (graph: OnnxGraph) => OnnxSession): GeneratorRunner {
  const { embeddingDim, condDim, dataDim } = generator
  const session = open(generatorGraph(generator))
  return (noise, cond, rows) => {
    if (!Number.isSafeInteger(rows) || rows < 0)
      throw new Error(`generator runner: rows must be a non-negative integer, got ${rows}`)
    if (noise.length !== rows * embeddingDim) {
      throw new Error(`generator runner: noise has ${noise.length} values, expected ${rows}×${embeddingDim}`)
    }
    if (cond.length !== rows) throw new Error(`generator runner: cond has ${cond.length} entries, expected ${rows}`)
    for (let i = 0; i < rows; i++) {
      const c = cond[i] as number
      if (c < 0 || c > condDim) throw new Error(`generator runner: cond[${i}] = ${c} is outside [0, ${condDim}]`)
    }
    const runChunk = (from: number, count: number): Float32Array => {
      const out = session.run(
        {
          noise: {
            type: 'float32',
            dims: [count, embeddingDim],
            data: noise.subarray(from * embeddingDim, (from + count) * embeddingDim),
          },
          cond: { type: 'int32', dims: [count], data: cond.subarray(from, from + count) },
        },
        ['rows'],
      )
      const data = out.rows!.data as Float32Array
      if (data.length !== count * dataDim)
        throw new Error(`generator runner: ONNX Runtime returned ${data.length} values, expected ${count}×${dataDim}`)
      return data
    }
    if (rows === 0) return new Float32Array(0)
    if (rows <= RUNNER_CHUNK_ROWS) return runChunk(0, rows)
    const result = new Float32Array(rows * dataDim)
    for (let from = 0; from < rows; from += RUNNER_CHUNK_ROWS) {
      const count = Math.min(RUNNER_CHUNK_ROWS, rows - from)
      result.set(runChunk(from, count), from * dataDim)
    }
    return result
  }
}

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
function generatorGraph(generator: FoldedGenerator): OnnxGraph {
  const { embeddingDim, condDim, dataDim, numContinuous } = generator
  const nodes: OnnxNode[] = []
  const initializers: OnnxInitializer[] = []
  // The blocks of h, oldest first: noise, a_0, a_1, …; W's rows run newest first ([a_{i−1}, …, a_0, noise]).
  const blocks: { name: string; width: number }[] = [{ name: 'noise', width: embeddingDim }]
  const layer = (l: FoldedLayer, name: string, relu: boolean): string => {
    const inputs = blocks.reduce((s, b) => s + b.width, 0)
    if (l.inputs !== inputs)
      throw new Error(`generator graph: layer ${name} takes ${l.inputs} inputs, expected ${inputs}`)
    if (l.w.length !== l.inputs * l.width)
      throw new Error(`generator graph: layer ${name} has ${l.w.length} weights, expected ${l.inputs}×${l.width}`)
    if (l.rowFor.length !== (condDim + 1) * l.width) {
      throw new Error(
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
    throw new Error(`generator graph: output layer is ${generator.out.width} wide, expected dataDim ${dataDim}`)
  nodes.push({ op: 'Identity', inputs: [layer(generator.out, 'out', false)], outputs: ['raw'] })

  // Split raw into [continuous part, span 1, …, span s] (spans must tile [numContinuous, dataDim) in order).
  const spans = [...generator.spans].sort((x, y) => x[0] - y[0])
  let at = numContinuous
  for (const [start, size] of spans) {
    if (start !== at || size < 1)
      throw new Error(
        `generator graph: spans must tile [${numContinuous}, ${dataDim}) without gaps, got [${start}, ${size}] at ${at}`,
      )
    at += size
  }
  if (at !== dataDim) throw new Error(`generator graph: spans end at ${at}, expected dataDim ${dataDim}`)
  const sizes: number[] = []
  const parts: string[] = []
  if (numContinuous > 0) sizes.push(numContinuous)
  for (const [, size] of spans) sizes.push(size)
  const pieces = sizes.map((_, i) => `piece${i}`)
  if (pieces.length === 0) throw new Error('generator graph: dataDim is 0')
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
