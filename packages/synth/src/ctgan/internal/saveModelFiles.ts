import { basename, dirname, join } from 'node:path'
import { writeFilesAtomic } from '@modelgate/core'
import { SynthError } from '../../errors.js'
import type { SynthModelFile } from '../../modelFile.js'
import type { CtganSection } from './ctganSection.js'
import type { Weight } from './networks.js'

/** The weight file written beside `model.json`: `model.weights.bin`. */
function weightFileName(jsonPath: string): string {
  return `${basename(jsonPath).replace(/\.json$/i, '')}.weights.bin`
}

export interface SaveModelFilesOptions {
  readonly file: SynthModelFile
  readonly section: CtganSection
  readonly weights: ReadonlyMap<string, Weight>
  /** The weights to write, in this order (default: the section's manifest, i.e. the generator's). */
  readonly order?: readonly string[]
}

/**
 * Writes a CTGAN model file (`jsonPath`) and its weight file beside it (tfjs layout: float32 little-endian in
 * manifest order), with core's writeFilesAtomic (nothing partial on error; MG_IO_WRITE_FAILED).
 */
export async function saveModelFiles(jsonPath: string, options: SaveModelFilesOptions): Promise<void> {
  const { file, section, weights } = options
  const order = options.order ?? section.weightsManifest[0]!.weights.map((w) => w.name)
  const binName = weightFileName(jsonPath)
  const parts: Float32Array[] = []
  const specs = order.map((name) => {
    const t = weights.get(name)
    if (t === undefined) throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `The CTGAN weights lack "${name}".`)
    parts.push(t.values)
    return { name, shape: [...t.shape], dtype: 'float32' as const }
  })
  const total = parts.reduce((s, p) => s + p.length, 0)
  const bin = new Float32Array(total)
  let offset = 0
  for (const p of parts) {
    bin.set(p, offset)
    offset += p.length
  }
  const content: SynthModelFile = {
    ...file,
    ctgan: { ...section, weightsManifest: [{ paths: [binName], weights: specs }] },
  }
  // The weights first, the JSON (the file a reader opens) last: each through a temp file, renamed when both are written.
  await writeFilesAtomic([
    { path: join(dirname(jsonPath), binName), content: littleEndianBytes(bin) },
    { path: jsonPath, content: `${JSON.stringify(content, null, 2)}\n` },
  ])
}

function littleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4)
  const view = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true)
  return out
}
