import { internalError } from '../internalError.js'
import type { LoadedTf } from './loadTf.js'
import type { MatrixEngine } from './MatrixEngine.js'
import { runGeneratorOnHost } from './runGeneratorOnHost.js'

/**
 * A MatrixEngine over TensorFlow.js (tfjs-node, wasm or cpu): each product uploads its operands, multiplies
 * and downloads the result. On wasm a transposed matMul runs ~15× slower than a plain one (measured: 190 ms
 * vs 12 ms for 500×1280×256), so there the transposition is done on the host first.
 */
export function createTfjsEngine({ tf, backend }: LoadedTf): MatrixEngine {
  const hostTranspose = backend === 'wasm'
  const gemm: MatrixEngine['gemm'] = (a, b, m, k, n, transA = false, transB = false) => {
    if (a.length < m * k || b.length < k * n)
      throw internalError(`gemm: operands of ${a.length} and ${b.length} values cannot be ${m}×${k} and ${k}×${n}.`)
    let ta = transA
    let tb = transB
    let av = a.subarray(0, m * k)
    let bv = b.subarray(0, k * n)
    if (hostTranspose && ta) {
      av = transpose(av, k, m)
      ta = false
    }
    if (hostTranspose && tb) {
      bv = transpose(bv, n, k)
      tb = false
    }
    const product = tf.tidy(() =>
      tf.matMul(tf.tensor2d(av, ta ? [k, m] : [m, k]), tf.tensor2d(bv, tb ? [n, k] : [k, n]), ta, tb),
    )
    // Read outside tf.tidy: tidy walks whatever its callback returns.
    const values = product.dataSync() as Float32Array
    product.dispose()
    // The cpu backend may hand back its own buffer; a copy keeps callers free to write into the result.
    return backend === 'cpu' ? Float32Array.from(values) : values
  }
  return {
    backend,
    threads: 1,
    gemm,
    createGeneratorRunner: (generator) => runGeneratorOnHost(generator, gemm),
    dispose: () => {},
  }
}

/** [rows, cols] → [cols, rows]. */
function transpose(x: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c]!
  return out
}
