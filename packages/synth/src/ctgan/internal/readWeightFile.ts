import { readFile } from 'node:fs/promises'
import { SynthError } from '../../errors.js'

export interface WeightSpec {
  readonly name: string
  readonly shape: readonly number[]
}

/**
 * Reads a tfjs-format weight file (float32 little-endian, concatenated in manifest order) and checks that
 * every tensor the architecture needs is present with the expected shape and that the byte count matches.
 */
export async function readWeightFile(
  path: string,
  manifest: readonly WeightSpec[],
  expected: readonly (readonly [string, readonly number[]])[],
): Promise<Map<string, { shape: number[]; values: Float32Array }>> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (cause) {
    throw new SynthError(
      'MG_SYNTH_MODEL_UNREADABLE',
      `Cannot read the CTGAN weight file ${path}: ${(cause as Error).message}.`,
      {
        hint: 'Keep the .weights.bin file beside the model JSON (they are written together by `synth train`).',
        cause,
        location: { file: path },
      },
    )
  }
  const bad = (why: string): SynthError =>
    new SynthError('MG_SYNTH_MODEL_CORRUPT', `The CTGAN weight file ${path} does not match its model: ${why}.`, {
      hint: 'The weight file belongs to another model or is damaged; train the model again.',
      location: { file: path },
    })
  const total = manifest.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0)
  if (bytes.length !== total * 4) throw bad(`expected ${total * 4} bytes, found ${bytes.length}`)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Map<string, { shape: number[]; values: Float32Array }>()
  let offset = 0
  for (const w of manifest) {
    const size = w.shape.reduce((a, b) => a * b, 1)
    const values = new Float32Array(size)
    for (let i = 0; i < size; i++) values[i] = view.getFloat32((offset + i) * 4, true)
    offset += size
    for (const v of values) {
      if (!Number.isFinite(v)) throw bad(`"${w.name}" holds a non-finite value`)
    }
    out.set(w.name, { shape: [...w.shape], values })
  }
  for (const [name, shape] of expected) {
    const got = out.get(name)
    if (got === undefined) throw bad(`"${name}" is missing`)
    if (got.shape.length !== shape.length || got.shape.some((d, i) => d !== shape[i])) {
      throw bad(`"${name}" has shape [${got.shape.join(', ')}], the architecture needs [${shape.join(', ')}]`)
    }
  }
  return out
}
