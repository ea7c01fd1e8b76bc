import type { Table } from '@modelgate/core'
import { SynthError } from '../../../errors.js'
import type { SampleChunk } from '../../../internal/createChunkedSampler.js'
import type { SynthModelFile } from '../../../modelFile.js'
import type { WhereValue } from '../../../types.js'
import type { CtganSection } from '../ctganSection.js'
import type { GeneratorRunner } from '../engine/MatrixEngine.js'
import { Rng } from '../Rng.js'
import type { Condition } from './conditionsFor.js'
import { conditionsFor } from './conditionsFor.js'
import { createConditionDraw, createDecoded, createDecodePlans, decodeBatch, keepMatching } from './decodeRows.js'
import { finishTable } from './finishTable.js'

type SpecColumn = CtganSection['transformer']['columns'][number]
type DiscreteSpec = Extract<SpecColumn, { type: 'discrete' }>

/**
 * Rows per generator forward pass when sampling: one ONNX Runtime call (its runner feeds RUNNER_CHUNK_ROWS = 1,024
 * rows per call, so the activations come back without a copy); every buffer of a chunk is reused from batch to batch.
 */
const SAMPLE_BATCH = 1024

export interface CtganChunkSampler {
  /** The conditions of a `where` (validated; see conditionsFor). */
  readonly conditionsFor: (where: Readonly<Record<string, WhereValue>> | undefined) => Condition[]
  /** Chunk `chunk` of a run: a function of (seed, chunk) alone, so any thread draws the same rows. */
  readonly sampleChunk: SampleChunk<readonly Condition[]>
}

/**
 * The chunks of a CTGAN model drawn through a generator runner: noise and conditional vectors (true category
 * frequencies) into the generator pass, its activated rows decoded column by column (decodeRows), conditions kept
 * by rejection, and the chunk's table finished (finishTable). Used by the model and by its sampling worker.
 */
export function createCtganChunkSampler(options: {
  readonly runner: GeneratorRunner
  readonly file: SynthModelFile
  readonly section: CtganSection
}): CtganChunkSampler {
  const { runner: run, file, section } = options
  const arch = section.architecture
  const spec = section.transformer
  const plans = createDecodePlans(spec.columns)
  const condDraw = createConditionDraw(
    spec.columns.filter((c): c is DiscreteSpec => c.type === 'discrete'),
    arch.condDim,
  )

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
    const rng = Rng.stream(seed, 'ctgan', 'chunk', chunk)
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

  return {
    conditionsFor: (where) => conditionsFor(where, file, section),
    sampleChunk,
  }
}
