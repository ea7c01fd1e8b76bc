import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { ModelGateError } from '@modelgate/core'
import type { Column, Table } from '@modelgate/core'
import { SYNTH_ERROR_CODES, SynthError } from '../../errors.js'
import { createChunkedSampler } from '../../internal/createChunkedSampler.js'
import { generatePii } from '../../internal/generatePii.js'
import { impossibleWhere, unknownWhereColumn } from '../../internal/whereErrors.js'
import type { ColumnModel, SynthModelFile } from '../../modelFile.js'
import type { WhereValue } from '../../types.js'
import type { CtganModel } from '../types.js'
import type { CtganSection } from './ctganSection.js'
import { cumulativeWeights, pickFromCdf } from './cumulativeWeights.js'
import type { FoldedGenerator, FoldedLayer, MatrixEngine } from './MatrixEngine.js'
import type { Weight } from './networks.js'
import { BATCH_NORM_EPSILON } from './networks.js'
import { Rng } from './Rng.js'

/** Rows per generator forward pass when sampling. */
const SAMPLE_BATCH = 8192

type SpecColumn = CtganSection['transformer']['columns'][number]
type ContinuousSpec = Extract<SpecColumn, { type: 'continuous' }>
type DiscreteSpec = Extract<SpecColumn, { type: 'discrete' }>

/** A condition of conditional sampling. */
interface Condition {
  readonly column: number
  readonly spec: ContinuousSpec | DiscreteSpec
  /** Slot for discrete columns; the value for continuous ones. */
  readonly slot: number
  readonly value: number
}

/**
 * A CTGAN sampling model over generator weights (`generator.*` in the weight list). Batch norm uses the
 * running statistics, folded into the preceding product. Rows come in chunks seeded by (seed, chunk), so
 * `sample`, `stream` and shards agree with one another. Discrete values are drawn from the softmax of the
 * generator's logits (what argmax of a Gumbel-softmax draws), the conditional vector from the true category
 * frequencies; `where` sets the conditional vector to the requested category and keeps only matching rows.
 */
export function createCtganModel(
  engine: MatrixEngine,
  file: SynthModelFile,
  section: CtganSection,
  weights: ReadonlyMap<string, Weight>,
  extra: { readonly save?: (jsonPath: string) => Promise<void> } = {},
): CtganModel {
  const arch = section.architecture
  const spec = section.transformer
  const run = engine.createGeneratorRunner(foldGenerator(section, weights))
  const discrete = spec.columns.filter((c): c is DiscreteSpec => c.type === 'discrete')
  const trueCdf = discrete.map((c) => cumulativeWeights(c.counts))
  const byName = new Map(file.columns.map((m, i) => [m.name, i]))

  const conditionsFor = (where: Readonly<Record<string, WhereValue>> | undefined): Condition[] => {
    const out: Condition[] = []
    for (const [name, raw] of Object.entries(where ?? {})) {
      const index = byName.get(name)
      if (index === undefined) throw unknownWhereColumn(name, file.columns.map((c) => c.name))
      const s = spec.columns[index]!
      const impossible = (why: string): SynthError => impossibleWhere(name, raw, why)
      if (s.type === 'unlearned') throw impossible(file.columns[index]!.kind === 'pii' ? 'it is a PII column, regenerated fresh and never learned' : 'the column is always null in the model')
      if (s.type === 'discrete') {
        const label = s.kind === 'boolean' ? booleanLabel(raw) : String(raw)
        const slot = label === null ? -1 : s.labels.indexOf(label)
        if (slot < 0 || (s.counts[slot] ?? 0) <= 0) throw impossible('the value is not among the categories the model stores (rare categories are never stored)')
        out.push({ column: index, spec: s, slot, value: slot })
      } else {
        const x = typeof raw === 'number' ? raw : s.kind === 'datetime' ? Date.parse(String(raw)) : Number(String(raw))
        if (!Number.isFinite(x)) throw impossible(`expected a ${s.kind === 'datetime' ? 'date' : 'number'}`)
        if (x < s.min || x > s.max) throw impossible(`the value is outside the learned range [${s.min}, ${s.max}]`)
        out.push({ column: index, spec: s, slot: -1, value: finish(s, x) })
      }
    }
    return out
  }

  /** Generates `rows` raw rows into decoded columns (learned columns only), honouring conditions by rejection. */
  const sampleChunk = (chunk: number, rows: number, rowOffset: number, seed: number, conditions: readonly Condition[]): Table => {
    const rng = new Rng([seed >>> 0, Math.floor(seed / 4294967296) >>> 0, chunk >>> 0, 0xc7a9])
    const decoded = createDecodedColumns(file.columns, spec.columns, rows)
    const fixed = conditions.find((c) => c.spec.type === 'discrete') ?? null
    let filled = 0
    let attempts = 0
    while (filled < rows) {
      const want = Math.min(SAMPLE_BATCH, conditions.length === 0 ? rows - filled : Math.max(256, 2 * (rows - filled)))
      attempts += want
      if (conditions.length > 0 && attempts > 200 * rows + 100_000 && filled < rows) {
        const text = conditions.map((c) => `${file.columns[c.column]!.name}=${c.spec.type === 'discrete' ? c.spec.labels[c.slot] : c.value}`).join(', ')
        throw new SynthError(SYNTH_ERROR_CODES.whereImpossible, `Cannot generate ${rows.toLocaleString('en-US')} rows where ${text}: the model produced only ${filled.toLocaleString('en-US')} matching rows in ${attempts.toLocaleString('en-US')} tries.`, {
          hint: 'The combination is too rare in what the model learned; condition on fewer or more common values.',
        })
      }
      const noise = rng.fillNormal(new Float32Array(want * arch.embeddingDim))
      const cond = new Int32Array(want).fill(arch.condDim)
      if (arch.condDim > 0) {
        for (let i = 0; i < want; i++) {
          if (fixed !== null && fixed.spec.type === 'discrete') cond[i] = fixed.spec.condStart + fixed.slot
          else {
            const c = rng.int(discrete.length)
            cond[i] = discrete[c]!.condStart + pickFromCdf(trueCdf[c]!, rng.uniform())
          }
        }
      }
      const activated = run(noise, cond, want)
      filled = decodeRows(activated, want, arch.dataDim, spec.columns, decoded, filled, rows, rng, conditions)
    }
    return finishTable(file.columns, spec.columns, decoded, rows, rowOffset, seed, chunk, rng)
  }

  const { sample, stream } = createChunkedSampler(conditionsFor, sampleChunk)

  const save = async (jsonPath: string): Promise<void> => {
    if (extra.save !== undefined) return extra.save(jsonPath)
    await saveModelFiles(jsonPath, file, section, weights)
  }

  return {
    synthesizer: 'ctgan',
    backend: engine.backend,
    epochsTrained: section.training.epochs,
    losses: section.training.losses,
    columnNames: file.columns.map((c) => c.name),
    sample,
    stream,
    save,
    toJSON: () => file,
    dispose: () => engine.dispose(),
  }
}

/**
 * The generator for sampling: batch norm (running statistics) folded into each product, and the weight rows
 * that multiply the one-hot conditional vector turned into per-condition rows added after the product.
 */
function foldGenerator(section: CtganSection, weights: ReadonlyMap<string, Weight>): FoldedGenerator {
  const arch = section.architecture
  const get = (name: string): Float32Array => {
    const w = weights.get(name)
    if (w === undefined) throw new SynthError(SYNTH_ERROR_CODES.modelCorrupt, `The CTGAN weights lack "${name}".`)
    return w.values
  }
  // Inputs of layer i are [a_{i−1}, …, a_0, noise, cond]: the conditional rows are the last condDim.
  const fold = (w: Float32Array, bias: Float32Array, scale: Float32Array | null, width: number): FoldedLayer => {
    const inputs = w.length / width - arch.condDim
    const main = new Float32Array(inputs * width)
    for (let r = 0; r < inputs; r++) for (let j = 0; j < width; j++) main[r * width + j] = w[r * width + j]! * (scale === null ? 1 : scale[j]!)
    const rowFor = new Float32Array((arch.condDim + 1) * width)
    for (let c = 0; c <= arch.condDim; c++) {
      for (let j = 0; j < width; j++) {
        const condWeight = c < arch.condDim ? w[(inputs + c) * width + j]! * (scale === null ? 1 : scale[j]!) : 0
        rowFor[c * width + j] = bias[j]! + condWeight
      }
    }
    return { w: main, inputs, width, rowFor }
  }
  const hidden = arch.generatorDims.map((width, i) => {
    const gamma = get(`generator.block${i}.bn.gamma`)
    const runVar = get(`generator.block${i}.bn.running_var`)
    const runMean = get(`generator.block${i}.bn.running_mean`)
    const beta = get(`generator.block${i}.bn.beta`)
    const scale = gamma.map((g, j) => g / Math.sqrt(runVar[j]! + BATCH_NORM_EPSILON))
    const bias = beta.map((b, j) => b - runMean[j]! * scale[j]!)
    return fold(get(`generator.block${i}.weight`), bias, scale, width)
  })
  const out = fold(get('generator.out.weight'), get('generator.out.bias'), null, arch.dataDim)
  return { embeddingDim: arch.embeddingDim, condDim: arch.condDim, dataDim: arch.dataDim, numContinuous: arch.numContinuous, spans: arch.spans, hidden, out }
}

/** The weight file written beside `model.json`: `model.weights.bin`. */
export function weightFileName(jsonPath: string): string {
  return `${basename(jsonPath).replace(/\.json$/i, '')}.weights.bin`
}

/** Writes the JSON and its weight file, each through a temp file and a rename (nothing partial on error). */
export async function saveModelFiles(jsonPath: string, file: SynthModelFile, section: CtganSection, weights: ReadonlyMap<string, Weight>, names?: readonly string[]): Promise<void> {
  const order = names ?? section.weightsManifest[0]!.weights.map((w) => w.name)
  const binName = weightFileName(jsonPath)
  const parts: Float32Array[] = []
  const specs = order.map((name) => {
    const t = weights.get(name)
    if (t === undefined) throw new SynthError(SYNTH_ERROR_CODES.modelCorrupt, `The CTGAN weights lack "${name}".`)
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
  const content: SynthModelFile = { ...file, ctgan: { ...section, weightsManifest: [{ paths: [binName], weights: specs }] } }
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
    throw new ModelGateError('MG_FILE_WRITE_FAILED', `Cannot write ${jsonPath} and its weights ${binName}: ${(cause as Error).message}`, { cause, location: { file: jsonPath } })
  }
}

function littleEndianBytes(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4)
  const view = new DataView(out.buffer)
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i]!, true)
  return out
}

// ---- decoding ----------------------------------------------------------------------------------

interface DecodedColumn {
  readonly values: Float64Array
  /** 1 where null. */
  readonly isNull: Uint8Array
}

function createDecodedColumns(models: readonly ColumnModel[], specs: CtganSection['transformer']['columns'], rows: number): (DecodedColumn | null)[] {
  return models.map((_, i) => (specs[i]!.type === 'unlearned' ? null : { values: new Float64Array(rows), isNull: new Uint8Array(rows) }))
}

/** Decodes activated generator rows into `out` from row `filled`, keeping those that meet the conditions; returns the new fill. */
function decodeRows(
  activated: Float32Array,
  count: number,
  dataDim: number,
  specs: CtganSection['transformer']['columns'],
  out: (DecodedColumn | null)[],
  filled: number,
  rows: number,
  rng: Rng,
  conditions: readonly Condition[],
): number {
  for (let i = 0; i < count && filled < rows; i++) {
    const row = i * dataDim
    for (let c = 0; c < specs.length; c++) {
      const s = specs[c]!
      const target = out[c]
      if (target === null || target === undefined || s.type === 'unlearned') continue
      const slot = sampleSpan(activated, row + s.spanStart, s.spanSize, rng)
      if (s.type === 'discrete') {
        const isNull = s.hasNull && slot === s.spanSize - 1
        target.isNull[filled] = isNull ? 1 : 0
        target.values[filled] = isNull ? 0 : slot
      } else {
        const modes = s.weights.length
        if (slot >= modes) {
          target.isNull[filled] = 1
          target.values[filled] = 0
        } else {
          target.isNull[filled] = 0
          if (slot < s.pointMasses) target.values[filled] = s.means[slot]!
          else target.values[filled] = finish(s, activated[row + s.alphaIndex]! * 4 * s.stds[slot]! + s.means[slot]!)
        }
      }
    }
    let ok = true
    for (const cond of conditions) {
      const d = out[cond.column]!
      if (d.isNull[filled] === 1 || d.values[filled] !== cond.value) ok = false
    }
    if (ok) filled++
  }
  return filled
}

/** Draws a slot of a span from its softmax probabilities. */
function sampleSpan(probs: Float32Array, start: number, size: number, rng: Rng): number {
  if (size === 1) return 0
  let u = rng.uniform()
  for (let t = 0; t < size - 1; t++) {
    u -= probs[start + t]!
    if (u < 0) return t
  }
  return size - 1
}

/** Clip to the learned bounds and round as the column's profile says. */
function finish(s: ContinuousSpec, x: number): number {
  let y = Math.min(s.max, Math.max(s.min, x))
  if (s.kind === 'integer') y = Math.round(y)
  else if (s.decimals !== null) y = Math.round(y * 10 ** s.decimals) / 10 ** s.decimals
  else if (s.roundTo !== null && s.roundTo > 1) y = Math.round(y / s.roundTo) * s.roundTo
  return Math.min(s.max, Math.max(s.min, y))
}

function finishTable(
  models: readonly ColumnModel[],
  specs: CtganSection['transformer']['columns'],
  decoded: readonly (DecodedColumn | null)[],
  rows: number,
  rowOffset: number,
  seed: number,
  chunk: number,
  rng: Rng,
): Table {
  const columns: Column[] = models.map((model, index): Column => {
    const s = specs[index]!
    const d = decoded[index]
    if (model.kind === 'pii') {
      let isNull: Uint8Array | null = null
      if (model.nullRate > 0) {
        isNull = new Uint8Array(rows)
        for (let r = 0; r < rows; r++) isNull[r] = rng.uniform() < model.nullRate ? 1 : 0
      }
      return { kind: model.outputKind, name: model.name, values: generatePii({ kind: model.pii, unique: model.unique, rows, rowOffset, seed, chunk, column: index, isNull }) }
    }
    const allNull = d === null || d === undefined
    const valid = allNull ? new Uint8Array(rows) : Uint8Array.from(d.isNull, (x) => 1 - x)
    const anyNull = allNull || d.isNull.some((x) => x === 1)
    if (s.type === 'discrete' || model.kind === 'categorical' || model.kind === 'boolean') {
      if (model.kind === 'boolean') {
        const values = new Uint8Array(rows)
        if (!allNull && s.type === 'discrete') for (let r = 0; r < rows; r++) values[r] = s.labels[d.values[r]!] === 'true' ? 1 : 0
        return { kind: 'boolean', name: model.name, values, valid: anyNull ? valid : null }
      }
      const labels = s.type === 'discrete' ? s.labels : []
      const codes = new Int32Array(rows).fill(-1)
      if (!allNull) for (let r = 0; r < rows; r++) codes[r] = d.isNull[r] === 1 ? -1 : d.values[r]!
      return { kind: 'categorical', name: model.name, codes, dictionary: labels }
    }
    const values = allNull ? new Float64Array(rows) : d.values
    if (model.kind === 'datetime') return { kind: 'datetime', name: model.name, values, valid: anyNull ? valid : null, format: model.format ?? 'iso' }
    return { kind: model.kind, name: model.name, values, valid: anyNull ? valid : null }
  })
  return { numRows: rows, columns }
}

function booleanLabel(raw: WhereValue): string | null {
  const s = String(raw).toLowerCase()
  if (s === 'true' || s === '1') return 'true'
  if (s === 'false' || s === '0') return 'false'
  return null
}
