import type { Column } from '@modelgate/core'
import type { Baseline, ColumnBaseline } from '../baseline.js'

/** What a cell of a batch holds (one byte per row and column). */
export const ABSENT = 0
/** A finite number given as a number (numeric columns), a category's code (categorical), a value (others). */
const VALUE = 1
export const NULL = 2
/** A value of the wrong type: text where the baseline has numbers, an object, a non-finite number. */
export const BAD = 3
/** A number written as text (`"12.5"`): counted as a number, but not as a model score. */
const TEXT_NUMBER = 4

interface SlotBase {
  readonly name: string
  /** Per row: ABSENT, VALUE, NULL, BAD or TEXT_NUMBER. */
  cls: Uint8Array
}
interface NumericSlot extends SlotBase {
  readonly kind: 'numeric'
  /** Per row, the number (NaN unless the cell is VALUE or TEXT_NUMBER). */
  values: Float64Array
}
interface CategoricalSlot extends SlotBase {
  readonly kind: 'categorical'
  /** Per row, the index of the baseline category (the number of categories for one outside them). */
  codes: Int32Array
  readonly index: ReadonlyMap<string, number>
  readonly outside: number
  readonly valueType: 'string' | 'number' | 'boolean'
}
interface RawSlot extends SlotBase {
  readonly kind: 'pii' | 'identifier' | 'skipped'
  raw: unknown[]
}
export type Slot = NumericSlot | CategoricalSlot | RawSlot

/**
 * A batch of events (or rows) split into one array per baseline column, aligned by row: numbers in a Float64Array,
 * categories as codes of the baseline's categories, one class byte per cell (absent, value, null, wrong type). The
 * window state then accumulates a whole column at a time (moments, bins, one bulk sketch insert, counts by code)
 * instead of visiting every event's fields one by one — and no row object is made per event.
 *
 * Events map to columns as `flattenEvent` says (`features.x` → x, nested objects with dots, `prediction.score` →
 * the prediction column); a later field for the same column wins, as in a row object.
 */
export class ColumnBatch {
  readonly slots: readonly Slot[]
  /** Field names that are not baseline columns, with how many rows had them (first-seen order). */
  readonly extra = new Map<string, number>()
  private readonly byName: Map<string, Slot>
  private readonly predictionSlot: Slot | undefined
  private readonly labelSlot: Slot | undefined
  private n = 0
  private capacity: number
  private scoreBuffer: Float64Array | undefined
  /** True while a state fills it (a shared batch is never used by two states at once). */
  busy = false

  constructor(baseline: Pick<Baseline, 'columns' | 'prediction'>, capacity = 4096) {
    this.capacity = capacity
    this.slots = baseline.columns.map((column) => createSlot(column, capacity))
    this.byName = new Map(this.slots.map((s) => [s.name, s]))
    this.predictionSlot = baseline.prediction === null ? undefined : this.byName.get(baseline.prediction.column)
    this.labelSlot = this.byName.get('label')
  }

  /** Rows in the batch. */
  get rows(): number {
    return this.n
  }

  get full(): boolean {
    return this.n >= this.capacity
  }

  /** A numeric column's values (NaN where the cell holds no number), or null when the column is not numeric. */
  numbers(name: string): Float64Array | null {
    const slot = this.byName.get(name)
    return slot?.kind === 'numeric' ? slot.values : null
  }

  /** The prediction column's finite scores given as numbers, in row order (a view valid until the next call). */
  scores(): Float64Array {
    const slot = this.predictionSlot
    if (slot?.kind !== 'numeric') return new Float64Array(0)
    this.scoreBuffer ??= new Float64Array(this.capacity)
    const out = this.scoreBuffer
    let m = 0
    for (let i = 0; i < this.n; i++) if (slot.cls[i] === VALUE) out[m++] = slot.values[i] as number
    return out.subarray(0, m)
  }

  /** Empties the batch for reuse (the arrays are kept). */
  clear(): void {
    const n = this.n
    for (const slot of this.slots) {
      slot.cls.fill(ABSENT, 0, n)
      if (slot.kind === 'numeric') slot.values.fill(Number.NaN, 0, n)
      else if (slot.kind !== 'categorical') slot.raw.length = 0
    }
    this.extra.clear()
    this.n = 0
  }

  /** Adds an inference event (`features`, `prediction`); anything that is not an object is a row with no field. */
  addEvent(event: unknown): void {
    const row = this.n++
    if (event === null || typeof event !== 'object') return
    const e = event as { features?: unknown; prediction?: unknown }
    const features = e.features
    if (features !== null && typeof features === 'object' && !Array.isArray(features)) {
      this.addFields(features as Record<string, unknown>, '', row)
    }
    const p = e.prediction
    if (p !== null && typeof p === 'object') {
      const { score, label } = p as { score?: unknown; label?: unknown }
      if (this.predictionSlot !== undefined && score !== undefined) setCell(this.predictionSlot, row, score)
      if (this.labelSlot !== undefined && label !== undefined) setCell(this.labelSlot, row, label)
    } else if (typeof p === 'number' && this.predictionSlot !== undefined) setCell(this.predictionSlot, row, p)
  }

  /** Adds a row object (key x → column x; a missing key or `undefined` is "not present"). */
  addRow(values: Readonly<Record<string, unknown>>): void {
    const row = this.n++
    for (const key of Object.keys(values)) {
      const slot = this.byName.get(key)
      if (slot === undefined) this.noteExtra(key)
      else setCell(slot, row, values[key])
    }
  }

  private addFields(obj: Readonly<Record<string, unknown>>, prefix: string, row: number): void {
    for (const key of Object.keys(obj)) {
      const value = obj[key]
      const name = prefix === '' ? key : `${prefix}.${key}`
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
        this.addFields(value as Record<string, unknown>, name, row)
        continue
      }
      const slot = this.byName.get(name)
      if (slot === undefined) this.noteExtra(name)
      else setCell(slot, row, value)
    }
  }

  private noteExtra(name: string): void {
    this.extra.set(name, (this.extra.get(name) ?? 0) + 1)
  }
}

/** An empty column of `capacity` rows for a baseline column. */
function createSlot(column: ColumnBaseline, capacity: number): Slot {
  const cls = new Uint8Array(capacity)
  switch (column.kind) {
    case 'numeric':
      return { kind: 'numeric', name: column.name, cls, values: new Float64Array(capacity).fill(Number.NaN) }
    case 'categorical':
      return {
        kind: 'categorical',
        name: column.name,
        cls,
        codes: new Int32Array(capacity),
        index: new Map(column.categories.map(([key], i) => [key, i])),
        outside: column.categories.length,
        valueType: column.valueType,
      }
    default:
      return { kind: column.kind, name: column.name, cls, raw: [] }
  }
}

/**
 * A table's column as a batch column for a baseline column: numbers and dictionary codes are taken over whole (no
 * per-cell work but the null mask); any other pairing (a date where the baseline has numbers, text for a category)
 * goes cell by cell, as the values would in events.
 */
export function slotFromTable(baselineColumn: ColumnBaseline, column: Column, n: number): Slot {
  if (baselineColumn.kind === 'numeric' && (column.kind === 'numeric' || column.kind === 'integer')) {
    const cls = new Uint8Array(n).fill(VALUE)
    const valid = column.valid
    if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) cls[i] = NULL
    return { kind: 'numeric', name: column.name, cls, values: column.values }
  }
  const slot = createSlot(baselineColumn, n)
  if (slot.kind === 'categorical' && column.kind === 'categorical') {
    const map = Int32Array.from(column.dictionary, (key) => slot.index.get(key) ?? slot.outside)
    for (let i = 0; i < n; i++) {
      const c = column.codes[i] as number
      if (c < 0) slot.cls[i] = NULL
      else {
        slot.cls[i] = VALUE
        slot.codes[i] = map[c] as number
      }
    }
    return slot
  }
  const valid = 'valid' in column ? column.valid : null
  const isNull = (i: number): boolean => valid !== null && valid[i] === 0
  for (let i = 0; i < n; i++) {
    switch (column.kind) {
      case 'numeric':
      case 'integer':
        setCell(slot, i, isNull(i) ? null : column.values[i])
        break
      case 'datetime':
        // a date where the baseline has numbers or categories is a type change
        setCell(slot, i, isNull(i) ? null : { datetime: true })
        break
      case 'boolean':
        setCell(slot, i, isNull(i) ? null : column.values[i] === 1)
        break
      case 'categorical': {
        const c = column.codes[i] as number
        setCell(slot, i, c < 0 ? null : column.dictionary[c])
        break
      }
      default:
        setCell(slot, i, column.values[i] ?? null)
    }
  }
  return slot
}

function setCell(slot: Slot, row: number, value: unknown): void {
  if (value === undefined) {
    slot.cls[row] = ABSENT
    if (slot.kind === 'numeric') slot.values[row] = Number.NaN
    return
  }
  if (value === null) {
    slot.cls[row] = NULL
    if (slot.kind === 'numeric') slot.values[row] = Number.NaN
    return
  }
  switch (slot.kind) {
    case 'numeric': {
      if (typeof value === 'number') {
        const ok = Number.isFinite(value)
        slot.cls[row] = ok ? VALUE : BAD
        slot.values[row] = ok ? value : Number.NaN
      } else {
        const v = typeof value === 'string' ? numberFromText(value) : Number.NaN
        const ok = Number.isFinite(v)
        slot.cls[row] = ok ? TEXT_NUMBER : BAD
        slot.values[row] = ok ? v : Number.NaN
      }
      return
    }
    case 'categorical': {
      const key = categoryKey(value, slot.valueType)
      if (key === undefined) slot.cls[row] = BAD
      else {
        slot.cls[row] = VALUE
        slot.codes[row] = slot.index.get(key) ?? slot.outside
      }
      return
    }
    default:
      slot.cls[row] = VALUE
      slot.raw[row] = value
  }
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
