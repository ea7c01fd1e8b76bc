import { rocAuc } from '@modelgate/stats'
import { MonitorError } from '../errors.js'

export interface LabelFigures {
  /** Labels matched to an inference still in the buffer. */
  readonly joined: number
  /** Labels whose inference is not (or no longer) in the buffer. */
  readonly unmatched: number
  /** Inferences dropped from the buffer (full, or older than the time-to-live) before their label came. */
  readonly evicted: number
  /** ROC AUC of the scores against the labels joined since the last window; null with fewer than 30 or one class. */
  readonly realizedRocAuc: number | null
}

/** Joined (score, 0/1 label) pairs. */
export interface LabelledScores {
  readonly scores: number[]
  readonly labels: number[]
}

/** The join's state in a checkpoint. */
export interface LabelJoinJSON {
  /**
   * The inferences waiting, oldest first, by column (a full buffer is 100,000 of them, written every second): request
   * ids, scores as little-endian float64 in base64 (exact), arrival (wall clock) and window unit as differences from
   * the previous entry (mostly 0).
   */
  readonly waiting: {
    readonly ids: string[]
    readonly scores: string
    readonly at: number[]
    readonly units: number[]
  }
  /** Pairs joined since the last `take`, and since the last `takeByUnit` by the unit of their inference. */
  readonly scores: number[]
  readonly labels: number[]
  readonly byUnit: [unit: number, scores: number[], labels: number[]][]
  readonly joined: number
  readonly unmatched: number
  readonly evicted: number
}

/**
 * The late-label join: inferences with a `prediction.score` wait in a bounded buffer (size and time-to-live, evictions
 * counted) for `{"request_id", "label"}`; joined pairs give the realized ROC AUC of the window in which their labels
 * arrived, and, by the window unit the inference belonged to, the realized figure of that window.
 */
/** An inference waiting for its label; `live` false once it left the buffer (joined, evicted, expired). */
interface Waiting {
  score: number
  at: number
  unit: number
  live: boolean
  /** Its place in the arrival line (until the line is compacted). */
  index: number
}

/** Arrivals per encoded chunk of the arrival line (a checkpoint re-encodes only the chunks that changed). */
const CHUNK = 4096

/** The live entries of one full chunk of the arrival line, encoded for a checkpoint. */
interface EncodedChunk {
  readonly ids: string[]
  readonly scores: Float64Array
  /** Arrival and window unit: the first absolute, the rest differences from the previous entry. */
  readonly at: number[]
  readonly units: number[]
  readonly lastAt: number
  readonly lastUnit: number
}

export class LabelJoin {
  private readonly waiting = new Map<string, Waiting>()
  /**
   * Arrival order of the inferences (ids and their entries, from `next` on): the oldest is found here, not by
   * `waiting.keys().next()`, which in V8 walks over every deleted entry at the head of the hash table until it is
   * rebuilt — with a full buffer of 100,000, more time than the rest of the monitor's ingest (bench/RESULTS.md).
   */
  private arrivals: string[] = []
  private arrived: Waiting[] = []
  private next = 0
  /**
   * Full chunks of the arrival line as the last checkpoint encoded them, by chunk number; a chunk is dropped here when
   * one of its entries leaves the buffer or is updated, so that each checkpoint encodes only what changed — at 50,000
   * inferences/s into a buffer of 100,000, the label join's encoding was the largest part of a checkpoint.
   */
  private encoded = new Map<number, EncodedChunk>()
  private scores: number[] = []
  private labels: number[] = []
  private byUnit = new Map<number, LabelledScores>()
  private joined = 0
  private unmatched = 0
  private evicted = 0

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly positive: (label: unknown) => boolean,
  ) {}

  /** An inference waiting for its label: `at` is the wall clock, `unit` the start of its (tumbling) window unit. */
  addInference(id: string, score: number, at: number, unit: number): void {
    if (this.capacity <= 0) return
    const known = this.waiting.get(id)
    if (known !== undefined) {
      // as Map.set: the new score, the old place in line
      known.score = score
      known.at = at
      known.unit = unit
      this.changed(known)
      return
    }
    const entry: Waiting = { score, at, unit, live: true, index: this.arrivals.length }
    this.waiting.set(id, entry)
    this.arrivals.push(id)
    this.arrived.push(entry)
    while (this.waiting.size > this.capacity) {
      // the oldest still waiting (an entry joined or expired since is passed over)
      const oldest = this.arrivals[this.next] as string
      const entry = this.arrived[this.next] as Waiting
      if (entry.live) {
        entry.live = false
        this.changed(entry)
        this.waiting.delete(oldest)
        this.evicted++
      }
      this.next++
    }
    if (this.next >= 1024 && 2 * this.next >= this.arrivals.length) this.compactArrivals()
    else if (this.arrivals.length > 2 * this.capacity + 1024) this.compactArrivals()
  }

  /** Drops the passed part of the arrival line and the entries no longer waiting (joined, expired). */
  private compactArrivals(): void {
    this.arrivals = [...this.waiting.keys()]
    this.arrived = [...this.waiting.values()]
    for (let i = 0; i < this.arrived.length; i++) (this.arrived[i] as Waiting).index = i
    this.next = 0
    this.encoded.clear()
  }

  /** An entry left the buffer or was updated: its chunk is encoded again at the next checkpoint. */
  private changed(entry: Waiting): void {
    this.encoded.delete(Math.floor(entry.index / CHUNK))
  }

  /** True when the label found its inference. */
  addLabel(id: string, label: unknown): boolean {
    const hit = this.waiting.get(id)
    if (hit === undefined) {
      this.unmatched++
      return false
    }
    hit.live = false
    this.changed(hit)
    this.waiting.delete(id)
    const y = this.positive(label) ? 1 : 0
    this.scores.push(hit.score)
    this.labels.push(y)
    let unit = this.byUnit.get(hit.unit)
    if (unit === undefined) {
      unit = { scores: [], labels: [] }
      this.byUnit.set(hit.unit, unit)
    }
    unit.scores.push(hit.score)
    unit.labels.push(y)
    this.joined++
    return true
  }

  /** The pairs joined since the last call, by the window unit of their inference. */
  takeByUnit(): Map<number, LabelledScores> {
    const out = this.byUnit
    this.byUnit = new Map()
    return out
  }

  /** The buffer and the pairs not yet taken (for a checkpoint). */
  toJSON(): LabelJoinJSON {
    return {
      waiting: this.encodeWaiting(),
      scores: [...this.scores],
      labels: [...this.labels],
      byUnit: [...this.byUnit].map(([unit, p]) => [unit, [...p.scores], [...p.labels]]),
      joined: this.joined,
      unmatched: this.unmatched,
      evicted: this.evicted,
    }
  }

  /**
   * The waiting inferences by column, from the arrival line in chunks (no hash-table walk): a full chunk is encoded
   * once and reused until one of its entries changes; the chunks are then joined.
   */
  private encodeWaiting(): LabelJoinJSON['waiting'] {
    const parts: EncodedChunk[] = []
    const end = this.arrived.length
    for (let k = Math.floor(this.next / CHUNK); k * CHUNK < end; k++) {
      const full = (k + 1) * CHUNK <= end
      let chunk = full ? this.encoded.get(k) : undefined
      if (chunk === undefined) {
        // (the arrivals before `next` have all left the buffer)
        chunk = this.encodeChunk(Math.max(k * CHUNK, this.next), Math.min((k + 1) * CHUNK, end))
        if (full) this.encoded.set(k, chunk)
      }
      if (chunk.ids.length > 0) parts.push(chunk)
    }
    const size = parts.reduce((n, c) => n + c.ids.length, 0)
    const ids: string[] = ([] as string[]).concat(...parts.map((c) => c.ids))
    const at: number[] = ([] as number[]).concat(...parts.map((c) => c.at))
    const units: number[] = ([] as number[]).concat(...parts.map((c) => c.units))
    const scores = new Float64Array(size)
    let offset = 0
    let lastAt = 0
    let lastUnit = 0
    for (const c of parts) {
      scores.set(c.scores, offset)
      // each chunk's first entry: a difference from the previous chunk's last
      at[offset] = (c.at[0] as number) - lastAt
      units[offset] = (c.units[0] as number) - lastUnit
      lastAt = c.lastAt
      lastUnit = c.lastUnit
      offset += c.ids.length
    }
    return {
      ids,
      scores: Buffer.from(scores.buffer, scores.byteOffset, scores.byteLength).toString('base64'),
      at,
      units,
    }
  }

  /** The live entries of arrivals [from, to). */
  private encodeChunk(from: number, to: number): EncodedChunk {
    const ids: string[] = []
    const values: number[] = []
    const at: number[] = []
    const units: number[] = []
    let a = 0
    let u = 0
    for (let i = from; i < to; i++) {
      const w = this.arrived[i] as Waiting
      if (!w.live) continue
      values.push(w.score)
      ids.push(this.arrivals[i] as string)
      at.push(w.at - a)
      units.push(w.unit - u)
      a = w.at
      u = w.unit
    }
    return { ids, scores: Float64Array.from(values), at, units, lastAt: a, lastUnit: u }
  }

  /** Resumes from `toJSON()` (the oldest inferences beyond this buffer's capacity are dropped and counted). */
  restore(json: LabelJoinJSON): void {
    const { ids, scores, at, units } = json.waiting
    const score = new Float64Array(Uint8Array.from(Buffer.from(scores, 'base64')).buffer)
    if (score.length !== ids.length || at.length !== ids.length || units.length !== ids.length) {
      throw new MonitorError(
        'MG_MONITOR_STATE_INVALID',
        'The label buffer in the checkpoint has columns of different lengths.',
      )
    }
    let a = 0
    let u = 0
    for (let i = 0; i < ids.length; i++) {
      a += at[i] as number
      u += units[i] as number
      this.addInference(ids[i] as string, score[i] as number, a, u)
    }
    this.scores.push(...json.scores)
    this.labels.push(...json.labels)
    for (const [unit, scores, labels] of json.byUnit) this.byUnit.set(unit, { scores, labels })
    this.joined += json.joined
    this.unmatched += json.unmatched
    this.evicted += json.evicted
  }

  /** The figures since the last call; forgets inferences older than the time-to-live (wall clock). */
  take(now: number): LabelFigures {
    for (const [id, w] of this.waiting) {
      if (now - w.at <= this.ttlMs) break // insertion order is arrival order
      w.live = false
      this.changed(w)
      this.waiting.delete(id)
      this.evicted++
    }
    const positives = this.labels.reduce((a, b) => a + b, 0)
    const realized =
      this.labels.length >= 30 && positives > 0 && positives < this.labels.length
        ? rocAuc(this.scores, this.labels)
        : null
    const out = { joined: this.joined, unmatched: this.unmatched, evicted: this.evicted, realizedRocAuc: realized }
    this.scores = []
    this.labels = []
    this.joined = 0
    this.unmatched = 0
    this.evicted = 0
    return out
  }
}
