import type { ShadowAnswer, ShadowPair } from '../ShadowPair.js'

const SIDES = ['primary', 'candidate', 'secondary'] as const
/** `error` codes in the columns: 0 none; 255 marks an absent side (a pair without a secondary). */
const ERRORS = [undefined, 'timeout', 'connection', 'status', 'parse'] as const
const ABSENT = 255
const errorCode = (error: ShadowAnswer['error']): number => (error === undefined ? 0 : ERRORS.indexOf(error))
/**
 * Score fields with a typed column each; further fields of an answer (an answer with hundreds of numbers) are kept
 * per pair in an object, so the memory stays bounded by `capacity × fields` only up to this many.
 */
const MAX_SCORE_COLUMNS = 64
/** Distinct strings (paths, label values) shared by every pair that holds them; beyond, each pair keeps its own. */
const MAX_INTERNED = 4096

/** The numeric columns of one side (typed: the garbage collector has nothing in them to trace). */
interface SideColumns {
  readonly status: Uint16Array
  readonly latencyMs: Float64Array
  readonly error: Uint8Array
  readonly added: (readonly string[] | undefined)[]
  readonly missing: (readonly string[] | undefined)[]
}

/** The status's comparison of the kept pairs, computed on the columns (no pair objects built). */
export interface StoreSummary {
  readonly size: number
  /** Error kinds by target. */
  readonly errors: Record<'primary' | 'candidate' | 'secondary', Record<string, number>>
  /** Per score field held by both the primary and the candidate. */
  readonly scores: Record<string, { compared: number; exceeded: number; sum: number; sumAbs: number }>
  /** Per label field held by both. */
  readonly labels: Record<string, { compared: number; agreed: number }>
  /** Pairs whose candidate added (lost) fields of the primary's answer. */
  readonly added: number
  readonly missing: number
}

/** The numeric columns of one side in a message, with the (rare) field lists as `[slot, list]` entries. */
interface SideMessage {
  readonly status: Uint16Array
  readonly latencyMs: Float64Array
  readonly error: Uint8Array
  readonly added: readonly (readonly [number, readonly string[]])[]
  readonly missing: readonly (readonly [number, readonly string[]])[]
}

/**
 * What `ShadowStore.toMessage()` gives to post to another thread: typed arrays and short lists only, so that the
 * structured clone is a few memory copies — strings (paths, label values) as codes into `strings` (0 = absent), the
 * rare per-slot lists as `[slot, value]` entries (a clone walks a JavaScript array element by element: the ring's
 * 10,000-slot string and list columns took most of the ~15 ms a verdict's copy cost on the proxy's thread).
 */
export interface ShadowStoreMessage {
  readonly capacity: number
  readonly total: number
  readonly next: number
  readonly at: Float64Array
  readonly strings: readonly string[]
  readonly paths: Uint32Array
  readonly sides: readonly SideMessage[]
  readonly scores: readonly (readonly [string, readonly Float64Array[]])[]
  readonly labels: readonly (readonly [string, readonly Uint32Array[]])[]
  readonly extraScores: readonly (readonly [number, readonly Record<string, number>[]])[]
}

/**
 * The pairs the proxy keeps: a ring of the most recent `capacity` pairs. A ring, not a reservoir, because the verdict
 * is about the candidate as it answers now (a reservoir over a long run would keep judging answers of an hour ago
 * with the same weight); the counts of the whole run are kept beside it.
 *
 * Stored in columns — typed arrays for times, statuses, latencies, error kinds and scores (NaN = absent), interned
 * strings for paths and labels — not as a `ShadowPair` object per request: 10,000 pair objects (about ten heap objects
 * each) were promoted to the old generation and died there, which the proxy's event loop paid for in garbage
 * collection pauses. `pairs()` builds the objects when they are asked for (the status, the verdict).
 */
export class ShadowStore {
  private next = 0
  /** Pairs ever added (the ring holds the last `capacity`). */
  total = 0
  private readonly at: Float64Array
  private readonly paths: (string | undefined)[]
  private readonly sides: SideColumns[]
  /** Score columns by field: one Float64Array per side. */
  private readonly scores = new Map<string, Float64Array[]>()
  /** Label columns by field: one array of (interned) strings per side. */
  private readonly labels = new Map<string, (string | undefined)[][]>()
  /** Scores of fields beyond the typed columns, per slot and side (rare). */
  private readonly extraScores: (Record<string, number>[] | undefined)[]
  private readonly interned = new Map<string, string>()

  constructor(readonly capacity: number) {
    this.at = new Float64Array(capacity)
    this.paths = new Array<string | undefined>(capacity)
    this.sides = SIDES.map(() => ({
      status: new Uint16Array(capacity),
      latencyMs: new Float64Array(capacity),
      error: new Uint8Array(capacity).fill(ABSENT),
      added: new Array<readonly string[] | undefined>(capacity),
      missing: new Array<readonly string[] | undefined>(capacity),
    }))
    this.extraScores = new Array<Record<string, number>[] | undefined>(capacity)
  }

  /** A store holding what another thread's `toMessage()` sent. */
  static fromMessage(message: ShadowStoreMessage): ShadowStore {
    const store = new ShadowStore(message.capacity)
    store.total = message.total
    store.next = message.next
    store.at.set(message.at)
    const text = (code: number): string | undefined => (code === 0 ? undefined : message.strings[code - 1])
    for (const [i, side] of message.sides.entries()) {
      const own = store.sides[i] as SideColumns
      own.status.set(side.status)
      own.latencyMs.set(side.latencyMs)
      own.error.set(side.error)
      for (const [slot, list] of side.added) own.added[slot] = list
      for (const [slot, list] of side.missing) own.missing[slot] = list
    }
    for (let slot = 0; slot < message.capacity; slot++) store.paths[slot] = text(message.paths[slot] as number)
    for (const [slot, extra] of message.extraScores) store.extraScores[slot] = extra.map((s) => ({ ...s }))
    for (const [field, columns] of message.scores) store.scores.set(field, [...columns])
    for (const [field, columns] of message.labels)
      store.labels.set(
        field,
        columns.map((codes) => Array.from(codes, text)),
      )
    return store
  }

  add(pair: ShadowPair): void {
    const slot = this.next
    this.at[slot] = pair.at
    this.paths[slot] = this.intern(pair.path)
    for (const columns of this.scores.values()) for (const column of columns) column[slot] = Number.NaN
    for (const columns of this.labels.values()) for (const column of columns) column[slot] = undefined
    this.extraScores[slot] = undefined
    this.write(slot, 0, pair.primary)
    this.write(slot, 1, pair.candidate)
    this.write(slot, 2, pair.secondary)
    this.next = (slot + 1) % this.capacity
    this.total++
  }

  get size(): number {
    return Math.min(this.total, this.capacity)
  }

  /** The kept pairs, oldest first (built from the columns). */
  pairs(): ShadowPair[] {
    const n = this.size
    const out: ShadowPair[] = new Array(n)
    const start = this.total > this.capacity ? this.next : 0
    for (let i = 0; i < n; i++) out[i] = this.pair((start + i) % this.capacity)
    return out
  }

  /** The last `count` pairs, newest first. */
  recent(count: number): ShadowPair[] {
    const n = Math.min(count, this.size)
    const out: ShadowPair[] = []
    for (let i = 1; i <= n; i++) out.push(this.pair((this.next - i + this.capacity) % this.capacity))
    return out
  }

  /**
   * The status's figures over the kept pairs, read from the columns: error kinds per target; per score field the
   * pairs both answers hold, those whose |candidate − primary| exceeds the tolerance (and, with a secondary,
   * |secondary − primary|), the sum of the differences and of their absolute values; per label field agreement;
   * added and missing fields.
   */
  summarize(tolerance: number): StoreSummary {
    const n = this.size
    const errors: StoreSummary['errors'] = { primary: {}, candidate: {}, secondary: {} }
    for (const [i, name] of SIDES.entries()) {
      const codes = (this.sides[i] as SideColumns).error
      const counts = errors[name]
      for (let slot = 0; slot < n; slot++) {
        const code = codes[slot] as number
        if (code === 0 || code === ABSENT) continue
        const kind = ERRORS[code] as string
        counts[kind] = (counts[kind] ?? 0) + 1
      }
    }
    const scores: StoreSummary['scores'] = {}
    const compare = (field: string, p: number, c: number, s: number | undefined): void => {
      const figures = scores[field] ?? { compared: 0, exceeded: 0, sum: 0, sumAbs: 0 }
      scores[field] = figures
      figures.compared++
      figures.sum += c - p
      figures.sumAbs += Math.abs(c - p)
      if (Math.abs(c - p) > Math.max(tolerance, s === undefined || Number.isNaN(s) ? 0 : Math.abs(s - p)))
        figures.exceeded++
    }
    for (const [field, [primary, candidate, secondary]] of this.scores)
      for (let slot = 0; slot < n; slot++) {
        const p = (primary as Float64Array)[slot] as number
        const c = (candidate as Float64Array)[slot] as number
        if (!Number.isNaN(p) && !Number.isNaN(c)) compare(field, p, c, (secondary as Float64Array)[slot])
      }
    for (let slot = 0; slot < n; slot++) {
      const extra = this.extraScores[slot]
      if (extra === undefined) continue
      const [primary, candidate, secondary] = extra as [
        Record<string, number>,
        Record<string, number>,
        Record<string, number>,
      ]
      for (const field in primary) {
        const c = candidate[field]
        if (c !== undefined) compare(field, primary[field] as number, c, secondary[field])
      }
    }
    const labels: StoreSummary['labels'] = {}
    for (const [field, [primary, candidate]] of this.labels)
      for (let slot = 0; slot < n; slot++) {
        const p = (primary as (string | undefined)[])[slot]
        const c = (candidate as (string | undefined)[])[slot]
        if (p === undefined || c === undefined) continue
        const figures = labels[field] ?? { compared: 0, agreed: 0 }
        labels[field] = figures
        figures.compared++
        if (c === p) figures.agreed++
      }
    const candidate = this.sides[1] as SideColumns
    let added = 0
    let missing = 0
    for (let slot = 0; slot < n; slot++) {
      if ((candidate.added[slot]?.length ?? 0) > 0) added++
      if ((candidate.missing[slot]?.length ?? 0) > 0) missing++
    }
    return { size: n, errors, scores, labels, added, missing }
  }

  /** The columns as a message for another thread (see ShadowStoreMessage); this store goes on as it was. */
  toMessage(): ShadowStoreMessage {
    const codes = new Map<string, number>()
    const strings: string[] = []
    const code = (value: string | undefined): number => {
      if (value === undefined) return 0
      let c = codes.get(value)
      if (c === undefined) {
        strings.push(value)
        c = strings.length
        codes.set(value, c)
      }
      return c
    }
    const entries = <T>(column: readonly (T | undefined)[]): [number, T][] => {
      const out: [number, T][] = []
      for (let slot = 0; slot < this.capacity; slot++) {
        const value = column[slot]
        if (value !== undefined) out.push([slot, value])
      }
      return out
    }
    const paths = new Uint32Array(this.capacity)
    for (let slot = 0; slot < this.capacity; slot++) paths[slot] = code(this.paths[slot])
    return {
      capacity: this.capacity,
      total: this.total,
      next: this.next,
      at: this.at,
      strings,
      paths,
      sides: this.sides.map((side) => ({
        status: side.status,
        latencyMs: side.latencyMs,
        error: side.error,
        added: entries(side.added),
        missing: entries(side.missing),
      })),
      scores: [...this.scores],
      labels: [...this.labels].map(([field, columns]) => [field, columns.map((c) => Uint32Array.from(c, code))]),
      extraScores: entries(this.extraScores),
    }
  }

  private write(slot: number, side: number, answer: ShadowAnswer | undefined): void {
    const columns = this.sides[side] as SideColumns
    if (answer === undefined) {
      columns.error[slot] = ABSENT
      columns.added[slot] = undefined
      columns.missing[slot] = undefined
      return
    }
    columns.status[slot] = answer.status
    columns.latencyMs[slot] = answer.latencyMs
    columns.error[slot] = errorCode(answer.error)
    columns.added[slot] = answer.addedFields
    columns.missing[slot] = answer.missingFields
    for (const field in answer.scores) {
      const value = answer.scores[field] as number
      const column = this.scoreColumn(field)
      if (column !== undefined) (column[side] as Float64Array)[slot] = value
      else {
        const extra = this.extraScores[slot] ?? SIDES.map(() => ({}))
        this.extraScores[slot] = extra
        ;(extra[side] as Record<string, number>)[field] = value
      }
    }
    for (const field in answer.labels) {
      let column = this.labels.get(field)
      if (column === undefined) {
        column = SIDES.map(() => new Array<string | undefined>(this.capacity))
        this.labels.set(field, column)
      }
      ;(column[side] as (string | undefined)[])[slot] = this.intern(answer.labels[field] as string)
    }
  }

  private scoreColumn(field: string): Float64Array[] | undefined {
    let column = this.scores.get(field)
    if (column === undefined && this.scores.size < MAX_SCORE_COLUMNS) {
      column = SIDES.map(() => new Float64Array(this.capacity).fill(Number.NaN))
      this.scores.set(field, column)
    }
    return column
  }

  private intern(text: string): string {
    const known = this.interned.get(text)
    if (known !== undefined) return known
    if (this.interned.size < MAX_INTERNED) this.interned.set(text, text)
    return text
  }

  private pair(slot: number): ShadowPair {
    // plain object literals and assignments, no spreads: this builds 10,000 pairs per status or verdict
    const pair: { -readonly [K in keyof ShadowPair]: ShadowPair[K] } = {
      at: this.at[slot] as number,
      path: this.paths[slot] as string,
      primary: this.answer(slot, 0) as ShadowAnswer,
      candidate: this.answer(slot, 1) as ShadowAnswer,
    }
    const secondary = this.answer(slot, 2)
    if (secondary !== undefined) pair.secondary = secondary
    return pair
  }

  private answer(slot: number, side: number): ShadowAnswer | undefined {
    const columns = this.sides[side] as SideColumns
    const code = columns.error[slot] as number
    if (code === ABSENT) return undefined
    const scores: Record<string, number> = {}
    for (const [field, column] of this.scores) {
      const value = (column[side] as Float64Array)[slot] as number
      if (!Number.isNaN(value)) scores[field] = value
    }
    const extra = this.extraScores[slot]?.[side]
    if (extra !== undefined) Object.assign(scores, extra)
    const labels: Record<string, string> = {}
    for (const [field, column] of this.labels) {
      const value = (column[side] as (string | undefined)[])[slot]
      if (value !== undefined) labels[field] = value
    }
    const status = columns.status[slot] as number
    const latencyMs = columns.latencyMs[slot] as number
    const error = ERRORS[code]
    // the keys in the order the proxy wrote them (pairs are written out as JSON)
    const answer: { -readonly [K in keyof ShadowAnswer]: ShadowAnswer[K] } =
      error === undefined ? { status, latencyMs, scores, labels } : { status, latencyMs, error, scores, labels }
    const added = columns.added[slot]
    if (added !== undefined) answer.addedFields = added
    const missing = columns.missing[slot]
    if (missing !== undefined) answer.missingFields = missing
    return answer
  }
}
