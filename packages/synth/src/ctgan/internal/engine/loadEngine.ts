import { SynthError } from '../../../errors.js'
import { createTfjsEngine } from './createTfjsEngine.js'
import { loadTf } from './loadTf.js'
import type { CtganBackend, MatrixEngine } from './MatrixEngine.js'

export interface LoadEngineOptions {
  /** Threads for the products (ONNX Runtime only; default: the machine's cores, at most 4). */
  readonly threads?: number
}

/**
 * Starts the engine for the CTGAN's matrix products. `auto` tries, in order: ONNX Runtime (native MLAS
 * GEMM, multi-threaded; measured ~100 GFLOP/s per core here against ~31 for tfjs-wasm), tfjs-node when the
 * user has installed it, tfjs-wasm (SIMD, XNNPACK, single-threaded in Node), and the pure-JS cpu backend.
 * Each is loaded lazily: importing @modelgate/synth loads none of them.
 */
export async function loadEngine(
  prefer: CtganBackend | 'auto' = 'auto',
  options: LoadEngineOptions = {},
): Promise<MatrixEngine> {
  if (options.threads !== undefined && (!Number.isInteger(options.threads) || options.threads < 1)) {
    throw new SynthError('MG_SYNTH_BAD_OPTION', `threads must be a positive integer, got ${options.threads}.`, {
      hint: "Pass a positive integer, e.g. 2 (default: the machine's cores, at most 4).",
    })
  }
  const order: CtganBackend[] = prefer === 'auto' ? ['onnxruntime', 'tensorflow', 'wasm', 'cpu'] : [prefer]
  const failures: string[] = []
  for (const backend of order) {
    try {
      if (backend === 'onnxruntime') {
        const { createOnnxEngine } = await import('./createOnnxEngine.js')
        return createOnnxEngine(options.threads === undefined ? {} : { threads: options.threads })
      }
      return createTfjsEngine(await loadTf(backend))
    } catch (error) {
      failures.push(`${backend}: ${(error as Error).message}`)
    }
  }
  throw new SynthError(
    'MG_SYNTH_BACKEND_UNAVAILABLE',
    `CTGAN backend "${prefer}" could not be started (${failures.join('; ')}).`,
    {
      hint:
        prefer === 'tensorflow'
          ? 'Install @tensorflow/tfjs-node beside @modelgate/synth, or pass --backend onnxruntime or wasm.'
          : prefer === 'onnxruntime'
            ? 'onnxruntime-node ships native libraries for Linux, macOS and Windows on x64 and arm64; elsewhere pass --backend wasm.'
            : prefer === 'auto'
              ? 'Add a CTGAN runtime beside @modelgate/synth (optional peer dependencies): ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@1.30.0, or npm install @tensorflow/tfjs@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0.'
              : 'Pass --backend cpu to use the pure-JavaScript backend.',
    },
  )
}
