import type { Networks, Weight } from '../networks.js'

/**
 * Moves the shard [lo, hi) of every averaged generator variable towards the current weights: an exponential
 * moving average (Yazıcı et al. 2019) whose decay ramps up as min(decay, (1 + t)/(10 + t)) over steps t.
 */
export function updateAverage(
  average: readonly Float32Array[],
  master: readonly Weight[],
  options: { readonly decay: number; readonly step: number; readonly shard: (length: number) => [number, number] },
): void {
  const t = options.step
  const decay = Math.min(options.decay, (1 + t) / (10 + t))
  master.forEach((w, i) => {
    const a = average[i]!
    const v = w.values
    const [lo, hi] = options.shard(a.length)
    for (let j = lo; j < hi; j++) a[j] = decay * a[j]! + (1 - decay) * v[j]!
  })
}

/**
 * A generator with the averaged weights (`average` in generatorVariables order of `own`), as fresh copies (the
 * average may live in shared memory, which ONNX Runtime does not take as input), and empty running statistics:
 * those belong to the raw weights, so they are recomputed for the average ("standing statistics").
 */
export function averagedGenerator(nets: Networks, own: readonly Weight[], average: readonly Float32Array[]): Networks {
  const averageOf = new Map(own.map((w, i) => [w, average[i]!]))
  const averageFor = (w: Weight): Weight => ({ shape: w.shape, values: Float32Array.from(averageOf.get(w)!) })
  const empty = (w: Weight): Weight => ({ shape: w.shape, values: new Float32Array(w.values.length) })
  const blocks = nets.blocks.map((b) => ({
    w: averageFor(b.w),
    gamma: averageFor(b.gamma),
    beta: averageFor(b.beta),
    runMean: empty(b.runMean),
    runVar: empty(b.runVar),
  }))
  return { ...nets, blocks, outW: averageFor(nets.outW), outB: averageFor(nets.outB) }
}
