// The ONNX Runtime matrix engine: GEMM and the compiled generator pass are held to plain JavaScript loops
// (float64) written here, the model writer is checked by what ONNX Runtime computes from the models it writes,
// and importing @modelgate/synth must not load the native library.
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOnnxEngine } from '../src/ctgan/internal/engine/createOnnxEngine.js'
import type { OnnxGraph } from '../src/ctgan/internal/engine/encodeOnnxModel.js'
import { encodeOnnxModel } from '../src/ctgan/internal/engine/encodeOnnxModel.js'
import { loadOnnxRuntime } from '../src/ctgan/internal/engine/loadOnnxRuntime.js'
import type { FoldedGenerator, FoldedLayer, MatrixEngine } from '../src/ctgan/internal/engine/MatrixEngine.js'
import { Rng } from '../src/ctgan/internal/Rng.js'
import { SynthError } from '../src/errors.js'

const here = path.dirname(fileURLToPath(import.meta.url))

function randomArray(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale
  return out
}

/** op(A)[i, p] for A stored row-major, m×k or (transposed) k×m. */
const opA = (a: Float32Array, i: number, p: number, m: number, k: number, trans: boolean): number =>
  a[trans ? p * m + i : i * k + p] as number
const opB = (b: Float32Array, p: number, j: number, k: number, n: number, trans: boolean): number =>
  b[trans ? j * k + p : p * n + j] as number

/** One entry of op(A)·op(B) in float64, and the sum of |terms| that bounds its float32 rounding error. */
function entry(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
  i: number,
  j: number,
): [number, number] {
  let s = 0
  let abs = 0
  for (let p = 0; p < k; p++) {
    const t = opA(a, i, p, m, k, tA) * opB(b, p, j, k, n, tB)
    s += t
    abs += Math.abs(t)
  }
  return [s, abs]
}

const combos = [
  [false, false],
  [true, false],
  [false, true],
  [true, true],
] as const

describe('createOnnxEngine: gemm', () => {
  let engine: MatrixEngine
  beforeAll(() => {
    engine = createOnnxEngine({ threads: 1 })
  })
  afterAll(() => engine.dispose())

  it('reports the onnxruntime backend and its thread count', () => {
    expect(engine.backend).toBe('onnxruntime')
    expect(engine.threads).toBe(1)
  })

  for (const [tA, tB] of combos) {
    for (const [m, k, n] of [
      [1, 1, 1],
      [7, 13, 5],
    ] as const) {
      it(`matches a triple loop on every entry for ${m}×${k}×${n}, transA=${tA}, transB=${tB}`, () => {
        const rng = new Rng(m * 1000 + k * 10 + n + (tA ? 1 : 0) + (tB ? 2 : 0))
        const a = randomArray(rng, m * k)
        const b = randomArray(rng, k * n)
        const c = engine.gemm(a, b, m, k, n, tA, tB)
        expect(c).toBeInstanceOf(Float32Array)
        expect(c.length).toBe(m * n)
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) {
            const [ref, abs] = entry(a, b, m, k, n, tA, tB, i, j)
            expect(Math.abs((c[i * n + j] as number) - ref)).toBeLessThanOrEqual(1e-6 * abs + 1e-12)
          }
        }
      })
    }

    it(`matches a triple loop on 300 sampled entries of 500×488×256, transA=${tA}, transB=${tB}, on 2 threads`, () => {
      const [m, k, n] = [500, 488, 256]
      const rng = new Rng(17 + (tA ? 1 : 0) + (tB ? 2 : 0))
      const a = randomArray(rng, m * k)
      const b = randomArray(rng, k * n)
      const two = createOnnxEngine({ threads: 2 })
      try {
        const c = two.gemm(a, b, m, k, n, tA, tB)
        expect(c.length).toBe(m * n)
        const corners: [number, number][] = [
          [0, 0],
          [m - 1, n - 1],
          [0, n - 1],
          [m - 1, 0],
        ]
        for (let s = 0; s < 296; s++) corners.push([rng.int(m), rng.int(n)])
        for (const [i, j] of corners) {
          const [ref, abs] = entry(a, b, m, k, n, tA, tB, i, j)
          expect(Math.abs((c[i * n + j] as number) - ref)).toBeLessThanOrEqual(1e-5 * abs)
        }
      } finally {
        two.dispose()
      }
    })
  }

  it('reads arrays that are views into a larger buffer at an offset', () => {
    const rng = new Rng(3)
    const big = randomArray(rng, 100)
    const a = big.subarray(10, 10 + 6) // 2×3
    const b = big.subarray(50, 50 + 12) // 3×4
    const c = engine.gemm(a, b, 2, 3, 4)
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 4; j++) expect(c[i * 4 + j]).toBeCloseTo(entry(a, b, 2, 3, 4, false, false, i, j)[0], 5)
  })

  it('returns a fresh array each call, not a buffer reused by the next product', () => {
    const first = engine.gemm(new Float32Array([2]), new Float32Array([3]), 1, 1, 1)
    const second = engine.gemm(new Float32Array([5]), new Float32Array([7]), 1, 1, 1)
    expect([...first, ...second]).toEqual([6, 35])
  })

  it('gives zeros for an empty inner dimension and an empty result for an empty outer one', () => {
    expect([...engine.gemm(new Float32Array(0), new Float32Array(0), 2, 0, 3)]).toEqual([0, 0, 0, 0, 0, 0])
    expect(engine.gemm(new Float32Array(0), new Float32Array(12), 0, 4, 3).length).toBe(0)
  })

  it('names the mismatch when an array does not hold m×k or k×n values', () => {
    expect(() => engine.gemm(new Float32Array(5), new Float32Array(12), 2, 3, 4)).toThrow(
      'gemm: A has 5 values but op(A) is 2×3 (6)',
    )
    expect(() => engine.gemm(new Float32Array(6), new Float32Array(11), 2, 3, 4, false, true)).toThrow(
      'gemm: B has 11 values but op(B) is 3×4 (12)',
    )
    expect(() => engine.gemm(new Float32Array(6), new Float32Array(12), 2, 3.5, 4)).toThrow(
      'gemm: k must be a non-negative integer, got 3.5',
    )
  })

  it('refuses to run after dispose()', () => {
    const e = createOnnxEngine({ threads: 1 })
    e.dispose()
    expect(() => e.gemm(new Float32Array([1]), new Float32Array([1]), 1, 1, 1)).toThrow(/after dispose/)
  })

  it('rejects a thread count that is not a positive integer', () => {
    expect(() => createOnnxEngine({ threads: 0 })).toThrow(expect.objectContaining({ code: 'MG_SYNTH_BAD_OPTION' }))
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Generator runner

interface GeneratorSpec {
  embeddingDim: number
  condDim: number
  hidden: number[]
  numContinuous: number
  spans: [number, number][]
}

function randomGenerator(spec: GeneratorSpec, seed: number): FoldedGenerator {
  const rng = new Rng(seed)
  const dataDim = spec.numContinuous + spec.spans.reduce((s, [, size]) => s + size, 0)
  const layer = (inputs: number, width: number): FoldedLayer => ({
    inputs,
    width,
    w: randomArray(rng, inputs * width, 1 / Math.sqrt(inputs)),
    rowFor: randomArray(rng, (spec.condDim + 1) * width, 0.5),
  })
  const hidden: FoldedLayer[] = []
  let inputs = spec.embeddingDim
  for (const width of spec.hidden) {
    hidden.push(layer(inputs, width))
    inputs += width
  }
  return {
    embeddingDim: spec.embeddingDim,
    condDim: spec.condDim,
    dataDim,
    numContinuous: spec.numContinuous,
    spans: spec.spans,
    hidden,
    out: layer(inputs, dataDim),
  }
}

/** The sampling pass written out in float64: residual ReLU layers, then tanh and per-span softmax. */
function referenceForward(g: FoldedGenerator, noise: Float32Array, cond: Int32Array, rows: number): Float64Array {
  const out = new Float64Array(rows * g.dataDim)
  for (let r = 0; r < rows; r++) {
    let h: number[] = Array.from(noise.subarray(r * g.embeddingDim, (r + 1) * g.embeddingDim))
    const c = cond[r] as number
    const dense = (l: FoldedLayer, x: number[]): number[] => {
      const y: number[] = []
      for (let j = 0; j < l.width; j++) {
        let s = l.rowFor[c * l.width + j] as number
        for (let i = 0; i < l.inputs; i++) s += (x[i] as number) * (l.w[i * l.width + j] as number)
        y.push(s)
      }
      return y
    }
    for (const l of g.hidden) {
      const a = dense(l, h).map((v) => Math.max(0, v))
      h = [...a, ...h]
    }
    const raw = dense(g.out, h)
    const row = out.subarray(r * g.dataDim, (r + 1) * g.dataDim)
    for (let j = 0; j < g.numContinuous; j++) row[j] = Math.tanh(raw[j] as number)
    for (const [start, size] of g.spans) {
      let max = Number.NEGATIVE_INFINITY
      for (let j = start; j < start + size; j++) max = Math.max(max, raw[j] as number)
      let sum = 0
      for (let j = start; j < start + size; j++) sum += Math.exp((raw[j] as number) - max)
      for (let j = start; j < start + size; j++) row[j] = Math.exp((raw[j] as number) - max) / sum
    }
  }
  return out
}

function randomInputs(g: FoldedGenerator, rows: number, seed: number): { noise: Float32Array; cond: Int32Array } {
  const rng = new Rng(seed)
  const noise = randomArray(rng, rows * g.embeddingDim)
  const cond = new Int32Array(rows)
  // Every conditional position and "no condition" (condDim) appear.
  for (let r = 0; r < rows; r++) cond[r] = r <= g.condDim ? r : rng.int(g.condDim + 1)
  return { noise, cond }
}

const generatorCases: [string, GeneratorSpec][] = [
  [
    'continuous columns and spans of sizes 4, 1 and 5',
    {
      embeddingDim: 10,
      condDim: 6,
      hidden: [16, 8],
      numContinuous: 3,
      spans: [
        [3, 4],
        [7, 1],
        [8, 5],
      ],
    },
  ],
  [
    'no continuous column (numContinuous 0) and spans listed out of order',
    {
      embeddingDim: 12,
      condDim: 9,
      hidden: [20, 20],
      numContinuous: 0,
      spans: [
        [8, 1],
        [0, 2],
        [2, 6],
      ],
    },
  ],
  ['no hidden layer and a single span', { embeddingDim: 5, condDim: 2, hidden: [], numContinuous: 2, spans: [[2, 3]] }],
  ['only continuous columns', { embeddingDim: 6, condDim: 3, hidden: [7], numContinuous: 4, spans: [] }],
]

describe('createOnnxEngine: generator runner', () => {
  let engine: MatrixEngine
  beforeAll(() => {
    engine = createOnnxEngine({ threads: 2 })
  })
  afterAll(() => engine.dispose())

  generatorCases.forEach(([title, spec], caseIndex) => {
    // 9,000 rows run as several chunks inside the runner (1,024 rows per ONNX Runtime call).
    for (const rows of caseIndex === 0 ? [1, 1000, 9000] : [1, 1000]) {
      it(`matches the reference forward pass within 1e-5 for ${title}, ${rows} row(s)`, () => {
        const g = randomGenerator(spec, 100 + caseIndex)
        const run = engine.createGeneratorRunner(g)
        const { noise, cond } = randomInputs(g, rows, 200 + rows)
        const got = run(noise, cond, rows)
        const ref = referenceForward(g, noise, cond, rows)
        expect(got).toBeInstanceOf(Float32Array)
        expect(got.length).toBe(rows * g.dataDim)
        let worst = 0
        for (let i = 0; i < ref.length; i++)
          worst = Math.max(
            worst,
            Math.abs((got[i] as number) - (ref[i] as number)) / Math.max(1, Math.abs(ref[i] as number)),
          )
        expect(worst).toBeLessThan(1e-5)
      })
    }
  })

  it('makes every softmax span of every row sum to 1 and keeps continuous values inside (−1, 1)', () => {
    const g = randomGenerator(generatorCases[0]![1], 7)
    const rows = 500
    const { noise, cond } = randomInputs(g, rows, 8)
    const got = engine.createGeneratorRunner(g)(noise, cond, rows)
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < g.numContinuous; j++) expect(Math.abs(got[r * g.dataDim + j] as number)).toBeLessThan(1)
      for (const [start, size] of g.spans) {
        let sum = 0
        for (let j = start; j < start + size; j++) sum += got[r * g.dataDim + j] as number
        expect(sum).toBeCloseTo(1, 5)
      }
    }
    // A span of one category is always that category.
    for (let r = 0; r < rows; r++) expect(got[r * g.dataDim + 7]).toBeCloseTo(1, 6)
  })

  it('conditions on the row picked by cond: rows with the same noise differ only through their condition', () => {
    const g = randomGenerator(generatorCases[0]![1], 9)
    const run = engine.createGeneratorRunner(g)
    const noise = randomArray(new Rng(10), g.embeddingDim)
    const twice = new Float32Array([...noise, ...noise])
    const same = run(twice, new Int32Array([2, 2]), 2)
    const different = run(twice, new Int32Array([2, 5]), 2)
    expect([...same.subarray(0, g.dataDim)]).toEqual([...same.subarray(g.dataDim)])
    expect([...different.subarray(0, g.dataDim)]).not.toEqual([...different.subarray(g.dataDim)])
  })

  it('names the bad input: noise length, cond length, cond outside [0, condDim]', () => {
    const g = randomGenerator(generatorCases[0]![1], 11)
    const run = engine.createGeneratorRunner(g)
    expect(() => run(new Float32Array(19), new Int32Array(2), 2)).toThrow('noise has 19 values, expected 2×10')
    expect(() => run(new Float32Array(20), new Int32Array(3), 2)).toThrow('cond has 3 entries, expected 2')
    expect(() => run(new Float32Array(20), new Int32Array([0, 7]), 2)).toThrow('cond[1] = 7 is outside [0, 6]')
    expect(run(new Float32Array(0), new Int32Array(0), 0).length).toBe(0)
  })

  it('refuses spans that leave a gap or weights of the wrong size', () => {
    const g = randomGenerator(generatorCases[0]![1], 12)
    expect(() =>
      engine.createGeneratorRunner({
        ...g,
        spans: [
          [3, 4],
          [8, 5],
        ],
      }),
    ).toThrow(/spans must tile \[3, 13\)/)
    expect(() => engine.createGeneratorRunner({ ...g, out: { ...g.out, w: g.out.w.subarray(1) } })).toThrow(
      /layer out has \d+ weights/,
    )
  })
})

// ---------------------------------------------------------------------------------------------------------------
// Model writer and runtime loader

describe('encodeOnnxModel, as read by ONNX Runtime', () => {
  const runtime = loadOnnxRuntime()
  const session = (graph: OnnxGraph, label = 'a test model') =>
    runtime.createSession(encodeOnnxModel(graph), { threads: 1, label })

  it('writes float, negative int, ints and string attributes and int32/int64 initializers that ONNX Runtime applies', () => {
    // Y = Pad(Transpose(Gather(0.5·A·B + C, idx)), [0,1,0,1], mode "edge"), Softmax on axis −1 as a second output.
    const s = session({
      nodes: [
        {
          op: 'Gemm',
          inputs: ['A', 'B', 'C'],
          outputs: ['G'],
          attributes: { alpha: { float: 0.5 }, beta: { float: 1 } },
        },
        { op: 'Gather', inputs: ['G', 'idx'], outputs: ['R'], attributes: { axis: { int: 0 } } },
        { op: 'Transpose', inputs: ['R'], outputs: ['T'], attributes: { perm: { ints: [1, 0] } } },
        { op: 'Pad', inputs: ['T', 'pads'], outputs: ['Y'], attributes: { mode: { string: 'edge' } } },
        { op: 'Softmax', inputs: ['T'], outputs: ['S'], attributes: { axis: { int: -1 } } },
      ],
      inputs: [
        { name: 'A', type: 'float32', dims: [2, 2] },
        { name: 'B', type: 'float32', dims: [2, 'n'] },
      ],
      outputs: [
        { name: 'Y', type: 'float32', dims: ['p', 'q'] },
        { name: 'S', type: 'float32', dims: ['n', 2] },
      ],
      initializers: [
        { name: 'C', type: 'float32', dims: [1], data: new Float32Array([10]) },
        { name: 'idx', type: 'int32', dims: [2], data: new Int32Array([1, 0]) },
        { name: 'pads', type: 'int64', dims: [4], data: new BigInt64Array([0n, 1n, 0n, 1n]) },
      ],
    })
    const out = s.run(
      {
        A: { type: 'float32', dims: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
        B: { type: 'float32', dims: [2, 2], data: new Float32Array([2, 0, 0, 2]) },
      },
      ['Y', 'S'],
    )
    // 0.5·A·B + 10 = [[11, 12], [13, 14]]; rows swapped [[13, 14], [11, 12]]; transposed [[13, 11], [14, 12]].
    expect(out.Y!.dims).toEqual([2, 4])
    expect([...out.Y!.data]).toEqual([13, 13, 11, 11, 14, 14, 12, 12])
    const e = Math.exp(2)
    expect(out.S!.data[0]).toBeCloseTo(e / (e + 1), 6)
    s.dispose()
  })

  it('writes fixed dims that ONNX Runtime enforces on the inputs', () => {
    const s = session({
      nodes: [{ op: 'Relu', inputs: ['X'], outputs: ['Y'] }],
      inputs: [{ name: 'X', type: 'float32', dims: [2, 3] }],
      outputs: [{ name: 'Y', type: 'float32', dims: [2, 3] }],
    })
    expect(s.inputNames).toEqual(['X'])
    expect(s.outputNames).toEqual(['Y'])
    expect(() => s.run({ X: { type: 'float32', dims: [3, 2], data: new Float32Array(6) } }, ['Y'])).toThrow(
      /ONNX Runtime failed running a test model: .*dimensions/i,
    )
    s.dispose()
    expect(() => s.run({ X: { type: 'float32', dims: [2, 3], data: new Float32Array(6) } }, ['Y'])).toThrow(
      /after dispose/,
    )
  })

  it('rejects initializer data that does not match its type or dims', () => {
    const graph = (data: Float32Array | Int32Array): OnnxGraph => ({
      nodes: [{ op: 'Identity', inputs: ['W'], outputs: ['Y'] }],
      inputs: [],
      outputs: [{ name: 'Y', type: 'float32', dims: [3] }],
      initializers: [{ name: 'W', type: 'float32', dims: [3], data }],
    })
    expect(() => encodeOnnxModel(graph(new Float32Array(4)))).toThrow(
      'initializer "W" has dims [3] (3 values) but 4 values',
    )
    expect(() => encodeOnnxModel(graph(new Int32Array(3)))).toThrow(
      'initializer "W" is float32 but its data is a Int32Array',
    )
  })

  it('turns a model ONNX Runtime cannot load (an unknown op) into MG_SYNTH_BACKEND_UNAVAILABLE naming the op', () => {
    let caught: unknown
    try {
      session(
        {
          nodes: [{ op: 'NoSuchOp', inputs: ['X'], outputs: ['Y'] }],
          inputs: [{ name: 'X', type: 'float32', dims: ['n'] }],
          outputs: [{ name: 'Y', type: 'float32', dims: ['n'] }],
        },
        'the broken model',
      )
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(SynthError)
    expect((caught as SynthError).code).toBe('MG_SYNTH_BACKEND_UNAVAILABLE')
    expect((caught as SynthError).message).toMatch(
      /ONNX Runtime 1\.30\.0 rejected the broken model: .*No Op registered for NoSuchOp/,
    )
  })

  it('turns bytes that are not a model into MG_SYNTH_BACKEND_UNAVAILABLE', () => {
    expect(() => runtime.createSession(new Uint8Array([0xff, 0xff, 0xff]), { threads: 1, label: 'garbage' })).toThrow(
      expect.objectContaining({
        code: 'MG_SYNTH_BACKEND_UNAVAILABLE',
        message: expect.stringMatching(/rejected garbage: .*protobuf/),
      }),
    )
  })
})

describe('lazy loading', () => {
  it('importing @modelgate/synth or the engine module loads no part of onnxruntime or onnx-proto; creating an engine does (so the probe would see it)', () => {
    const engineModule = pathToFileURL(path.resolve(here, '../src/ctgan/internal/engine/createOnnxEngine.ts')).href
    // Two witnesses: the CommonJS module cache (every require of onnxruntime-node, its binding.js and the .node
    // addon lands there) and, on Linux, the process's memory map (any dlopen of libonnxruntime, by any route).
    const script = `
      import Module from 'node:module'
      import { existsSync, readFileSync } from 'node:fs'
      const probe = () => ({
        cache: Object.keys(Module._cache).filter((f) => /onnxruntime/.test(f)).length,
        proto: Object.keys(Module._cache).filter((f) => /onnx-proto|protobufjs/.test(f)).length,
        mapped: existsSync('/proc/self/maps') ? /libonnxruntime/.test(readFileSync('/proc/self/maps', 'utf8')) : null,
      })
      const synth = await import('@modelgate/synth')
      // The engine module itself is lazy too: only createOnnxEngine() loads the runtime.
      const { createOnnxEngine } = await import(${JSON.stringify(engineModule)})
      const afterImport = { ...probe(), exports: Object.keys(synth).length }
      createOnnxEngine({ threads: 1 }).dispose()
      process.stdout.write(JSON.stringify({ afterImport, afterLoad: probe() }))
    `
    const output = execFileSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: path.resolve(here, '..'),
        encoding: 'utf8',
      },
    )
    const { afterImport, afterLoad } = JSON.parse(output) as {
      afterImport: { cache: number; proto: number; mapped: boolean | null; exports: number }
      afterLoad: { cache: number; proto: number; mapped: boolean | null }
    }
    expect(afterImport.exports).toBeGreaterThan(0)
    expect(afterImport.cache).toBe(0)
    expect(afterImport.proto).toBe(0)
    expect(afterLoad.cache).toBeGreaterThan(0)
    expect(afterLoad.proto).toBeGreaterThan(0)
    if (afterLoad.mapped !== null) {
      expect(afterImport.mapped).toBe(false)
      expect(afterLoad.mapped).toBe(true)
    }
  })
})
