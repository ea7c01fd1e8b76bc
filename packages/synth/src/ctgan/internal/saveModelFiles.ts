import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { ModelGateError } from '@modelgate/core'
import { SynthError } from '../../errors.js'
import type { SynthModelFile } from '../../modelFile.js'
import type { CtganSection } from './ctganSection.js'
import type { Weight } from './networks.js'

/** The weight file written beside `model.json`: `model.weights.bin`. */
export function weightFileName(jsonPath: string): string {
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
 * manifest order), each through a temp file and a rename (nothing partial on error).
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
  const dir = dirname(jsonPath)
  const binPath = join(dir, binName)
  const tmpBin = `${binPath}.tmp-${process.pid}`
  const tmpJson = `${jsonPath}.tmp-${process.pid}`
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(tmpBin, littleEndianBytes(bin))
    await writeFile(tmpJson, `${JSON.stringify(content, null, 2)}\n`)
    await rename(tmpBin, binPath)
    await rename(tmpJson, jsonPath)
  } catch (cause) {
    await rm(tmpBin, { force: true })
    await rm(tmpJson, { force: true })
    // The same code as core's writeFileAtomic, which writes the copula's model file.
    throw new ModelGateError(
      'MG_FILE_WRITE_FAILED',
      `Cannot write ${jsonPath} and its weights ${binName}: ${(cause as Error).message}`,
      { cause, location: { file: jsonPath } },
    )
  }
}

function littleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4)
  const view = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true)
  return out
}
