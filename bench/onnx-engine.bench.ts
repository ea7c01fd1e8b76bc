// The ONNX Runtime matrix engine of the CTGAN on its own:
//   node --import tsx bench/onnx-engine.bench.ts [--no-reference]
// 1. GEMM throughput (GFLOP/s) at 1 and 2 intra-op threads for the CTGAN's products: the forward X·W
//    (500×488×256 and 500×2540×256), and the two backprop products of each, Xᵀ·dY (Gemm transA) and dY·Wᵀ
//    (Gemm transB). Reference: the same product on TensorFlow.js' wasm backend (tf.matMul, single-threaded).
// 2. The compiled generator sampling pass, rows/s, for an Adult-sized generator (embedding 128, conditional vector
//    103, hidden [256, 256], 168-wide rows: 6 tanh outputs and 15 softmax spans) at 8,192 and 65,536 rows per call.
// Prints JSON lines; every time is the median per call over ≥ 0.5 s after warm-up, with its CPU time per call
// (with 2 threads ONNX Runtime's worker spins between calls, so CPU ≈ 2 × wall even while idle).
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { createOnnxEngine } from '../packages/synth/src/ctgan/internal/engine/createOnnxEngine.js'
import type { FoldedGenerator, FoldedLayer } from '../packages/synth/src/ctgan/internal/engine/MatrixEngine.js'
import { Rng } from '../packages/synth/src/ctgan/internal/Rng.js'

const { values } = parseArgs({ options: { 'no-reference': { type: 'boolean', default: false } } })

function figure(name: string, value: number, unit: string, extra: Record<string, unknown> = {}): void {
  const rounded: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(extra)) rounded[k] = typeof v === 'number' ? Number(v.toPrecision(4)) : v
  process.stdout.write(`${JSON.stringify({ name, value: Number(value.toPrecision(4)), unit, ...rounded })}\n`)
}

/** Median wall and CPU seconds per call of f, after 3 warm-up calls, over at least `minSeconds` and 5 calls. */
function measure(f: () => void, minSeconds = 0.5): { wall: number; cpu: number } {
  for (let i = 0; i < 3; i++) f()
  const walls: number[] = []
  const cpuStart = process.cpuUsage()
  const start = performance.now()
  while (walls.length < 5 || performance.now() - start < minSeconds * 1000) {
    const t0 = performance.now()
    f()
    walls.push((performance.now() - t0) / 1000)
  }
  const c = process.cpuUsage(cpuStart)
  walls.sort((a, b) => a - b)
  return { wall: walls[Math.floor(walls.length / 2)]!, cpu: (c.user + c.system) / 1e6 / walls.length }
}

function normal(rng: Rng, n: number, scale = 1): Float32Array {
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) out[i] = rng.normal() * scale
  return out
}

process.stderr.write(
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, load ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
)
const rng = new Rng(1)

// 1. GEMM. Each forward product X[m,k]·W[k,n] with its two backprop products.
interface Product {
  label: string
  m: number
  k: number
  n: number
  transA: boolean
  transB: boolean
}
const products: Product[] = []
for (const [m, k, n] of [
  [500, 488, 256],
  [500, 2540, 256],
] as const) {
  products.push({ label: `X·W ${m}×${k}×${n}`, m, k, n, transA: false, transB: false })
  products.push({ label: `Xᵀ·dY ${k}×${m}×${n} (transA)`, m: k, k: m, n, transA: true, transB: false })
  products.push({ label: `dY·Wᵀ ${m}×${n}×${k} (transB)`, m, k: n, n: k, transA: false, transB: true })
}
const inputs = products.map((p) => ({ a: normal(rng, p.m * p.k), b: normal(rng, p.k * p.n) }))

// The reference: TensorFlow.js wasm (what the trainer used before), same products, transposes in tf.matMul.
const reference: number[] = []
if (!values['no-reference']) {
  const { loadTf } = await import('../packages/synth/src/ctgan/internal/engine/loadTf.js')
  const { tf } = await loadTf('wasm')
  products.forEach((p, i) => {
    const { a, b } = inputs[i]!
    const ta = tf.tensor2d(a, p.transA ? [p.k, p.m] : [p.m, p.k])
    const tb = tf.tensor2d(b, p.transB ? [p.n, p.k] : [p.k, p.n])
    const t = measure(() => {
      const c = tf.matMul(ta, tb, p.transA, p.transB)
      c.dataSync()
      c.dispose()
    })
    reference[i] = (2 * p.m * p.k * p.n) / t.wall / 1e9
    ta.dispose()
    tb.dispose()
  })
}

for (const threads of [1, 2]) {
  const engine = createOnnxEngine({ threads })
  products.forEach((p, i) => {
    const { a, b } = inputs[i]!
    const t = measure(() => engine.gemm(a, b, p.m, p.k, p.n, p.transA, p.transB))
    const gflops = (2 * p.m * p.k * p.n) / t.wall / 1e9
    const ref = reference[i]
    figure(`onnx gemm ${p.label}, ${threads} thread${threads > 1 ? 's' : ''}`, gflops, 'GFLOP/s', {
      ms: t.wall * 1000,
      cpuMs: t.cpu * 1000,
      ...(ref === undefined
        ? {}
        : { reference: ref, referenceName: 'tfjs-wasm matMul, 1 thread', ratio: gflops / ref }),
    })
  })
  engine.dispose()
}

// 2. Generator sampling pass, Adult-sized.
const embeddingDim = 128
const condDim = 103
const numContinuous = 6
// 6 mode spans (≤ 10 Gaussian-mixture modes per numeric column) and 9 categorical spans (104 categories).
const spanSizes = [10, 10, 10, 10, 9, 9, 9, 16, 7, 15, 6, 5, 2, 42, 2]
const spans: [number, number][] = []
let at = numContinuous
for (const size of spanSizes) {
  spans.push([at, size])
  at += size
}
const dataDim = at
const layer = (inputs: number, width: number): FoldedLayer => ({
  inputs,
  width,
  w: normal(rng, inputs * width, 1 / Math.sqrt(inputs)),
  rowFor: normal(rng, (condDim + 1) * width, 0.1),
})
const generator: FoldedGenerator = {
  embeddingDim,
  condDim,
  dataDim,
  numContinuous,
  spans,
  hidden: [layer(128, 256), layer(384, 256)],
  out: layer(640, dataDim),
}
const flopsPerRow = 2 * (128 * 256 + 384 * 256 + 640 * dataDim)
process.stderr.write(
  `generator: dataDim ${dataDim}, ${spans.length} spans, ${(flopsPerRow / 1e3).toFixed(0)} kFLOP per row in products\n`,
)
for (const threads of [1, 2]) {
  const engine = createOnnxEngine({ threads })
  const run = engine.createGeneratorRunner(generator)
  for (const rows of [8192, 65536]) {
    const noise = normal(rng, rows * embeddingDim)
    const cond = new Int32Array(rows)
    for (let r = 0; r < rows; r++) cond[r] = rng.int(condDim + 1)
    const t = measure(() => run(noise, cond, rows), 1)
    figure(
      `onnx generator runner (Adult-sized), ${rows} rows per call, ${threads} thread${threads > 1 ? 's' : ''}`,
      rows / t.wall,
      'rows/s',
      {
        ms: t.wall * 1000,
        cpuMs: t.cpu * 1000,
        productGflops: (rows * flopsPerRow) / t.wall / 1e9,
      },
    )
  }
  engine.dispose()
}
process.stderr.write(
  `load after: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}\n`,
)
