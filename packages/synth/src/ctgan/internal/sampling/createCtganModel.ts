import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { basename, dirname, join } from 'node:path'
import type { Column, Table } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'
import { SynthError } from '../../../errors.js'
import type { ParallelChunks, SampleChunk } from '../../../internal/createChunkedSampler.js'
import { createChunkedSampler } from '../../../internal/createChunkedSampler.js'
import { generatePii } from '../../../internal/generatePii.js'
import { impossibleWhere, unknownWhereColumn } from '../../../internal/whereErrors.js'
import type { ColumnModel, SynthModelFile } from '../../../modelFile.js'
import type { WhereValue } from '../../../types.js'
import type { CtganModel } from '../../types.js'
import type { CtganSection } from '../ctganSection.js'
import { cumulativeWeights, pickFromCdf } from '../cumulativeWeights.js'
import { createOnnxEngine } from '../engine/createOnnxEngine.js'
import type { FoldedGenerator, FoldedLayer, GeneratorRunner, MatrixEngine } from '../engine/MatrixEngine.js'
import type { Weight } from '../networks.js'
import { BATCH_NORM_EPSILON } from '../networks.js'
import { Rng } from '../Rng.js'
import { createValueMap } from './createValueMap.js'
import type { ChunkWorker } from './startChunkWorker.js'
import { startChunkWorker } from './startChunkWorker.js'

/**
 * Rows per generator forward pass when sampling: one ONNX Runtime call (its runner feeds RUNNER_CHUNK_ROWS = 1,024
 * rows per call, so the activations come back without a copy); every buffer of a chunk is reused from batch to batch.
 */
const SAMPLE_BATCH = 1024

type SpecColumn = CtganSection['transformer']['columns'][number]
type ContinuousSpec = Extract<SpecColumn, { type: 'continuous' }>
type DiscreteSpec = Extract<SpecColumn, { type: 'discrete' }>
type DerivedSpec = Extract<SpecColumn, { type: 'derived' }>

/** A condition of conditional sampling. */
export interface Condition {
  readonly column: number
  readonly spec: ContinuousSpec | DiscreteSpec
  /** Slot for discrete columns (−1: none to fix in the conditional vector); the value for continuous ones. */
  readonly slot: number
  readonly value: number
  /** For a derived column: the source's decoded codes (−1: null) that give the wanted value; a row must hold one. */
  readonly codes?: readonly number[]
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
  const folded = foldGenerator(section, weights)
  const { conditionsFor, sampleChunk } = createCtganChunkSampler(engine.createGeneratorRunner(folded), file, section)
  // On ONNX Runtime with 2+ cores, sample and stream run two single-threaded pipelines: this thread draws every
  // other chunk on a one-thread session while a worker thread draws the others (a chunk depends on (seed, chunk)
  // only, so the rows are the same). Measured on 2 cores: ~2 × 130k rows/s against ~170k for one pipeline on 2
  // threads. MODELGATE_CTGAN_WORKERS=0 turns it off.
  let pipelines: ParallelChunks<readonly Condition[]> | null | undefined
  let worker: ChunkWorker | null = null
  const parallel = (): ParallelChunks<readonly Condition[]> | null => {
    if (pipelines !== undefined) return pipelines
    pipelines = null
    if (engine.backend !== 'onnxruntime' || availableParallelism() < 2 || process.env.MODELGATE_CTGAN_WORKERS === '0')
      return null
    let single: MatrixEngine | null = null
    try {
      single = createOnnxEngine({ threads: 1 })
      const local = createCtganChunkSampler(single.createGeneratorRunner(folded), file, section).sampleChunk
      const w = startChunkWorker(file, section, weights, () => single?.dispose())
      worker = w
      pipelines = {
        local,
        remote: (chunk, rows, rowOffset, seed, where) => w.sampleChunk(chunk, rows, rowOffset, seed, where),
        request: (chunk, rows, rowOffset, seed, where) => w.request(chunk, rows, rowOffset, seed, where),
        collect: () => w.collect(),
      }
    } catch {
      // One pipeline it is.
      single?.dispose()
    }
    return pipelines
  }
  const { sample, stream } = createChunkedSampler(conditionsFor, sampleChunk, parallel)

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
    dispose: () => {
      worker?.close()
      engine.dispose()
    },
  }
}

/**
 * Conditions and chunks of a CTGAN model over a generator runner (used by the model and by its sampling worker).
 */
export function createCtganChunkSampler(
  run: GeneratorRunner,
  file: SynthModelFile,
  section: CtganSection,
): {
  conditionsFor: (where: Readonly<Record<string, WhereValue>> | undefined) => Condition[]
  sampleChunk: SampleChunk<readonly Condition[]>
} {
  const arch = section.architecture
  const spec = section.transformer
  const plans = createDecodePlans(spec.columns)
  const condDraw = createConditionDraw(
    spec.columns.filter((c): c is DiscreteSpec => c.type === 'discrete'),
    arch.condDim,
  )
  const byName = new Map(file.columns.map((m, i) => [m.name, i]))

  const conditionsFor = (where: Readonly<Record<string, WhereValue>> | undefined): Condition[] => {
    const out: Condition[] = []
    for (const [name, raw] of Object.entries(where ?? {})) {
      const index = byName.get(name)
      if (index === undefined)
        throw unknownWhereColumn(
          name,
          file.columns.map((c) => c.name),
        )
      const s = spec.columns[index]!
      const impossible = (why: string): SynthError => impossibleWhere(name, raw, why)
      if (s.type === 'unlearned')
        throw impossible(
          file.columns[index]!.kind === 'pii'
            ? 'it is a PII column, regenerated fresh and never learned'
            : 'the column is always null in the model',
        )
      if (s.type === 'derived') {
        // A derived column follows a discrete one: its value names the slots of that column that produce it
        // (one is fixed in the conditional vector; several are kept by rejection).
        const source = spec.columns[s.from]
        const kind = file.columns[index]!.kind
        const wanted =
          kind === 'boolean'
            ? booleanLabel(raw)
            : kind === 'categorical'
              ? String(raw)
              : typeof raw === 'number'
                ? raw
                : Number(String(raw))
        const slots = s.values.flatMap((v, slot) => (v !== null && v === wanted ? [slot] : []))
        if (source?.type !== 'discrete' || slots.length === 0)
          throw impossible('the column follows another column and never takes this value')
        const codes = slots.map((slot) => (slot === source.labels.length ? -1 : slot))
        const slot = codes.length === 1 ? slots[0]! : -1
        out.push({ column: s.from, spec: source, slot, value: slot, codes })
        continue
      }
      if (s.type === 'discrete') {
        const label = s.kind === 'boolean' ? booleanLabel(raw) : String(raw)
        const slot = label === null ? -1 : s.labels.indexOf(label)
        if (slot < 0 || (s.counts[slot] ?? 0) <= 0)
          throw impossible('the value is not among the categories the model stores (rare categories are never stored)')
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

  /**
   * Generates `rows` rows into decoded columns (learned columns only), honouring conditions by rejection. Per
   * batch: the noise, then one uniform for the conditional vector and one per learned column, all from the chunk's
   * generator, so a chunk is a function of (seed, chunk) alone.
   */
  const sampleChunk = (
    chunk: number,
    rows: number,
    rowOffset: number,
    seed: number,
    conditions: readonly Condition[],
  ): Table => {
    const rng = new Rng([seed >>> 0, Math.floor(seed / 4294967296) >>> 0, chunk >>> 0, 0xc7a9])
    const decoded = createDecoded(spec.columns, rows)
    const fixed = conditions.find((c) => c.spec.type === 'discrete' && c.slot >= 0) ?? null
    const fixedCond = fixed !== null && fixed.spec.type === 'discrete' ? fixed.spec.condStart + fixed.slot : -1
    const batch = Math.min(SAMPLE_BATCH, conditions.length === 0 ? rows : Math.max(256, 2 * rows))
    const noise = new Float32Array(batch * arch.embeddingDim)
    const cond = new Int32Array(batch)
    const uniforms = new Float64Array(batch * (plans.length + 1))
    // Conditional sampling decodes a batch here first and keeps the rows that match.
    const scratch = conditions.length === 0 ? null : createDecoded(spec.columns, batch)
    let filled = 0
    let attempts = 0
    while (filled < rows) {
      const want = Math.min(batch, conditions.length === 0 ? rows - filled : Math.max(256, 2 * (rows - filled)))
      attempts += want
      if (conditions.length > 0 && attempts > 200 * rows + 100_000 && filled < rows) {
        const text = conditions
          .map((c) => `${file.columns[c.column]!.name}=${c.spec.type === 'discrete' ? c.spec.labels[c.slot] : c.value}`)
          .join(', ')
        throw new SynthError(
          'MG_SYNTH_WHERE_IMPOSSIBLE',
          `Cannot generate ${rows.toLocaleString('en-US')} rows where ${text}: the model produced only ${filled.toLocaleString('en-US')} matching rows in ${attempts.toLocaleString('en-US')} tries.`,
          {
            hint: 'The combination is too rare in what the model learned; condition on fewer or more common values.',
          },
        )
      }
      const batchNoise = rng.fillNormal(noise.subarray(0, want * arch.embeddingDim))
      const batchCond = cond.subarray(0, want)
      rng.fillUniform64(uniforms, 0, want * (plans.length + 1))
      if (arch.condDim === 0) batchCond.fill(0)
      else if (fixedCond >= 0) batchCond.fill(fixedCond)
      else condDraw(uniforms, want, batchCond)
      const activated = run(batchNoise, batchCond, want)
      if (scratch === null) {
        decodeBatch(plans, activated, want, arch.dataDim, uniforms, decoded, filled)
        filled += want
      } else {
        decodeBatch(plans, activated, want, arch.dataDim, uniforms, scratch, 0)
        filled = keepMatching(plans, scratch, want, conditions, decoded, filled, rows)
      }
    }
    return finishTable(file.columns, spec.columns, decoded, rows, rowOffset, seed, chunk, rng)
  }

  return { conditionsFor, sampleChunk }
}

/**
 * The generator for sampling: batch norm (running statistics) folded into each product, and the weight rows
 * that multiply the one-hot conditional vector turned into per-condition rows added after the product.
 */
export function foldGenerator(section: CtganSection, weights: ReadonlyMap<string, Weight>): FoldedGenerator {
  const arch = section.architecture
  const get = (name: string): Float32Array => {
    const w = weights.get(name)
    if (w === undefined) throw new SynthError('MG_SYNTH_MODEL_CORRUPT', `The CTGAN weights lack "${name}".`)
    return w.values
  }
  // Inputs of layer i are [a_{i−1}, …, a_0, noise, cond]: the conditional rows are the last condDim.
  const fold = (w: Float32Array, bias: Float32Array, scale: Float32Array | null, width: number): FoldedLayer => {
    const inputs = w.length / width - arch.condDim
    const main = new Float32Array(inputs * width)
    for (let r = 0; r < inputs; r++)
      for (let j = 0; j < width; j++) main[r * width + j] = w[r * width + j]! * (scale === null ? 1 : scale[j]!)
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
  return {
    embeddingDim: arch.embeddingDim,
    condDim: arch.condDim,
    dataDim: arch.dataDim,
    numContinuous: arch.numContinuous,
    spans: arch.spans,
    hidden,
    out,
  }
}

/** The weight file written beside `model.json`: `model.weights.bin`. */
export function weightFileName(jsonPath: string): string {
  return `${basename(jsonPath).replace(/\.json$/i, '')}.weights.bin`
}

/** Writes the JSON and its weight file, each through a temp file and a rename (nothing partial on error). */
export async function saveModelFiles(
  jsonPath: string,
  file: SynthModelFile,
  section: CtganSection,
  weights: ReadonlyMap<string, Weight>,
  names?: readonly string[],
): Promise<void> {
  const order = names ?? section.weightsManifest[0]!.weights.map((w) => w.name)
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
      'MG_IO_WRITE_FAILED',
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

// ---- decoding ----------------------------------------------------------------------------------

/**
 * A chunk's decoded learned columns, by column index (null for unlearned ones): discrete columns as slot codes
 * (−1 for null), continuous ones as values with a validity mask (1 where present).
 */
interface Decoded {
  readonly codes: (Int32Array | null)[]
  readonly values: (Float64Array | null)[]
  readonly valid: (Uint8Array | null)[]
}

function createDecoded(specs: CtganSection['transformer']['columns'], rows: number): Decoded {
  return {
    codes: specs.map((s) => (s.type === 'discrete' ? new Int32Array(rows) : null)),
    values: specs.map((s) => (s.type === 'continuous' ? new Float64Array(rows) : null)),
    valid: specs.map((s) => (s.type === 'continuous' ? new Uint8Array(rows) : null)),
  }
}

/** How to round a continuous value after clipping (the column profile's rule). */
const ROUND_NONE = 0
const ROUND_INTEGER = 1
const ROUND_DECIMALS = 2
const ROUND_TO = 3

/** What decoding one learned column needs, hoisted out of the per-row loops. */
interface DecodePlan {
  readonly column: number
  readonly discrete: boolean
  readonly spanStart: number
  readonly spanSize: number
  /** Discrete: the slot meaning null (−1 if none). Continuous: slots ≥ modes mean null. */
  readonly nullSlot: number
  readonly modes: number
  readonly pointMasses: number
  readonly alphaIndex: number
  readonly means: Float64Array
  /** 4σ per mode (the transformer's α is (x − μ) / 4σ). */
  readonly scales: Float64Array
  readonly min: number
  readonly max: number
  readonly round: number
  /** 10^decimals for ROUND_DECIMALS, the step for ROUND_TO. */
  readonly roundBy: number
  /** The calibrated quantile map of each Gaussian mode (ContinuousSpec.modeMaps; null: none), by slot − pointMasses. */
  readonly modeMaps: readonly (((x: number) => number) | null)[]
  /** The single map of a model written before per-mode maps (ContinuousSpec.valueMap), or null. */
  readonly valueMap: ((x: number) => number) | null
}

function createDecodePlans(specs: CtganSection['transformer']['columns']): DecodePlan[] {
  const plans: DecodePlan[] = []
  specs.forEach((s, column) => {
    if (s.type === 'discrete') {
      plans.push({
        column,
        discrete: true,
        spanStart: s.spanStart,
        spanSize: s.spanSize,
        nullSlot: s.hasNull ? s.spanSize - 1 : -1,
        modes: s.spanSize,
        pointMasses: 0,
        alphaIndex: 0,
        means: new Float64Array(0),
        scales: new Float64Array(0),
        min: 0,
        max: 0,
        round: ROUND_NONE,
        roundBy: 1,
        modeMaps: [],
        valueMap: null,
      })
    } else if (s.type === 'continuous') {
      const round =
        s.kind === 'integer'
          ? ROUND_INTEGER
          : s.decimals !== null
            ? ROUND_DECIMALS
            : s.roundTo !== null && s.roundTo > 1
              ? ROUND_TO
              : ROUND_NONE
      plans.push({
        column,
        discrete: false,
        spanStart: s.spanStart,
        spanSize: s.spanSize,
        nullSlot: -1,
        modes: s.weights.length,
        pointMasses: s.pointMasses,
        alphaIndex: s.alphaIndex,
        means: Float64Array.from(s.means),
        scales: Float64Array.from(s.stds, (sd) => 4 * sd),
        modeMaps: (s.modeMaps ?? []).map((m) => createValueMap(m)),
        valueMap: createValueMap(s.valueMap),
        min: s.min,
        max: s.max,
        round,
        roundBy: round === ROUND_DECIMALS ? 10 ** s.decimals! : round === ROUND_TO ? s.roundTo! : 1,
      })
    }
  })
  return plans
}

/**
 * The conditional-vector draw of sampling: a discrete column uniformly, then one of its categories by its true
 * frequency, i.e. one draw from the mixture over all condDim positions. Writes the position for each row from
 * `uniforms[0, count)` (binary search in the mixture's cumulative distribution).
 */
function createConditionDraw(
  discrete: readonly DiscreteSpec[],
  condDim: number,
): (uniforms: Float64Array, count: number, out: Int32Array) => void {
  const weights: number[] = []
  const positions: number[] = []
  for (const c of discrete) {
    const total = c.counts.reduce((a, b) => a + b, 0)
    c.counts.forEach((count, slot) => {
      // A column without counts puts all its weight on its last slot (as cumulativeWeights does).
      const w = total > 0 ? count / total : slot === c.counts.length - 1 ? 1 : 0
      weights.push(w / discrete.length)
      positions.push(c.condStart + slot)
    })
  }
  const cdf = cumulativeWeights(weights)
  const position = Int32Array.from(positions)
  return (uniforms, count, out) => {
    if (position.length === 0) {
      out.fill(condDim, 0, count)
      return
    }
    for (let i = 0; i < count; i++) out[i] = position[pickFromCdf(cdf, uniforms[i]!)]!
  }
}

/**
 * Decodes `count` activated generator rows into `out` at rows [at, at + count), column by column: each span's
 * slot is drawn from its softmax probabilities with uniform `uniforms[(1 + p)·count + i]` for plan p (the first
 * `count` uniforms drew the conditional vector); a continuous mode gives α·4σ + μ, clipped and rounded.
 */
function decodeBatch(
  plans: readonly DecodePlan[],
  activated: Float32Array,
  count: number,
  dataDim: number,
  uniforms: Float64Array,
  out: Decoded,
  at: number,
): void {
  for (let p = 0; p < plans.length; p++) {
    const plan = plans[p]!
    const u0 = (1 + p) * count
    const last = plan.spanSize - 1
    if (plan.discrete) {
      const codes = out.codes[plan.column]!
      const nullSlot = plan.nullSlot
      for (let i = 0, row = plan.spanStart; i < count; i++, row += dataDim) {
        const t = drawSlot(activated, row, last, uniforms[u0 + i]!)
        codes[at + i] = t === nullSlot ? -1 : t
      }
    } else {
      const values = out.values[plan.column]!
      const valid = out.valid[plan.column]!
      const { modes, pointMasses, means, scales, alphaIndex, modeMaps, valueMap } = plan
      for (let i = 0, row = plan.spanStart; i < count; i++, row += dataDim) {
        const t = drawSlot(activated, row, last, uniforms[u0 + i]!)
        if (t >= modes) {
          valid[at + i] = 0
          values[at + i] = 0
        } else {
          valid[at + i] = 1
          if (t < pointMasses) values[at + i] = means[t]!
          else {
            const x = activated[i * dataDim + alphaIndex]! * scales[t]! + means[t]!
            const map = modeMaps[t - pointMasses] ?? valueMap
            values[at + i] = finishDecoded(plan, map === null ? x : map(x))
          }
        }
      }
    }
  }
}

/** The slot of the span starting at `start` (last slot `last`) that uniform `u` falls in, by its probabilities. */
function drawSlot(probs: Float32Array, start: number, last: number, u: number): number {
  let rest = u
  let t = 0
  while (t < last) {
    rest -= probs[start + t]!
    if (rest < 0) break
    t++
  }
  return t
}

/** `finish` over a decode plan: clip to the learned bounds, round by the column's rule, clip again. */
function finishDecoded(plan: DecodePlan, x: number): number {
  let y = Math.min(plan.max, Math.max(plan.min, x))
  if (plan.round === ROUND_INTEGER) y = Math.round(y)
  else if (plan.round === ROUND_DECIMALS) y = Math.round(y * plan.roundBy) / plan.roundBy
  else if (plan.round === ROUND_TO) y = Math.round(y / plan.roundBy) * plan.roundBy
  return Math.min(plan.max, Math.max(plan.min, y))
}

/** Copies the rows of a decoded batch that meet every condition into `out` from row `filled`; returns the new fill. */
function keepMatching(
  plans: readonly DecodePlan[],
  batch: Decoded,
  count: number,
  conditions: readonly Condition[],
  out: Decoded,
  filled: number,
  rows: number,
): number {
  let at = filled
  for (let i = 0; i < count && at < rows; i++) {
    let ok = true
    for (const c of conditions) {
      if (c.codes !== undefined) ok &&= c.codes.includes(batch.codes[c.column]![i]!)
      else if (c.spec.type === 'discrete') ok &&= batch.codes[c.column]![i] === c.slot
      else ok &&= batch.valid[c.column]![i] === 1 && batch.values[c.column]![i] === c.value
    }
    if (!ok) continue
    for (const plan of plans) {
      if (plan.discrete) out.codes[plan.column]![at] = batch.codes[plan.column]![i]!
      else {
        out.values[plan.column]![at] = batch.values[plan.column]![i]!
        out.valid[plan.column]![at] = batch.valid[plan.column]![i]!
      }
    }
    at++
  }
  return at
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
  decoded: Decoded,
  rows: number,
  rowOffset: number,
  seed: number,
  chunk: number,
  rng: Rng,
): Table {
  let draws: Float64Array | null = null
  const columns: Column[] = models.map((model, index): Column => {
    const s = specs[index]!
    if (model.kind === 'pii') {
      let isNull: Uint8Array | null = null
      if (model.nullRate > 0) {
        draws ??= new Float64Array(rows)
        rng.fillUniform64(draws, 0, rows)
        isNull = new Uint8Array(rows)
        for (let r = 0; r < rows; r++) isNull[r] = draws[r]! < model.nullRate ? 1 : 0
      }
      return {
        kind: model.outputKind,
        name: model.name,
        values: generatePii({
          kind: model.pii,
          unique: model.unique,
          rows,
          rowOffset,
          seed,
          chunk,
          column: index,
          isNull,
        }),
      }
    }
    if (s.type === 'derived') return derivedColumn(model, s, decoded.codes[s.from] ?? null, rows)
    const codes = decoded.codes[index] ?? null
    if (s.type === 'discrete' || model.kind === 'categorical' || model.kind === 'boolean') {
      if (model.kind === 'boolean') {
        const values = new Uint8Array(rows)
        const valid = new Uint8Array(rows)
        let anyNull = codes === null
        if (codes !== null && s.type === 'discrete') {
          const trueSlot = s.labels.indexOf('true')
          for (let r = 0; r < rows; r++) {
            const code = codes[r]!
            values[r] = code === trueSlot && code >= 0 ? 1 : 0
            valid[r] = code >= 0 ? 1 : 0
            if (code < 0) anyNull = true
          }
        }
        return { kind: 'boolean', name: model.name, values, valid: anyNull ? valid : null }
      }
      const labels = s.type === 'discrete' ? s.labels : []
      return {
        kind: 'categorical',
        name: model.name,
        codes: codes ?? new Int32Array(rows).fill(-1),
        dictionary: labels,
      }
    }
    const values = decoded.values[index] ?? new Float64Array(rows)
    const valid = decoded.valid[index] ?? new Uint8Array(rows)
    let anyNull = false
    for (let r = 0; r < rows; r++) {
      if (valid[r] === 0) {
        anyNull = true
        break
      }
    }
    if (model.kind === 'datetime')
      return {
        kind: 'datetime',
        name: model.name,
        values,
        valid: anyNull ? valid : null,
        format: model.format ?? 'iso',
      }
    return { kind: model.kind, name: model.name, values, valid: anyNull ? valid : null }
  })
  return { numRows: rows, columns }
}

/** A derived column from the slots its source column drew (−1, null, is the source's last slot when it has one). */
function derivedColumn(model: ColumnModel, s: DerivedSpec, codes: Int32Array | null, rows: number): Column {
  const nullSlot = s.values.length - 1
  const valueAt = (r: number): number | string | null => {
    const code = codes === null ? -1 : codes[r]!
    return (code >= 0 ? s.values[code] : s.values[nullSlot]) ?? null
  }
  if (model.kind === 'categorical') {
    const dictionary = [...new Set(s.values.filter((v): v is string => typeof v === 'string'))]
    const codeOf = new Map(dictionary.map((label, j) => [label, j]))
    const out = new Int32Array(rows)
    for (let r = 0; r < rows; r++) {
      const v = valueAt(r)
      out[r] = typeof v === 'string' ? codeOf.get(v)! : -1
    }
    return { kind: 'categorical', name: model.name, codes: out, dictionary }
  }
  const values = model.kind === 'boolean' ? new Uint8Array(rows) : new Float64Array(rows)
  const valid = new Uint8Array(rows)
  let anyNull = false
  for (let r = 0; r < rows; r++) {
    const v = valueAt(r)
    if (v === null) anyNull = true
    else {
      values[r] = model.kind === 'boolean' ? (v === 'true' ? 1 : 0) : Number(v)
      valid[r] = 1
    }
  }
  if (model.kind === 'boolean')
    return { kind: 'boolean', name: model.name, values: values as Uint8Array, valid: anyNull ? valid : null }
  const kind = model.kind === 'integer' ? 'integer' : 'numeric'
  return { kind, name: model.name, values: values as Float64Array, valid: anyNull ? valid : null }
}

function booleanLabel(raw: WhereValue): string | null {
  const s = String(raw).toLowerCase()
  if (s === 'true' || s === '1') return 'true'
  if (s === 'false' || s === '0') return 'false'
  return null
}
