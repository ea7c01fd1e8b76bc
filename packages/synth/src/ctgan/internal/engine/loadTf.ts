import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type * as TF from '@tensorflow/tfjs'
import { SynthError } from '../../../errors.js'

type Tf = typeof TF
export type TfBackend = 'tensorflow' | 'wasm' | 'cpu'

export interface LoadedTf {
  readonly tf: Tf
  readonly backend: TfBackend
}

let cached: { tf: Tf; backend: TfBackend } | undefined

/**
 * Loads TensorFlow.js lazily (importing this package registers nothing) and picks a backend:
 * tfjs-node when the user has installed it, else WebAssembly (SIMD, XNNPACK; its .wasm files are read from
 * the installed package, never fetched), else the pure-JS cpu backend. `prefer` forces one.
 * TensorFlow.js backends are process-wide, so the first choice sticks until another is forced.
 */
export async function loadTf(prefer: TfBackend | 'auto' = 'auto'): Promise<LoadedTf> {
  if (cached !== undefined && (prefer === 'auto' || prefer === cached.backend)) return cached
  const order: TfBackend[] = prefer === 'auto' ? ['tensorflow', 'wasm', 'cpu'] : [prefer]
  const failures: string[] = []
  for (const backend of order) {
    try {
      const loaded = await tryBackend(backend)
      cached = loaded
      return loaded
    } catch (error) {
      failures.push(`${backend}: ${(error as Error).message}`)
    }
  }
  throw new SynthError(
    'MG_SYNTH_BACKEND_UNAVAILABLE',
    `TensorFlow.js backend "${prefer}" could not be started (${failures.join('; ')}).`,
    {
      hint:
        prefer === 'tensorflow'
          ? 'Install @tensorflow/tfjs-node beside @modelgate/synth, or pass --backend wasm.'
          : 'Pass --backend cpu to use the pure-JavaScript backend.',
    },
  )
}

async function tryBackend(backend: TfBackend): Promise<LoadedTf> {
  if (backend === 'tensorflow') {
    // A variable specifier keeps bundlers and tsc from requiring the optional package.
    const name = '@tensorflow/tfjs-node'
    const tf = (await import(name)) as Tf
    await tf.setBackend('tensorflow')
    await tf.ready()
    return { tf, backend }
  }
  const tf = await import('@tensorflow/tfjs')
  // PROD silences tfjs' console advice ("install tfjs-node") — a library never prints.
  tf.env().set('PROD', true)
  if (backend === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm')
    const require = createRequire(import.meta.url)
    const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')
    // In Node the emscripten loader reads the path from disk; a file path with a trailing separator.
    wasm.setWasmPaths(`${dist}/`)
  }
  if (!(await tf.setBackend(backend))) throw new Error('setBackend returned false')
  await tf.ready()
  return { tf, backend }
}
