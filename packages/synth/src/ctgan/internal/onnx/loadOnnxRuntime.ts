import { createRequire } from 'node:module'
import { SYNTH_ERROR_CODES, SynthError } from '../../../errors.js'

/**
 * The one file that touches onnxruntime-node, and it does so through the package's private native binding.
 *
 * Why: the public API of onnxruntime-node is asynchronous only, but `SynthModel.sample()` is synchronous. In
 * 1.20.1 the public `InferenceSession.run` merely defers the native, synchronous `binding.InferenceSession#run`
 * with setImmediate (dist/backend.js), so we call that binding directly. It is a private API, which is why
 * package.json pins the version exactly and this loader refuses any other version or a binding of another shape
 * (SynthError MG_SYNTH_BACKEND_UNAVAILABLE, so the caller can fall back to TensorFlow.js).
 *
 * Observed behaviour of the 1.20.1 binding (checked when this was written):
 * - feeds are plain `{ type, dims, data }` objects (the binding reads those three properties; no
 *   onnxruntime-common Tensor is needed), fetches are `{ name: null }`;
 * - outputs are plain `{ type, dims, size, data }` objects whose `data` is a fresh typed array of exactly the
 *   output's size (byteOffset 0), so it can be handed out without a copy;
 * - session options: intraOpNumThreads, interOpNumThreads, graphOptimizationLevel, executionMode, enableCpuMemArena,
 *   enableMemPattern, logId, logSeverityLevel, executionProviders. There is no `extra` (session config entries):
 *   `session.intra_op.allow_spinning` cannot be set, so with 2+ threads the pool's worker spins for up to ~30 ms
 *   after each run (measured: a core's worth of CPU while JS does host work between calls; wall time unaffected);
 * - ORT logs failures to stderr unless logSeverityLevel is 4 (fatal only); a library never prints, so we set 4
 *   and report failures through the thrown errors instead.
 */

/** The exact version whose private binding this file was written against. */
export const ONNX_RUNTIME_VERSION = '1.20.1'

export type OnnxTensorType = 'float32' | 'int32' | 'int64'
export type OnnxTensorData = Float32Array | Int32Array | BigInt64Array

export interface OnnxFeed {
  readonly type: OnnxTensorType
  readonly dims: readonly number[]
  readonly data: OnnxTensorData
}

export interface OnnxOutput {
  readonly dims: readonly number[]
  readonly data: OnnxTensorData
}

/** A loaded model; `run` is synchronous. */
export interface OnnxSession {
  readonly inputNames: readonly string[]
  readonly outputNames: readonly string[]
  /** Runs the model; throws an Error naming `label` when ONNX Runtime rejects the inputs. */
  run(feeds: Readonly<Record<string, OnnxFeed>>, outputs: readonly string[]): Record<string, OnnxOutput>
  dispose(): void
}

export interface OnnxSessionOptions {
  /** Intra-op threads (ONNX Runtime's pool, the calling thread included). */
  readonly threads: number
  /** What the model is, for error messages ("the Gemm model"). */
  readonly label: string
}

export interface OnnxRuntime {
  readonly version: string
  /** Loads a serialised ONNX model; throws MG_SYNTH_BACKEND_UNAVAILABLE when ONNX Runtime rejects it. */
  createSession(model: Uint8Array, options: OnnxSessionOptions): OnnxSession
}

/** The shape we rely on in the private binding (dist/binding.js of onnxruntime-node 1.20.1). */
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void
  run(feeds: object, fetches: object, options: object): Record<string, unknown>
  dispose(): void
  readonly inputNames: string[]
  readonly outputNames: string[]
}
type NativeSessionConstructor = new () => NativeSession

const HINT = `Reinstall onnxruntime-node ${ONNX_RUNTIME_VERSION} (its prebuilt library must match this platform), or use another CTGAN backend such as "wasm".`

let loaded: OnnxRuntime | undefined

/**
 * Loads onnxruntime-node's native library on first call (importing @modelgate/synth never does) and returns a
 * synchronous session factory. Throws SynthError MG_SYNTH_BACKEND_UNAVAILABLE when the package, its native
 * library or the expected binding shape is missing.
 */
export function loadOnnxRuntime(): OnnxRuntime {
  if (loaded !== undefined) return loaded
  const require = createRequire(import.meta.url)
  let version: unknown
  try {
    version = (require('onnxruntime-node/package.json') as { version?: unknown }).version
  } catch (error) {
    throw unavailable(`onnxruntime-node is not installed (${(error as Error).message})`)
  }
  if (version !== ONNX_RUNTIME_VERSION) {
    throw unavailable(`found onnxruntime-node ${String(version)}, but ModelGate calls the native binding of exactly ${ONNX_RUNTIME_VERSION}`)
  }
  let binding: unknown
  try {
    binding = (require('onnxruntime-node/dist/binding.js') as { binding?: unknown }).binding
  } catch (error) {
    throw unavailable(`its native library did not load on ${process.platform}/${process.arch} (${(error as Error).message})`)
  }
  const Session = (binding as { InferenceSession?: unknown } | undefined)?.InferenceSession
  const proto = typeof Session === 'function' ? (Session.prototype as Record<string, unknown>) : undefined
  const missing = ['loadModel', 'run', 'dispose'].filter((f) => typeof proto?.[f] !== 'function')
  if (proto === undefined || missing.length > 0) {
    throw unavailable(`its native binding lacks InferenceSession${proto === undefined ? '' : `#${missing.join(', #')}`}`)
  }
  const runtime: OnnxRuntime = {
    version: ONNX_RUNTIME_VERSION,
    createSession: (model, options) => createSession(Session as NativeSessionConstructor, model, options),
  }
  loaded = runtime
  return runtime
}

function createSession(Session: NativeSessionConstructor, model: Uint8Array, options: OnnxSessionOptions): OnnxSession {
  const { threads, label } = options
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`ONNX Runtime threads must be a positive integer, got ${threads}`)
  const native = new Session()
  try {
    native.loadModel(model.buffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      logSeverityLevel: 4,
    })
  } catch (error) {
    throw new SynthError(SYNTH_ERROR_CODES.backendUnavailable, `ONNX Runtime ${ONNX_RUNTIME_VERSION} rejected ${label}: ${(error as Error).message}`, {
      hint: 'This is a bug in ModelGate (please report it); meanwhile use another CTGAN backend such as "wasm".',
    })
  }
  const inputNames = [...native.inputNames]
  const outputNames = [...native.outputNames]
  let disposed = false
  return {
    inputNames,
    outputNames,
    run(feeds, outputs) {
      if (disposed) throw new Error(`ONNX Runtime session for ${label} used after dispose()`)
      const fetches: Record<string, null> = {}
      for (const name of outputs) fetches[name] = null
      let result: Record<string, unknown>
      try {
        result = native.run(feeds, fetches, { logSeverityLevel: 4 })
      } catch (error) {
        throw new Error(`ONNX Runtime failed running ${label}: ${(error as Error).message}`)
      }
      const out: Record<string, OnnxOutput> = {}
      for (const name of outputs) out[name] = checkOutput(result[name], name, label)
      return out
    },
    dispose() {
      if (disposed) return
      disposed = true
      native.dispose()
    },
  }
}

function checkOutput(value: unknown, name: string, label: string): OnnxOutput {
  const v = value as { dims?: unknown; data?: unknown } | undefined
  const data = v?.data
  if (
    v === undefined ||
    !Array.isArray(v.dims) ||
    !(data instanceof Float32Array || data instanceof Int32Array || data instanceof BigInt64Array)
  ) {
    throw new Error(`ONNX Runtime returned no typed-array output "${name}" for ${label}`)
  }
  return { dims: v.dims as number[], data }
}

function unavailable(reason: string): SynthError {
  return new SynthError(SYNTH_ERROR_CODES.backendUnavailable, `ONNX Runtime is unavailable: ${reason}.`, { hint: HINT })
}
