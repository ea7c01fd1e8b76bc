import type { Column, Random, Table } from '@modelgate/core'
import { createRandom, writeFileAtomic } from '@modelgate/core'
import type { SynthError } from '../errors.js'
import type { ColumnModel, DenseCopulaParams, SynthModelFile } from '../modelFile.js'
import type { SynthModel, WhereValue } from '../types.js'
import type { CategoricalDecoder, LatentInterval, NumericDecoder } from './columnDecoders.js'
import { booleanInterval, createCategoricalDecoder, createNumericDecoder } from './columnDecoders.js'
import type { Constraint, Fixed } from './copulaConditions.js'
import { createChunkedSampler } from './createChunkedSampler.js'
import type { FactorConditioner, FactorSampler, LatentSink } from './factorSampling.js'
import { buildFactorConditioner, createFactorSampler, drawFactorConditional } from './factorSampling.js'
import { cholesky, invertSpd, symmetrize } from './linalg.js'
import { regeneratedColumn } from './regeneratedColumn.js'
import { normalPpf } from './special.js'
import { truncatedNormal } from './truncatedNormal.js'
import { impossibleWhere, unknownWhereColumn } from './whereErrors.js'

interface ColumnPlan {
  readonly model: ColumnModel
  readonly index: number
  readonly valueDim: number
  readonly nullDim: number
  readonly numeric: NumericDecoder | null
  readonly categorical: CategoricalDecoder | null
  /** Latent value at and above which the null indicator marks a null (computed once, not per chunk). */
  readonly nullThreshold: number
  /** Latent value at and above which a boolean is true. */
  readonly trueThreshold: number
}

/** Precomputed conditional Gaussian for a set of constraints. */
interface Conditioner {
  readonly constrained: Int32Array
  readonly lo: Float64Array
  readonly hi: Float64Array
  /** Gibbs conditionals within the constrained set: coefficient rows (c × c) and sds. */
  readonly gibbsCoef: Float64Array
  readonly gibbsSd: Float64Array
  readonly free: Int32Array
  /** Regression of free on constrained dims (f × c). */
  readonly regression: Float64Array
  /** Cholesky of the conditional covariance of free dims (f × f). */
  readonly freeChol: Float64Array
  readonly sweeps: number
  readonly fixed: readonly Fixed[]
}

/** The latent draws of one copula structure: dense (Cholesky of the correlation) or factor. */
interface LatentModel {
  conditioner(constraints: readonly Constraint[], fixed: readonly Fixed[]): Conditioner | FactorConditioner
  /** Draws `rows` latent rows and hands them to `sink` dimension by dimension (in blocks of rows or whole). */
  draw(rows: number, cond: Conditioner | FactorConditioner | null, random: Random, sink: LatentSink): void
}

/** Builds a sampling model from a validated model file (Gaussian copula synthesizer). */
export function createCopulaModel(file: SynthModelFile): SynthModel {
  const copula = file.copula ?? { dims: [], correlation: [] }
  const d = copula.dims.length
  const latent = 'loadings' in copula ? factorLatent(createFactorSampler(copula.loadings)) : denseLatent(copula, d)
  const dimIndex = new Map(copula.dims.map((x, i) => [`${x.column}\u0000${x.part}`, i]))
  const plans: ColumnPlan[] = file.columns.map((model, index) => ({
    model,
    index,
    valueDim: dimIndex.get(`${model.name}\u0000value`) ?? -1,
    nullDim: dimIndex.get(`${model.name}\u0000null`) ?? -1,
    numeric:
      model.kind === 'numeric' || model.kind === 'integer' || model.kind === 'datetime'
        ? createNumericDecoder(model)
        : null,
    categorical: model.kind === 'categorical' ? createCategoricalDecoder(model) : null,
    nullThreshold: normalPpf(1 - model.nullRate),
    trueThreshold: model.kind === 'boolean' ? normalPpf(1 - model.pTrue) : 0,
  }))
  const byName = new Map(plans.map((p) => [p.model.name, p]))
  const conditioners = new Map<string, Conditioner | FactorConditioner>()

  const conditionerFor = (
    where: Readonly<Record<string, WhereValue>> | undefined,
  ): Conditioner | FactorConditioner | null => {
    if (where === undefined || Object.keys(where).length === 0) return null
    const key = JSON.stringify(Object.entries(where).sort())
    let c = conditioners.get(key)
    if (c === undefined) {
      const { constraints, fixed } = whereConstraints(where, byName)
      c = latent.conditioner(constraints, fixed)
      conditioners.set(key, c)
    }
    return c
  }

  const sampleChunk = (
    chunk: number,
    rows: number,
    rowOffset: number,
    seed: number,
    cond: Conditioner | FactorConditioner | null,
  ): Table => {
    const random = createRandom(seed, Math.floor(seed / 4294967296), chunk, 0xc0)
    // Each dimension's latent values are decoded into its column as they are drawn.
    const writers = plans.map((plan) => columnWriter(plan, rows))
    const byDim: (DimWriter | undefined)[] = new Array(d)
    plans.forEach((plan, i) => {
      const w = writers[i] as ColumnWriter
      if (plan.valueDim >= 0) byDim[plan.valueDim] = w.value
      if (plan.nullDim >= 0) byDim[plan.nullDim] = w.null
    })
    latent.draw(rows, cond, random, (j, values, r0, size) => byDim[j]?.(values, r0, size))
    const columns: Column[] = writers.map((w) => w.finish(rowOffset, seed, chunk))
    if (cond !== null)
      for (const f of cond.fixed)
        columns[f.column] = fixColumn(columns[f.column] as Column, plans[f.column] as ColumnPlan, f.value, rows)
    return { numRows: rows, columns }
  }

  const { sample, stream } = createChunkedSampler(conditionerFor, sampleChunk)

  return {
    synthesizer: file.synthesizer,
    columnNames: file.columns.map((c) => c.name),
    sample,
    stream,
    toJSON: () => file,
    save: (path) => writeFileAtomic(path, JSON.stringify(file)),
    dispose: () => {},
  }
}

function denseLatent(copula: DenseCopulaParams, d: number): LatentModel {
  const corr = new Float64Array(d * d)
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) corr[i * d + j] = copula.correlation[i]?.[j] ?? (i === j ? 1 : 0)
  const chol = d > 0 ? cholesky(corr, d) : new Float64Array(0)
  let scratch = new Float64Array(0)
  const buffer = latentBuffer()
  return {
    conditioner: (constraints, fixed) => buildConditioner(constraints, fixed, corr, d),
    draw: (rows, cond, random, sink) => {
      if (scratch.length < rows) scratch = new Float64Array(rows)
      const z = buffer(d * rows)
      if (cond === null) drawUnconditional(z, rows, d, chol, random, scratch)
      else drawConditional(z, rows, d, cond as Conditioner, random)
      handOver(z, rows, d, sink)
    },
  }
}

function factorLatent(sampler: FactorSampler): LatentModel {
  const buffer = latentBuffer()
  return {
    conditioner: (constraints, fixed) => buildFactorConditioner(sampler, constraints, fixed),
    draw: (rows, cond, random, sink) => {
      if (cond === null) {
        // In runs of SPAN rows: the run's latent values (d × SPAN) are drawn, then decoded dimension by dimension
        // (each decoder's tables stay in cache over the run). The latent matrix of a whole chunk is never formed
        // (1,000 dimensions × 65,536 rows would be 524 MB); the draws are the same as in one pass.
        const d = sampler.d
        const span = Math.min(rows, SPAN)
        const z = buffer(d * span)
        for (let s0 = 0; s0 < rows; s0 += span) {
          const size = Math.min(span, rows - s0)
          sampler.drawRows(z, size, random)
          for (let j = 0; j < d; j++) sink(j, z.subarray(j * size, (j + 1) * size), s0, size)
        }
      } else {
        const z = buffer(sampler.d * rows)
        drawFactorConditional(sampler, z, rows, cond as FactorConditioner, random)
        handOver(z, rows, sampler.d, sink)
      }
    },
  }
}

/** Rows of latent values drawn before they are decoded (a multiple of the factor sampler's block of rows). */
const SPAN = 2048

/** A latent matrix reused across chunks (the writers copy out of it). */
function latentBuffer(): (size: number) => Float64Array {
  let z = new Float64Array(0)
  return (size) => {
    if (z.length < size) z = new Float64Array(size)
    return z
  }
}

/** Hands a dimension-major latent matrix to a sink, one whole dimension at a time. */
function handOver(z: Float64Array, rows: number, d: number, sink: LatentSink): void {
  for (let j = 0; j < d; j++) sink(j, z.subarray(j * rows, (j + 1) * rows), 0, rows)
}

function drawUnconditional(
  z: Float64Array,
  rows: number,
  d: number,
  chol: Float64Array,
  random: Random,
  scratch: Float64Array,
): void {
  // Column-wise: one vector of independent normals per dimension k, added into every z_j (j ≥ k) with
  // weight L_jk — tight loops over typed arrays, four outputs per pass over the normals.
  z.fill(0, 0, d * rows)
  for (let k = 0; k < d; k++) {
    random.fillNormal(scratch, 0, rows)
    let j = k
    for (; j + 3 < d; j += 4) {
      const c0 = chol[j * d + k] as number
      const c1 = chol[(j + 1) * d + k] as number
      const c2 = chol[(j + 2) * d + k] as number
      const c3 = chol[(j + 3) * d + k] as number
      const b0 = j * rows
      const b1 = b0 + rows
      const b2 = b1 + rows
      const b3 = b2 + rows
      for (let r = 0; r < rows; r++) {
        const e = scratch[r] as number
        z[b0 + r] = (z[b0 + r] as number) + c0 * e
        z[b1 + r] = (z[b1 + r] as number) + c1 * e
        z[b2 + r] = (z[b2 + r] as number) + c2 * e
        z[b3 + r] = (z[b3 + r] as number) + c3 * e
      }
    }
    for (; j < d; j++) {
      const coef = chol[j * d + k] as number
      const base = j * rows
      for (let r = 0; r < rows; r++) z[base + r] = (z[base + r] as number) + coef * (scratch[r] as number)
    }
  }
}

function drawConditional(z: Float64Array, rows: number, _d: number, cond: Conditioner, random: Random): void {
  const c = cond.constrained.length
  const f = cond.free.length
  const zc = new Float64Array(c)
  const e = new Float64Array(f)
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < c; i++) zc[i] = truncatedNormal(0, 1, cond.lo[i] as number, cond.hi[i] as number, random)
    for (let sweep = 0; sweep < cond.sweeps; sweep++) {
      for (let i = 0; i < c; i++) {
        let mean = 0
        for (let k = 0; k < c; k++) if (k !== i) mean += (cond.gibbsCoef[i * c + k] as number) * (zc[k] as number)
        zc[i] = truncatedNormal(mean, cond.gibbsSd[i] as number, cond.lo[i] as number, cond.hi[i] as number, random)
      }
    }
    for (let i = 0; i < c; i++) z[(cond.constrained[i] as number) * rows + r] = zc[i] as number
    for (let k = 0; k < f; k++) e[k] = random.normal()
    for (let j = 0; j < f; j++) {
      let s = 0
      for (let k = 0; k < c; k++) s += (cond.regression[j * c + k] as number) * (zc[k] as number)
      for (let k = 0; k <= j; k++) s += (cond.freeChol[j * f + k] as number) * (e[k] as number)
      z[(cond.free[j] as number) * rows + r] = s
    }
  }
}

/** The latent constraints of a `where` (value interval, and not null) and the values to fix in the output. */
function whereConstraints(
  where: Readonly<Record<string, WhereValue>>,
  byName: ReadonlyMap<string, ColumnPlan>,
): { constraints: Constraint[]; fixed: Fixed[] } {
  const constraints: Constraint[] = []
  const fixed: Fixed[] = []
  for (const [name, raw] of Object.entries(where)) {
    const plan = byName.get(name)
    if (plan === undefined) throw unknownWhereColumn(name, [...byName.keys()])
    const model = plan.model
    const impossible = (why: string): SynthError => impossibleWhere(name, raw, why)
    if (model.kind === 'pii') throw impossible('it is a PII column, regenerated fresh and never learned')
    if (model.kind === 'text') throw impossible('it is regenerated from its shape, never learned value by value')
    if (model.nullRate >= 1 || plan.valueDim < 0) throw impossible('the column is always null in the model')
    let interval: LatentInterval | null
    let value: number | string | boolean
    if (model.kind === 'categorical') {
      value = String(raw)
      interval = (plan.categorical as CategoricalDecoder).intervalOf(value)
      if (interval === null)
        throw impossible('the value is not among the categories the model stores (rare categories are never stored)')
    } else if (model.kind === 'boolean') {
      const s = String(raw).toLowerCase()
      if (!['true', 'false', '1', '0'].includes(s)) throw impossible('expected true or false')
      value = s === 'true' || s === '1'
      interval = booleanInterval(model, value)
      if (interval === null) throw impossible('the model never produces this value')
    } else {
      const x =
        typeof raw === 'number' ? raw : model.kind === 'datetime' ? Date.parse(String(raw)) : Number(String(raw))
      if (!Number.isFinite(x)) throw impossible(`expected a ${model.kind === 'datetime' ? 'date' : 'number'}`)
      value = x
      interval = (plan.numeric as NumericDecoder).intervalOf(x)
      if (interval === null)
        throw impossible(`the value is outside the learned range [${model.min ?? ''}, ${model.max ?? ''}]`)
    }
    constraints.push({
      dim: plan.valueDim,
      lo: normalPpf(interval.lo),
      hi: interval.lo === interval.hi ? normalPpf(interval.lo) : normalPpf(interval.hi),
    })
    if (plan.nullDim >= 0)
      constraints.push({ dim: plan.nullDim, lo: Number.NEGATIVE_INFINITY, hi: normalPpf(1 - model.nullRate) })
    fixed.push({ column: plan.index, value })
  }
  return { constraints, fixed }
}

function buildConditioner(
  constraints: readonly Constraint[],
  fixed: readonly Fixed[],
  corr: Float64Array,
  d: number,
): Conditioner {
  const c = constraints.length
  const constrained = Int32Array.from(constraints, (x) => x.dim)
  const set = new Set(constrained)
  const free = Int32Array.from(Array.from({ length: d }, (_, i) => i).filter((i) => !set.has(i)))
  const f = free.length
  const scc = new Float64Array(c * c)
  for (let i = 0; i < c; i++)
    for (let j = 0; j < c; j++)
      scc[i * c + j] = corr[(constrained[i] as number) * d + (constrained[j] as number)] as number
  const prec = invertSpd(scc, c)
  const gibbsCoef = new Float64Array(c * c)
  const gibbsSd = new Float64Array(c)
  for (let i = 0; i < c; i++) {
    const pii = prec[i * c + i] as number
    gibbsSd[i] = Math.sqrt(1 / pii)
    for (let k = 0; k < c; k++) if (k !== i) gibbsCoef[i * c + k] = -(prec[i * c + k] as number) / pii
  }
  const regression = new Float64Array(f * c)
  for (let j = 0; j < f; j++) {
    for (let k = 0; k < c; k++) {
      let s = 0
      for (let m = 0; m < c; m++)
        s += (corr[(free[j] as number) * d + (constrained[m] as number)] as number) * (prec[m * c + k] as number)
      regression[j * c + k] = s
    }
  }
  const condCov = new Float64Array(f * f)
  for (let i = 0; i < f; i++) {
    for (let j = 0; j < f; j++) {
      let s = corr[(free[i] as number) * d + (free[j] as number)] as number
      for (let k = 0; k < c; k++)
        s -= (regression[i * c + k] as number) * (corr[(constrained[k] as number) * d + (free[j] as number)] as number)
      condCov[i * f + j] = s
    }
  }
  symmetrize(condCov, f)
  const freeChol = f > 0 ? cholesky(condCov, f) : new Float64Array(0)
  const intervals = constraints.filter((x) => x.lo !== x.hi).length
  return {
    constrained,
    lo: Float64Array.from(constraints, (x) => x.lo),
    hi: Float64Array.from(constraints, (x) => x.hi),
    gibbsCoef,
    gibbsSd,
    free,
    regression,
    freeChol,
    sweeps: intervals === 0 ? 0 : intervals === 1 ? (c > 1 ? 1 : 0) : 30,
    fixed,
  }
}

/** Decodes latent values of one dimension into rows r0 … r0 + size of its column. */
type DimWriter = (values: Float64Array, r0: number, size: number) => void

interface ColumnWriter {
  /** For the column's value dimension (absent when it has none or needs none). */
  readonly value?: DimWriter
  /** For its null indicator dimension. */
  readonly null?: DimWriter
  /** The finished column once every row is written (nulls applied). */
  finish(rowOffset: number, seed: number, chunk: number): Column
}

/** Writes one column of a chunk of `rows` rows from its latent values, decoded as they arrive. */
function columnWriter(plan: ColumnPlan, rows: number): ColumnWriter {
  const model = plan.model
  const allNull = model.nullRate >= 1 || (plan.valueDim < 0 && model.kind !== 'pii' && model.kind !== 'text')
  const nullFlags = !allNull && plan.nullDim >= 0 ? new Uint8Array(rows) : null
  const threshold = plan.nullThreshold
  const nullWriter: DimWriter | undefined =
    nullFlags === null
      ? undefined
      : (z, r0, size) => {
          for (let r = 0; r < size; r++) nullFlags[r0 + r] = (z[r] as number) >= threshold ? 1 : 0
        }
  const isNullOf = (): Uint8Array | null => (allNull ? new Uint8Array(rows).fill(1) : nullFlags)
  const validOf = (isNull: Uint8Array | null): Uint8Array | null => {
    if (isNull === null) return null
    const valid = new Uint8Array(rows)
    for (let r = 0; r < rows; r++) valid[r] = 1 - (isNull[r] as number)
    return valid
  }
  const withNull = (writer: DimWriter | undefined, finish: ColumnWriter['finish']): ColumnWriter => ({
    ...(writer === undefined ? {} : { value: writer }),
    ...(nullWriter === undefined ? {} : { null: nullWriter }),
    finish,
  })
  switch (model.kind) {
    case 'numeric':
    case 'integer':
    case 'datetime': {
      const values = new Float64Array(rows)
      const dec = plan.numeric as NumericDecoder
      const writer: DimWriter | undefined =
        plan.valueDim < 0 ? undefined : (z, r0, size) => dec.decodeLatentBlock(z, values, r0, size)
      return withNull(writer, () => {
        const isNull = isNullOf()
        if (isNull !== null) for (let r = 0; r < rows; r++) if (isNull[r] === 1) values[r] = 0
        const valid = validOf(isNull)
        if (model.kind === 'datetime')
          return { kind: 'datetime', name: model.name, values, valid, format: model.format ?? 'iso' }
        return { kind: model.kind, name: model.name, values, valid }
      })
    }
    case 'categorical': {
      const dec = plan.categorical as CategoricalDecoder
      const codes = new Int32Array(rows)
      if (plan.valueDim < 0) codes.fill(-1)
      const writer: DimWriter | undefined =
        plan.valueDim < 0 ? undefined : (z, r0, size) => dec.decodeLatentBlock(z, codes, r0, size)
      return withNull(writer, () => {
        const isNull = isNullOf()
        if (isNull !== null) for (let r = 0; r < rows; r++) if (isNull[r] === 1) codes[r] = -1
        return { kind: 'categorical', name: model.name, codes, dictionary: dec.dictionary }
      })
    }
    case 'boolean': {
      const values = new Uint8Array(rows)
      const cut = plan.trueThreshold
      const writer: DimWriter | undefined =
        plan.valueDim < 0
          ? undefined
          : (z, r0, size) => {
              for (let r = 0; r < size; r++) values[r0 + r] = (z[r] as number) >= cut ? 1 : 0
            }
      return withNull(writer, () => ({ kind: 'boolean', name: model.name, values, valid: validOf(isNullOf()) }))
    }
    case 'text':
    case 'pii':
      return withNull(undefined, (rowOffset, seed, chunk) =>
        regeneratedColumn(model, { rows, rowOffset, seed, chunk, column: plan.index, isNull: isNullOf() }),
      )
  }
}

/** Sets the conditioned column to exactly the requested value (guards against floating-point edges). */
function fixColumn(column: Column, plan: ColumnPlan, value: number | string | boolean, rows: number): Column {
  switch (column.kind) {
    case 'categorical': {
      const code = (plan.categorical as CategoricalDecoder).dictionary.indexOf(String(value))
      return { ...column, codes: new Int32Array(rows).fill(code) }
    }
    case 'boolean':
      return { ...column, values: new Uint8Array(rows).fill(value === true ? 1 : 0), valid: null }
    case 'numeric':
    case 'integer':
    case 'datetime':
      return { ...column, values: new Float64Array(rows).fill(value as number), valid: null }
    default:
      return column
  }
}
