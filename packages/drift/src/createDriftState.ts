import type { Column, Report, Table } from '@modelgate/core'
import { createQuantileSketch, quantileSketchFromJSON } from '@modelgate/stats'
import type { Baseline, ColumnBaseline } from './baseline.js'
import type { ColumnAccumulator, DriftState, EvaluateOptions, NumericAccumulator } from './DriftState.js'
import type { DriftStateJSON } from './driftStateJson.js'
import { DRIFT_STATE_FORMAT, DRIFT_STATE_VERSION, stateSchema } from './driftStateJson.js'
import { DriftError } from './errors.js'
import { evaluateDrift } from './evaluateDrift.js'
import { flattenEvent } from './flattenEvent.js'
import type { BinLookup } from './internal/bins.js'
import { createBinLookup, lookupBin } from './internal/bins.js'
import type { PerformanceSums } from './internal/cbpe.js'
import { addScores, emptyPerformanceSums } from './internal/cbpe.js'
import type { ErrorSums } from './internal/multivariate.js'
import { addRowError, addTableErrors, emptyErrorSums } from './internal/multivariate.js'
import { isValidPiiFormat } from './internal/piiFormat.js'
import type { MethodChoice } from './resolveMethods.js'
import { resolveMethods } from './resolveMethods.js'

/** Extra (unknown) field names remembered per state; more are counted under one key. */
const MAX_EXTRA_NAMES = 100
const MORE_EXTRA = '(more)'

export interface DriftStateOptions {
  /** Method specs as for `resolveMethods`; the state keeps a quantile sketch only for columns whose method needs one. */
  readonly methods?: readonly string[]
}

/** Creates an empty window state for a baseline. */
export function createDriftState(baseline: Baseline, options: DriftStateOptions = {}): DriftState {
  return new State(baseline, resolveMethods(baseline, options.methods ?? []))
}

/** Restores a state written by `toJSON()` for the same baseline (its checksum must match). */
export function driftStateFromJSON(baseline: Baseline, json: unknown): DriftState {
  const value = typeof json === 'string' ? safeParseJson(json) : json
  const parsed = stateSchema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new DriftError(
      'MG_DRIFT_BASELINE_INVALID',
      `drift state: ${issue === undefined ? 'invalid' : `${issue.path.join('.')}: ${issue.message}`}.`,
    )
  }
  const j = parsed.data
  if (j.baseline !== baseline.checksum) {
    throw new DriftError(
      'MG_DRIFT_BASELINE_MISMATCH',
      'drift state: it was made for another baseline (its baseline checksum differs).',
    )
  }
  const state = new State(baseline, resolveMethods(baseline, j.methods))
  state.restore(j)
  return state
}

function safeParseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new DriftError('MG_DRIFT_BASELINE_INVALID', `drift state: not valid JSON (${(cause as Error).message}).`)
  }
}

const NEEDS_SKETCH = new Set(['ks'])

class State implements DriftState {
  readonly baseline: Baseline
  readonly columns = new Map<string, ColumnAccumulator>()
  readonly extraFields = new Map<string, number>()
  readonly methods: Map<string, MethodChoice>
  private readonly specs: string[]
  private readonly lookups = new Map<string, BinLookup>()
  private readonly byName: Map<string, ColumnBaseline>
  private readonly categoryIndex = new Map<string, Map<string, number>>()
  private count = 0
  readonly multivariate: ErrorSums | null
  readonly performance: PerformanceSums | null
  private readonly scoreLookup: BinLookup
  private readonly zRow: Float64Array
  private readonly zScratch: Float64Array

  constructor(baseline: Baseline, methods: Map<string, MethodChoice>) {
    const mv = baseline.multivariate ?? null
    this.multivariate = mv === null ? null : emptyErrorSums(mv.columns.length)
    this.zRow = new Float64Array(mv?.columns.length ?? 0)
    this.zScratch = new Float64Array(mv?.components.length ?? 0)
    this.baseline = baseline
    this.methods = methods
    this.byName = new Map(baseline.columns.map((c) => [c.name, c]))
    this.specs = [...new Set([...methods.values()].map((m) => m.source).filter((s) => s !== 'auto'))]
    for (const column of baseline.columns) this.columns.set(column.name, this.emptyAccumulator(column))
    const perf = baseline.performance ?? null
    this.scoreLookup =
      (perf === null ? undefined : this.lookups.get(perf.column)) ?? createBinLookup(new Float64Array(0))
    this.performance = perf === null ? null : emptyPerformanceSums(this.scoreLookup.edges.length + 1)
  }

  get rows(): number {
    return this.count
  }

  private emptyAccumulator(column: ColumnBaseline): ColumnAccumulator {
    const common = { present: 0, nulls: 0, typeErrors: 0 }
    switch (column.kind) {
      case 'numeric': {
        const edges = Float64Array.from(column.edges)
        this.lookups.set(column.name, createBinLookup(edges))
        const method = this.methods.get(column.name)?.method
        return {
          ...common,
          kind: 'numeric',
          count: 0,
          mean: 0,
          m2: 0,
          bins: new Float64Array(edges.length + 1),
          binSums: new Float64Array(edges.length + 1),
          below: 0,
          above: 0,
          excessBelow: 0,
          excessAbove: 0,
          sketch:
            method !== undefined && NEEDS_SKETCH.has(method)
              ? createQuantileSketch({ k: this.baseline.settings.sketchK, seed: 1 })
              : null,
        }
      }
      case 'categorical':
        this.categoryIndex.set(column.name, new Map(column.categories.map(([key], i) => [key, i])))
        return { ...common, kind: 'categorical', counts: new Float64Array(column.categories.length + 1) }
      case 'pii':
        return { ...common, kind: 'pii', count: 0, valid: 0 }
      default:
        return { ...common, kind: column.kind }
    }
  }

  addTable(table: Table): DriftState {
    const n = table.numRows
    this.count += n
    const mv = this.baseline.multivariate
    if (mv !== undefined && mv !== null && this.multivariate !== null) addTableErrors(mv, table, this.multivariate)
    const perf = this.baseline.performance
    if (perf !== undefined && perf !== null && this.performance !== null) {
      const score = table.columns.find((c) => c.name === perf.column)
      if (score !== undefined && (score.kind === 'numeric' || score.kind === 'integer')) {
        const finite: number[] = []
        for (let i = 0; i < n; i++) {
          const v = score.values[i] as number
          if ((score.valid === null || score.valid[i] === 1) && Number.isFinite(v)) finite.push(v)
        }
        addScores(perf, this.scoreLookup, finite, this.performance)
      }
    }
    for (const column of table.columns) {
      const acc = this.columns.get(column.name)
      if (acc === undefined) {
        this.noteExtra(column.name, n)
        continue
      }
      acc.present += n
      if (acc.kind === 'numeric' && (column.kind === 'numeric' || column.kind === 'integer')) {
        this.addNumbers(column.name, acc, column.values, column.valid, n)
      } else if (acc.kind === 'categorical' && column.kind === 'categorical') {
        const index = this.categoryIndex.get(column.name) as Map<string, number>
        const outside = acc.counts.length - 1
        const map = Int32Array.from(column.dictionary, (key) => index.get(key) ?? outside)
        for (let i = 0; i < n; i++) {
          const c = column.codes[i] as number
          if (c < 0) acc.nulls++
          else {
            const b = map[c] as number
            acc.counts[b] = (acc.counts[b] as number) + 1
          }
        }
      } else {
        forEachCell(column, n, (v) => this.addValue(column.name, acc, v))
      }
    }
    return this
  }

  addRows(rows: Iterable<Readonly<Record<string, unknown>>>): DriftState {
    for (const row of rows) this.addRow(row)
    return this
  }

  addEvents(events: Iterable<unknown>): DriftState {
    for (const event of events) this.addRow(flattenEvent(event, this.baseline))
    return this
  }

  private addRow(row: Readonly<Record<string, unknown>>): void {
    this.count++
    const mv = this.baseline.multivariate
    if (mv !== undefined && mv !== null && this.multivariate !== null) {
      addRowError(mv, row, this.multivariate, this.zRow, this.zScratch)
    }
    const perf = this.baseline.performance
    if (perf !== undefined && perf !== null && this.performance !== null) {
      const v = row[perf.column]
      if (typeof v === 'number' && Number.isFinite(v)) addScores(perf, this.scoreLookup, [v], this.performance)
    }
    for (const key of Object.keys(row)) {
      const acc = this.columns.get(key)
      if (acc === undefined) {
        this.noteExtra(key, 1)
        continue
      }
      const v = row[key]
      if (v === undefined) continue
      acc.present++
      this.addValue(key, acc, v)
    }
  }

  private noteExtra(name: string, n: number): void {
    const key = this.extraFields.has(name) || this.extraFields.size < MAX_EXTRA_NAMES ? name : MORE_EXTRA
    this.extraFields.set(key, (this.extraFields.get(key) ?? 0) + n)
  }

  private addNumbers(
    name: string,
    acc: NumericAccumulator,
    values: Float64Array,
    valid: Uint8Array | null,
    n: number,
  ): void {
    const column = this.baselineColumn(name)
    if (column.kind !== 'numeric') return
    const lo = column.trimmedMin
    const hi = column.trimmedMax
    const bins = acc.bins
    const sums = acc.binSums
    // chunk moments about the reference mean (no division per value), then Chan's merge into the window's
    const shift = column.mean
    const lookup = this.lookups.get(name) as BinLookup
    let m = 0
    let s1 = 0
    let s2 = 0
    const finite: number[] | null = acc.sketch === null ? null : []
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) {
        acc.nulls++
        continue
      }
      const v = values[i] as number
      if (!Number.isFinite(v)) {
        acc.typeErrors++
        continue
      }
      m++
      const d = v - shift
      s1 += d
      s2 += d * d
      const a = lookupBin(lookup, v)
      bins[a] = (bins[a] as number) + 1
      if (v < lo) {
        acc.below++
        acc.excessBelow += lo - v
        sums[a] = (sums[a] as number) + lo
      } else if (v > hi) {
        acc.above++
        acc.excessAbove += v - hi
        sums[a] = (sums[a] as number) + hi
      } else sums[a] = (sums[a] as number) + v
      finite?.push(v)
    }
    const mean = m === 0 ? 0 : shift + s1 / m
    const m2 = m === 0 ? 0 : Math.max(0, s2 - (s1 * s1) / m)
    mergeMoments(acc, m, mean, m2)
    if (finite !== null && acc.sketch !== null) acc.sketch.addAll(finite)
  }

  private addValue(name: string, acc: ColumnAccumulator, value: unknown): void {
    if (value === null) {
      acc.nulls++
      return
    }
    switch (acc.kind) {
      case 'numeric': {
        const v = typeof value === 'number' ? value : typeof value === 'string' ? numberFromText(value) : Number.NaN
        if (!Number.isFinite(v)) {
          acc.typeErrors++
          return
        }
        const column = this.baselineColumn(name)
        if (column.kind !== 'numeric') return
        mergeMoments(acc, 1, v, 0)
        const b = lookupBin(this.lookups.get(name) as BinLookup, v)
        acc.bins[b] = (acc.bins[b] as number) + 1
        acc.binSums[b] = (acc.binSums[b] as number) + Math.min(column.trimmedMax, Math.max(column.trimmedMin, v))
        if (v < column.trimmedMin) {
          acc.below++
          acc.excessBelow += column.trimmedMin - v
        } else if (v > column.trimmedMax) {
          acc.above++
          acc.excessAbove += v - column.trimmedMax
        }
        acc.sketch?.add(v)
        return
      }
      case 'categorical': {
        const column = this.baselineColumn(name)
        if (column.kind !== 'categorical') return
        const key = categoryKey(value, column.valueType)
        if (key === undefined) {
          acc.typeErrors++
          return
        }
        const index = this.categoryIndex.get(name) as Map<string, number>
        const b = index.get(key) ?? acc.counts.length - 1
        acc.counts[b] = (acc.counts[b] as number) + 1
        return
      }
      case 'pii': {
        acc.count++
        const column = this.baselineColumn(name)
        if (column.kind === 'pii' && isValidPiiFormat(column.piiType, value)) acc.valid++
        return
      }
      default:
        return
    }
  }

  private baselineColumn(name: string): ColumnBaseline {
    return this.byName.get(name) as ColumnBaseline
  }

  merge(other: DriftState): DriftState {
    if (other.baseline.checksum !== this.baseline.checksum) {
      throw new DriftError(
        'MG_DRIFT_BASELINE_MISMATCH',
        'DriftState.merge: the states were made for different baselines.',
      )
    }
    this.count += other.rows
    for (const [name, n] of other.extraFields) this.noteExtra(name, n)
    if (this.performance !== null && other.performance !== null) {
      const mine = this.performance
      const theirs = other.performance
      mine.rows += theirs.rows
      mine.tp += theirs.tp
      mine.fp += theirs.fp
      mine.fn += theirs.fn
      mine.tn += theirs.tn
      for (let b = 0; b < mine.binPositive.length; b++) {
        mine.binPositive[b] = (mine.binPositive[b] as number) + (theirs.binPositive[b] as number)
        mine.binNegative[b] = (mine.binNegative[b] as number) + (theirs.binNegative[b] as number)
      }
    }
    if (this.multivariate !== null && other.multivariate !== null) {
      this.multivariate.count += other.multivariate.count
      this.multivariate.sum += other.multivariate.sum
      this.multivariate.sumSq += other.multivariate.sumSq
      for (let j = 0; j < this.multivariate.residuals.length; j++) {
        this.multivariate.residuals[j] =
          (this.multivariate.residuals[j] as number) + (other.multivariate.residuals[j] as number)
      }
    }
    for (const [name, theirs] of other.columns) {
      const mine = this.columns.get(name) as ColumnAccumulator
      mine.present += theirs.present
      mine.nulls += theirs.nulls
      mine.typeErrors += theirs.typeErrors
      if (mine.kind === 'numeric' && theirs.kind === 'numeric') {
        mergeMoments(mine, theirs.count, theirs.mean, theirs.m2)
        for (let i = 0; i < mine.bins.length; i++) {
          mine.bins[i] = (mine.bins[i] as number) + (theirs.bins[i] as number)
          mine.binSums[i] = (mine.binSums[i] as number) + (theirs.binSums[i] as number)
        }
        mine.below += theirs.below
        mine.above += theirs.above
        mine.excessBelow += theirs.excessBelow
        mine.excessAbove += theirs.excessAbove
        if (mine.sketch !== null && theirs.sketch !== null) mine.sketch.merge(theirs.sketch)
        else if (mine.sketch !== null || theirs.sketch !== null) {
          throw new DriftError(
            'MG_DRIFT_BASELINE_MISMATCH',
            `DriftState.merge: column "${name}" has a sketch in one state only (the states were made with different methods).`,
          )
        }
      } else if (mine.kind === 'categorical' && theirs.kind === 'categorical') {
        for (let i = 0; i < mine.counts.length; i++)
          mine.counts[i] = (mine.counts[i] as number) + (theirs.counts[i] as number)
      } else if (mine.kind === 'pii' && theirs.kind === 'pii') {
        mine.count += theirs.count
        mine.valid += theirs.valid
      }
    }
    return this
  }

  evaluate(options: EvaluateOptions = {}): Report {
    return evaluateDrift(this, options)
  }

  toJSON(): DriftStateJSON {
    const columns: DriftStateJSON['columns'] = {}
    for (const [name, acc] of this.columns) {
      if (acc.kind === 'numeric') {
        columns[name] = {
          ...acc,
          bins: Array.from(acc.bins),
          binSums: Array.from(acc.binSums),
          sketch: acc.sketch === null ? null : acc.sketch.toJSON(),
        }
      } else if (acc.kind === 'categorical') columns[name] = { ...acc, counts: Array.from(acc.counts) }
      else columns[name] = { ...acc }
    }
    return {
      format: DRIFT_STATE_FORMAT,
      version: DRIFT_STATE_VERSION,
      baseline: this.baseline.checksum,
      rows: this.count,
      methods: this.specs,
      extraFields: Object.fromEntries(this.extraFields),
      multivariate:
        this.multivariate === null
          ? null
          : { ...this.multivariate, residuals: Array.from(this.multivariate.residuals) },
      performance:
        this.performance === null
          ? null
          : {
              ...this.performance,
              binPositive: Array.from(this.performance.binPositive),
              binNegative: Array.from(this.performance.binNegative),
            },
      columns,
    }
  }

  /** @internal */
  restore(j: DriftStateJSON): void {
    this.count = j.rows
    if (this.performance !== null && j.performance !== undefined && j.performance !== null) {
      const p = j.performance
      if (p.binPositive.length !== this.performance.binPositive.length) {
        throw new DriftError(
          'MG_DRIFT_BASELINE_MISMATCH',
          'drift state: the performance sums do not match the baseline.',
        )
      }
      Object.assign(this.performance, { rows: p.rows, tp: p.tp, fp: p.fp, fn: p.fn, tn: p.tn })
      this.performance.binPositive.set(p.binPositive)
      this.performance.binNegative.set(p.binNegative)
    }
    if (this.multivariate !== null && j.multivariate !== null) {
      if (j.multivariate.residuals.length !== this.multivariate.residuals.length) {
        throw new DriftError(
          'MG_DRIFT_BASELINE_MISMATCH',
          'drift state: the multivariate sums do not match the baseline.',
        )
      }
      this.multivariate.count = j.multivariate.count
      this.multivariate.sum = j.multivariate.sum
      this.multivariate.sumSq = j.multivariate.sumSq
      this.multivariate.residuals.set(j.multivariate.residuals)
    }
    for (const [name, n] of Object.entries(j.extraFields)) this.extraFields.set(name, n)
    for (const [name, saved] of Object.entries(j.columns)) {
      const acc = this.columns.get(name)
      if (acc === undefined || acc.kind !== saved.kind) {
        throw new DriftError('MG_DRIFT_BASELINE_MISMATCH', `drift state: column "${name}" does not match the baseline.`)
      }
      acc.present = saved.present
      acc.nulls = saved.nulls
      acc.typeErrors = saved.typeErrors
      if (acc.kind === 'numeric' && saved.kind === 'numeric') {
        if (saved.bins.length !== acc.bins.length || saved.binSums.length !== acc.binSums.length) {
          throw new DriftError(
            'MG_DRIFT_BASELINE_MISMATCH',
            `drift state: column "${name}" has another number of bins.`,
          )
        }
        acc.bins.set(saved.bins)
        acc.binSums.set(saved.binSums)
        Object.assign(acc, {
          count: saved.count,
          mean: saved.mean,
          m2: saved.m2,
          below: saved.below,
          above: saved.above,
          excessBelow: saved.excessBelow,
          excessAbove: saved.excessAbove,
        })
        acc.sketch = saved.sketch === null ? null : quantileSketchFromJSON(saved.sketch)
      } else if (acc.kind === 'categorical' && saved.kind === 'categorical') {
        if (saved.counts.length !== acc.counts.length) {
          throw new DriftError(
            'MG_DRIFT_BASELINE_MISMATCH',
            `drift state: column "${name}" has another number of categories.`,
          )
        }
        acc.counts.set(saved.counts)
      } else if (acc.kind === 'pii' && saved.kind === 'pii') {
        acc.count = saved.count
        acc.valid = saved.valid
      }
    }
  }
}

/** Chan, Golub & LeVeque's pairwise update: adds (n, mean, m2) of a chunk into the accumulator. */
function mergeMoments(acc: { count: number; mean: number; m2: number }, n: number, mean: number, m2: number): void {
  if (n === 0) return
  const total = acc.count + n
  const delta = mean - acc.mean
  acc.m2 += m2 + (delta * delta * acc.count * n) / total
  acc.mean += (delta * n) / total
  acc.count = total
}

function numberFromText(text: string): number {
  const t = text.trim()
  return t === '' ? Number.NaN : Number(t)
}

/** The baseline's text form of a categorical value; undefined when the type cannot be one of its categories. */
function categoryKey(value: unknown, valueType: 'string' | 'number' | 'boolean'): string | undefined {
  if (typeof value === 'string') {
    if (valueType === 'number') {
      const v = numberFromText(value)
      return Number.isFinite(v) ? String(v) : undefined
    }
    return value
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (typeof value === 'boolean') return String(value)
  return undefined
}

function forEachCell(column: Column, n: number, visit: (value: unknown) => void): void {
  switch (column.kind) {
    case 'numeric':
    case 'integer':
      for (let i = 0; i < n; i++) visit(column.valid !== null && column.valid[i] === 0 ? null : column.values[i])
      return
    case 'datetime':
      // a date where the baseline has numbers or categories is a type change
      for (let i = 0; i < n; i++) visit(column.valid !== null && column.valid[i] === 0 ? null : { datetime: true })
      return
    case 'boolean':
      for (let i = 0; i < n; i++) visit(column.valid !== null && column.valid[i] === 0 ? null : column.values[i] === 1)
      return
    case 'categorical':
      for (let i = 0; i < n; i++) {
        const c = column.codes[i] as number
        visit(c < 0 ? null : column.dictionary[c])
      }
      return
    case 'text':
    case 'id':
      for (let i = 0; i < n; i++) visit(column.values[i] ?? null)
      return
  }
}
