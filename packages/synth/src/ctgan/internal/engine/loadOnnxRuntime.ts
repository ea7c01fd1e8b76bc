import { createRequire } from 'node:module'
import { SynthError } from '../../../errors.js'
import { internalError } from '../internalError.js'

/**
 * The one file that touches onnxruntime-node, and it does so through the package's private native binding.
 *
 * Why: the public API of onnxruntime-node is asynchronous only, but `SynthModel.sample()` is synchronous. The
 * public `InferenceSession.run` merely defers the native, synchronous `binding.InferenceSession#run` with
 * setImmediate (dist/backend.js), so we call that binding directly. It is a private API, which is why
 * package.json pins the version exactly and this loader refuses any other version or a binding of another shape
 * (SynthError MG_SYNTH_BACKEND_UNAVAILABLE, so the caller can fall back to TensorFlow.js).
 *
 * Observed behaviour of the 1.30.0 binding (checked when this was written):
 * - `initOrt()` from dist/binding.js must run once before the first session;
 * - feeds are plain `{ type, dims, data, location: 'cpu' }` objects (no onnxruntime-common Tensor is needed),
 *   fetches are `{ name: null }`; names come from `inputMetadata`/`outputMetadata`;
 * - outputs carry `dims` and a fresh typed array `data` of exactly the output's size, handed out without a copy;
 * - session config entries go in `extra`: we turn `session.intra_op.allow_spinning` off. 1.20.1 had no `extra`,
 *   and its pool's worker spun for ~30 ms after each product, taking the core our host loops need between
 *   products: CTGAN training on 2 threads then ran at 9.4 s per epoch against 4.0 s with spinning off;
 * - ORT logs failures to stderr unless logSeverityLevel is 4 (fatal only); a library never prints, so we set 4
 *   and report failures through the thrown errors instead.
 */

/** The exact version whose private binding this file was written against. */
const ONNX_RUNTIME_VERSION = '1.30.0'

type OnnxTensorType = 'float32' | 'int32' | 'int64'
type OnnxTensorData = Float32Array | Int32Array | BigInt64Array

interface OnnxFeed {
  readonly type: OnnxTensorType
  readonly dims: readonly number[]
  readonly data: OnnxTensorData
}

interface OnnxOutput {
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

interface OnnxSessionOptions {
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

/** The shape we rely on in the private binding (dist/binding.js of onnxruntime-node 1.30.0). */
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, byteOffset: number, byteLength: number, options: object): void
  run(feeds: object, fetches: object, options: object): Record<string, unknown>
  dispose(): void
  /** [{ name, … }] per input and output (1.2x+; older bindings had inputNames/outputNames). */
  readonly inputMetadata: readonly { readonly name: string }[]
  readonly outputMetadata: readonly { readonly name: string }[]
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
    throw unavailable(
      `onnxruntime-node, an optional peer dependency of @modelgate/synth, is not installed (${(error as Error).message.split('\n')[0]})`,
      `Add it beside @modelgate/synth: ONNXRUNTIME_NODE_INSTALL=skip npm install onnxruntime-node@${ONNX_RUNTIME_VERSION} (the variable skips its install script's optional CUDA download; the CPU library is in the package).`,
    )
  }
  if (version !== ONNX_RUNTIME_VERSION) {
    throw unavailable(
      `found onnxruntime-node ${String(version)}, but ModelGate calls the native binding of exactly ${ONNX_RUNTIME_VERSION}`,
    )
  }
  let binding: unknown
  try {
    const module = require('onnxruntime-node/dist/binding.js') as { binding?: unknown; initOrt?: unknown }
    if (typeof module.initOrt !== 'function') throw new Error('dist/binding.js has no initOrt()')
    // Registers the log level and onnxruntime-common's Tensor class with the native side (once per process).
    module.initOrt()
    binding = module.binding
  } catch (error) {
    throw unavailable(
      `its native library did not load on ${process.platform}/${process.arch} (${(error as Error).message})`,
    )
  }
  const Session = (binding as { InferenceSession?: unknown } | undefined)?.InferenceSession
  const proto = typeof Session === 'function' ? (Session.prototype as Record<string, unknown>) : undefined
  const missing = ['loadModel', 'run', 'dispose'].filter((f) => typeof proto?.[f] !== 'function')
  if (proto === undefined || missing.length > 0) {
    throw unavailable(
      `its native binding lacks InferenceSession${proto === undefined ? '' : `#${missing.join(', #')}`}`,
    )
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
  if (!Number.isInteger(threads) || threads < 1)
    throw internalError(`ONNX Runtime threads must be a positive integer, got ${threads}.`)
  const native = new Session()
  try {
    native.loadModel(model.buffer, model.byteOffset, model.byteLength, {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      logSeverityLevel: 4,
      // The pool's workers would otherwise spin for a while after each product, taking the core the
      // JavaScript host loops between products need.
      extra: { session: { intra_op: { allow_spinning: '0' } } },
    })
  } catch (error) {
    throw new SynthError(
      'MG_SYNTH_BACKEND_UNAVAILABLE',
      `ONNX Runtime ${ONNX_RUNTIME_VERSION} rejected ${label}: ${(error as Error).message}`,
      {
        hint: 'This is a bug in ModelGate (please report it); meanwhile use another CTGAN backend such as "wasm".',
      },
    )
  }
  const inputNames = native.inputMetadata.map((m) => m.name)
  const outputNames = native.outputMetadata.map((m) => m.name)
  let disposed = false
  return {
    inputNames,
    outputNames,
    run(feeds, outputs) {
      if (disposed) throw internalError(`The ONNX Runtime session for ${label} was used after dispose().`)
      const fetches: Record<string, null> = {}
      for (const name of outputs) fetches[name] = null
      // The binding reads type, dims, data and (since 1.2x) location: 'cpu' from each feed.
      const located: Record<string, OnnxFeed & { location: 'cpu' }> = {}
      for (const [name, feed] of Object.entries(feeds))
        located[name] = { type: feed.type, dims: feed.dims, data: feed.data, location: 'cpu' }
      let result: Record<string, unknown>
      try {
        result = native.run(located, fetches, { logSeverityLevel: 4 })
      } catch (error) {
        throw new SynthError(
          'MG_SYNTH_BACKEND_FAILED',
          `ONNX Runtime failed running ${label}: ${(error as Error).message}`,
          { cause: error, exitCode: 1, hint: 'If memory ran out, sample in smaller chunks or with fewer threads.' },
        )
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
    throw internalError(`ONNX Runtime returned no typed-array output "${name}" for ${label}.`)
  }
  return { dims: v.dims as number[], data }
}

function unavailable(reason: string, hint = HINT): SynthError {
  return new SynthError('MG_SYNTH_BACKEND_UNAVAILABLE', `ONNX Runtime is unavailable: ${reason}.`, { hint })
}
