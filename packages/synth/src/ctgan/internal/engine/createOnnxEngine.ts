import { availableParallelism } from 'node:os'
import { SynthError } from '../../../errors.js'
import { internalError } from '../internalError.js'
import type { OnnxGraph } from './encodeOnnxModel.js'
import { encodeOnnxModel } from './encodeOnnxModel.js'
import { generatorGraph } from './generatorGraph.js'
import type { OnnxSession } from './loadOnnxRuntime.js'
import { loadOnnxRuntime } from './loadOnnxRuntime.js'
import type { FoldedGenerator, GeneratorRunner, MatrixEngine } from './MatrixEngine.js'

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
    if (disposed) throw internalError('The ONNX Runtime matrix engine was used after dispose()')
    const session = runtime.createSession(encodeOnnxModel(graph), { threads, label })
    sessions.add(session)
    return session
  }

  const gemm: MatrixEngine['gemm'] = (a, b, m, k, n, transA = false, transB = false) => {
    for (const [name, v] of [
      ['m', m],
      ['k', k],
      ['n', n],
    ] as const) {
      if (!Number.isSafeInteger(v) || v < 0)
        throw internalError(`gemm: ${name} must be a non-negative integer, got ${v}`)
    }
    if (a.length !== m * k) throw internalError(`gemm: A has ${a.length} values but op(A) is ${m}×${k} (${m * k})`)
    if (b.length !== k * n) throw internalError(`gemm: B has ${b.length} values but op(B) is ${k}×${n} (${k * n})`)
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
      throw internalError(`generator runner: rows must be a non-negative integer, got ${rows}`)
    if (noise.length !== rows * embeddingDim) {
      throw internalError(`generator runner: noise has ${noise.length} values, expected ${rows}×${embeddingDim}`)
    }
    if (cond.length !== rows) throw internalError(`generator runner: cond has ${cond.length} entries, expected ${rows}`)
    for (let i = 0; i < rows; i++) {
      const c = cond[i] as number
      if (c < 0 || c > condDim) throw internalError(`generator runner: cond[${i}] = ${c} is outside [0, ${condDim}]`)
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
        throw internalError(
          `generator runner: ONNX Runtime returned ${data.length} values, expected ${count}×${dataDim}`,
        )
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
