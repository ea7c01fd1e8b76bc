// The KLL quantile sketch's rank error, measured over seeds: the figures behind quantileSketchRankError() and
// quantileSketchSize() in @modelgate/stats. Run: node --import tsx bench/kll-error.bench.ts [--quick]
// (or `pnpm bench kll-error`). About 10 minutes on one core; --quick runs a tenth of the seeds.
//
// For every sketch, the error is the largest normalized rank error over all values, sup_x |R̂(x) − R(x)| / n, with
// R(x) the exact count of values ≤ x (and < x: both sides of every retained item are checked), scaled by k so that
// different k can be pooled. Inputs: random order, sorted, reversed, heavy ties (10 distinct values), and sketches
// merged from 8 partitions — as baselines built per partition are. Prints JSON lines (quantiles of err·k per case)
// and the bound's exceedance counts.
import { createQuantileSketch, type QuantileSketch, quantileSketchRankError } from '@modelgate/stats'

const quick = process.argv.includes('--quick')

function lcg(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    return (s + 0.5) / 2 ** 32
  }
}

function upperBound(s: Float64Array, v: number): number {
  let lo = 0
  let hi = s.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((s[mid] as number) <= v) lo = mid + 1
    else hi = mid
  }
  return lo
}

function lowerBound(s: Float64Array, v: number): number {
  let lo = 0
  let hi = s.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((s[mid] as number) < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** sup_x |R̂(x) − R(x)| / n over both sides of every retained item (the estimate only changes there). */
function supRankError(sketch: QuantileSketch, sorted: Float64Array): number {
  const items: [number, number][] = []
  sketch.toJSON().levels.forEach((level, h) => {
    for (const v of level) items.push([v, 2 ** h])
  })
  items.sort((a, b) => a[0] - b[0])
  let cum = 0
  let worst = 0
  for (let i = 0; i < items.length; ) {
    const v = (items[i] as [number, number])[0]
    worst = Math.max(worst, Math.abs(cum - lowerBound(sorted, v)))
    while (i < items.length && (items[i] as [number, number])[0] === v) cum += (items[i++] as [number, number])[1]
    worst = Math.max(worst, Math.abs(cum - upperBound(sorted, v)))
  }
  return worst / sorted.length
}

type Shape = 'random' | 'sorted' | 'reversed' | 'ties' | 'merged8'

function run(shape: Shape, k: number, n: number, seeds: number): number[] {
  const scaled: number[] = []
  for (let seed = 0; seed < seeds; seed++) {
    const rnd = lcg(1000 * seed + n + k)
    const data = Float64Array.from({ length: n }, () => (shape === 'ties' ? Math.floor(rnd() * 10) : rnd()))
    if (shape === 'sorted') data.sort()
    if (shape === 'reversed') data.sort().reverse()
    let sketch: QuantileSketch
    if (shape === 'merged8') {
      sketch = createQuantileSketch({ k, seed: seed + 1 })
      const part = Math.ceil(n / 8)
      for (let p = 0; p < 8; p++) {
        sketch.merge(
          createQuantileSketch({ k, seed: 100 * seed + p + 7 }).addAll(data.subarray(p * part, (p + 1) * part)),
        )
      }
    } else {
      sketch = createQuantileSketch({ k, seed: seed + 1 }).addAll(data)
    }
    scaled.push(supRankError(sketch, Float64Array.from(data).sort()) * k)
  }
  return scaled.sort((a, b) => a - b)
}

const q = (xs: number[], p: number): number => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] as number
const cases: [Shape, number, number, number][] = [
  ['random', 64, 10_000, 400],
  ['random', 200, 10_000, 400],
  ['random', 1024, 10_000, 400],
  ['random', 64, 100_000, 300],
  ['random', 200, 100_000, 300],
  ['random', 1024, 100_000, 300],
  ['random', 200, 1_000_000, 80],
  ['random', 1024, 1_000_000, 80],
  ['random', 200, 10_000_000, 12],
  ['sorted', 200, 100_000, 200],
  ['reversed', 200, 100_000, 200],
  ['ties', 200, 100_000, 200],
  ['merged8', 200, 100_000, 200],
  ['merged8', 200, 1_000_000, 60],
]
const checks = [0.9, 0.99, 0.999]
const exceed = new Map(checks.map((c) => [c, { over: 0, total: 0 }]))
for (const [shape, k, n, seeds] of cases) {
  const s = Math.max(4, quick ? Math.round(seeds / 10) : seeds)
  const t0 = performance.now()
  const xs = run(shape, k, n, s)
  for (const c of checks) {
    const bound = quantileSketchRankError(k, { confidence: c }) * k
    const e = exceed.get(c) as { over: number; total: number }
    e.over += xs.filter((x) => x > bound).length
    e.total += xs.length
  }
  process.stdout.write(
    `${JSON.stringify({
      shape,
      k,
      n,
      seeds: s,
      median·k: Number(q(xs, 0.5).toFixed(3)),
      p90·k: Number(q(xs, 0.9).toFixed(3)),
      p99·k: Number(q(xs, 0.99).toFixed(3)),
      max·k: Number((xs[xs.length - 1] as number).toFixed(3)),
      seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    })}\n`,
  )
}
for (const [c, { over, total }] of exceed) {
  process.stdout.write(
    `${JSON.stringify({ confidence: c, bound: 'quantileSketchRankError(k, { confidence })', over, total })}\n`,
  )
}
