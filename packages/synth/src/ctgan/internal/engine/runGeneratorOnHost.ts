import type { FoldedGenerator, GeneratorRunner } from './MatrixEngine.js'

type Gemm = (a: Float32Array, b: Float32Array, m: number, k: number, n: number) => Float32Array

/**
 * The sampling forward pass of a folded generator (see FoldedGenerator) as host loops around a GEMM: the
 * conditional rows are looked up and added, ReLU and the residual concatenation are copies, and the output
 * gets tanh on α and a softmax per span. Used by the TensorFlow.js engines; ONNX Runtime compiles the same
 * pass into one graph.
 */
export function runGeneratorOnHost(generator: FoldedGenerator, gemm: Gemm): GeneratorRunner {
  const { embeddingDim, dataDim, numContinuous, spans } = generator
  return (noise, cond, rows) => {
    let h = noise
    let width = embeddingDim
    for (const layer of generator.hidden) {
      const pre = gemm(h, layer.w, rows, width, layer.width)
      const nextWidth = layer.width + width
      const next = new Float32Array(rows * nextWidth)
      for (let r = 0; r < rows; r++) {
        const lookup = cond[r]! * layer.width
        const o = r * layer.width
        const n = r * nextWidth
        for (let j = 0; j < layer.width; j++) {
          const v = pre[o + j]! + layer.rowFor[lookup + j]!
          next[n + j] = Math.max(v, 0)
        }
        next.set(h.subarray(r * width, (r + 1) * width), n + layer.width)
      }
      h = next
      width = nextWidth
    }
    const out = gemm(h, generator.out.w, rows, width, dataDim)
    for (let r = 0; r < rows; r++) {
      const o = r * dataDim
      const lookup = cond[r]! * dataDim
      for (let j = 0; j < dataDim; j++) out[o + j]! += generator.out.rowFor[lookup + j]!
      for (let j = 0; j < numContinuous; j++) out[o + j] = Math.tanh(out[o + j]!)
      for (const [start, size] of spans) {
        let max = Number.NEGATIVE_INFINITY
        for (let t = 0; t < size; t++) if (out[o + start + t]! > max) max = out[o + start + t]!
        let sum = 0
        for (let t = 0; t < size; t++) {
          const e = Math.exp(out[o + start + t]! - max)
          out[o + start + t] = e
          sum += e
        }
        for (let t = 0; t < size; t++) out[o + start + t]! /= sum
      }
    }
    return out
  }
}
