import type { ArgumentShape, Report, Table } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import type { Baseline, ColumnBaseline } from './baseline.js'
import type { ColumnAccumulator, DriftState, EvaluateOptions } from './DriftState.js'
import type { DriftStateJSON } from './driftStateJson.js'
import { DRIFT_STATE_FORMAT, DRIFT_STATE_VERSION, stateSchema } from './driftStateJson.js'
import { DriftError } from './errors.js'
import { evaluateDrift } from './evaluateDrift.js'
import {
  accumulatorJSON,
  addCodeColumn,
  addInto,
  addNumberColumn,
  addRawColumn,
  emptyAccumulator,
  mergeAccumulator,
  restoreAccumulator,
} from './internal/accumulators.js'
import { baselineArgument, strings } from './internal/arguments.js'
import type { BinLookup } from './internal/bins.js'
import { createBinLookup } from './internal/bins.js'
import type { PerformanceSums } from './internal/cbpe.js'
import { addScores, emptyPerformanceSums } from './internal/cbpe.js'
import type { Slot } from './internal/columnBatch.js'
import { ColumnBatch, slotFromTable } from './internal/columnBatch.js'
import type { ErrorSums } from './internal/multivariate.js'
import { addColumnErrors, addTableErrors, emptyErrorSums } from './internal/multivariate.js'
import type { MethodChoice } from './resolveMethods.js'
import { resolveMethods } from './resolveMethods.js'

/** Extra (unknown) field names remembered per state; more are counted under one key. */
const MAX_EXTRA_NAMES = 100
const MORE_EXTRA = '(more)'

export interface DriftStateOptions {
  /** Method specs as for `resolveMethods`; the state keeps a quantile sketch only for columns whose method needs one. */
  readonly methods?: readonly string[]
}

const optionsArgument = z.object({ methods: strings.optional() } satisfies ArgumentShape<DriftStateOptions>).strict()

/** Creates an empty window state for a baseline. */
export function createDriftState(baseline: Baseline, options: DriftStateOptions = {}): DriftState {
  const call = 'createDriftState(baseline, options)'
  checkArgument(baselineArgument, baseline, { call, name: 'baseline' })
  checkArgument(optionsArgument, options, { call, name: 'options' })
  return new State(baseline, resolveMethods(baseline, options.methods ?? []))
}

/** Restores a state written by `toJSON()` for the same baseline (its checksum must match). */
export function driftStateFromJSON(baseline: Baseline, json: unknown): DriftState {
  checkArgument(baselineArgument, baseline, { call: 'driftStateFromJSON(baseline, json)', name: 'baseline' })
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
/** Events or rows gathered into columns before they are accumulated. */
const BATCH_ROWS = 4096
/** One reusable batch per baseline (addEvents / addRows are synchronous; a busy batch is never shared). */
const batches = new WeakMap<Baseline, ColumnBatch>()

class State implements DriftState {
  readonly baseline: Baseline
  readonly columns = new Map<string, ColumnAccumulator>()
  readonly extraFields = new Map<string, number>()
  readonly methods: Map<string, MethodChoice>
  private readonly specs: string[]
  private readonly lookups = new Map<string, BinLookup>()
  private readonly byName: Map<string, ColumnBaseline>
  private count = 0
  readonly multivariate: ErrorSums | null
  readonly performance: PerformanceSums | null
  private readonly scoreLookup: BinLookup

  constructor(baseline: Baseline, methods: Map<string, MethodChoice>) {
    const mv = baseline.multivariate ?? null
    this.multivariate = mv === null ? null : emptyErrorSums(mv.columns.length)
    this.baseline = baseline
    this.methods = methods
    this.byName = new Map(baseline.columns.map((c) => [c.name, c]))
    this.specs = [...new Set([...methods.values()].map((m) => m.source).filter((s) => s !== 'auto'))]
    for (const column of baseline.columns) {
      const method = methods.get(column.name)?.method
      const sketchK = method !== undefined && NEEDS_SKETCH.has(method) ? baseline.settings.sketchK : null
      this.columns.set(column.name, emptyAccumulator(column, sketchK))
      if (column.kind === 'numeric') this.lookups.set(column.name, createBinLookup(Float64Array.from(column.edges)))
    }
    const perf = baseline.performance ?? null
    this.scoreLookup =
      (perf === null ? undefined : this.lookups.get(perf.column)) ?? createBinLookup(new Float64Array(0))
    this.performance = perf === null ? null : emptyPerformanceSums(this.scoreLookup.edges.length + 1)
  }

  get rows(): number {
    return this.count
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
      const baselineColumn = this.byName.get(column.name)
      if (baselineColumn === undefined) this.noteExtra(column.name, n)
      else this.addSlot(baselineColumn, slotFromTable(baselineColumn, column, n), n)
    }
    return this
  }

  addRows(rows: Iterable<Readonly<Record<string, unknown>>>): DriftState {
    return this.fill(rows, (batch, row) => batch.addRow(row))
  }

  addEvents(events: Iterable<unknown>): DriftState {
    return this.fill(events, (batch, event) => batch.addEvent(event))
  }

  /** Gathers items into a column batch and accumulates it every BATCH_ROWS items. */
  private fill<T>(items: Iterable<T>, add: (batch: ColumnBatch, item: T) => void): DriftState {
    let batch = batches.get(this.baseline)
    if (batch === undefined || batch.busy) {
      batch = new ColumnBatch(this.baseline, BATCH_ROWS)
      if (!batches.has(this.baseline)) batches.set(this.baseline, batch)
    }
    batch.busy = true
    try {
      for (const item of items) {
        add(batch, item)
        if (batch.full) this.addBatch(batch)
      }
      if (batch.rows > 0) this.addBatch(batch)
    } finally {
      batch.clear()
      batch.busy = false
    }
    return this
  }

  private addBatch(batch: ColumnBatch): void {
    const n = batch.rows
    this.count += n
    for (const [name, rows] of batch.extra) this.noteExtra(name, rows)
    const mv = this.baseline.multivariate
    if (mv !== undefined && mv !== null && this.multivariate !== null) {
      addColumnErrors(mv, (name) => batch.numbers(name), n, this.multivariate)
    }
    const perf = this.baseline.performance
    if (perf !== undefined && perf !== null && this.performance !== null) {
      const scores = batch.scores()
      if (scores.length > 0) addScores(perf, this.scoreLookup, scores, this.performance)
    }
    for (const slot of batch.slots) this.addSlot(this.byName.get(slot.name) as ColumnBaseline, slot, n)
    batch.clear()
  }

  private addSlot(column: ColumnBaseline, slot: Slot, n: number): void {
    const acc = this.columns.get(column.name) as ColumnAccumulator
    if (slot.kind === 'numeric' && acc.kind === 'numeric' && column.kind === 'numeric') {
      addNumberColumn(acc, column, this.lookups.get(column.name) as BinLookup, slot.values, slot.cls, n)
    } else if (slot.kind === 'categorical' && acc.kind === 'categorical') addCodeColumn(acc, slot.codes, slot.cls, n)
    else if (slot.kind !== 'numeric' && slot.kind !== 'categorical') addRawColumn(acc, column, slot.raw, slot.cls, n)
  }

  private noteExtra(name: string, n: number): void {
    const key = this.extraFields.has(name) || this.extraFields.size < MAX_EXTRA_NAMES ? name : MORE_EXTRA
    this.extraFields.set(key, (this.extraFields.get(key) ?? 0) + n)
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
      addInto(mine.binPositive, theirs.binPositive)
      addInto(mine.binNegative, theirs.binNegative)
    }
    if (this.multivariate !== null && other.multivariate !== null) {
      this.multivariate.count += other.multivariate.count
      this.multivariate.sum += other.multivariate.sum
      this.multivariate.sumSq += other.multivariate.sumSq
      addInto(this.multivariate.residuals, other.multivariate.residuals)
    }
    for (const [name, theirs] of other.columns) {
      mergeAccumulator(name, this.columns.get(name) as ColumnAccumulator, theirs)
    }
    return this
  }

  evaluate(options: EvaluateOptions = {}): Report {
    return evaluateDrift(this, options)
  }

  toJSON(): DriftStateJSON {
    const columns: DriftStateJSON['columns'] = {}
    for (const [name, acc] of this.columns) columns[name] = accumulatorJSON(acc)
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
    for (const [name, saved] of Object.entries(j.columns)) restoreAccumulator(name, this.columns.get(name), saved)
  }
}
