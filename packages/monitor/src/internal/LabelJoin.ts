import { rocAuc } from '@modelgate/stats'

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

/**
 * The late-label join: inferences with a `prediction.score` wait in a bounded buffer (size and time-to-live, evictions
 * counted) for `{"request_id", "label"}`; joined pairs give the realized ROC AUC of the window in which their labels
 * arrived.
 */
export class LabelJoin {
  private readonly waiting = new Map<string, { score: number; at: number }>()
  /**
   * Arrival order of the inferences (ids and their entries, from `next` on): the oldest is found here, not by
   * `waiting.keys().next()`, which in V8 walks over every deleted entry at the head of the hash table until it is
   * rebuilt — with a full buffer of 100,000, more time than the rest of the monitor's ingest (bench/RESULTS.md).
   */
  private arrivals: string[] = []
  private arrived: { score: number; at: number }[] = []
  private next = 0
  private scores: number[] = []
  private labels: number[] = []
  private joined = 0
  private unmatched = 0
  private evicted = 0

  constructor(
    private readonly capacity: number,
    private readonly ttlMs: number,
    private readonly positive: (label: unknown) => boolean,
  ) {}

  addInference(id: string, score: number, at: number): void {
    if (this.capacity <= 0) return
    const known = this.waiting.get(id)
    if (known !== undefined) {
      // as Map.set: the new score, the old place in line
      known.score = score
      known.at = at
      return
    }
    const entry = { score, at }
    this.waiting.set(id, entry)
    this.arrivals.push(id)
    this.arrived.push(entry)
    while (this.waiting.size > this.capacity) {
      // the oldest still waiting (an entry joined or expired since is passed over)
      const oldest = this.arrivals[this.next] as string
      if (this.waiting.get(oldest) === this.arrived[this.next]) {
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
    this.next = 0
  }

  /** True when the label found its inference. */
  addLabel(id: string, label: unknown): boolean {
    const hit = this.waiting.get(id)
    if (hit === undefined) {
      this.unmatched++
      return false
    }
    this.waiting.delete(id)
    this.scores.push(hit.score)
    this.labels.push(this.positive(label) ? 1 : 0)
    this.joined++
    return true
  }

  /** The figures since the last call; forgets inferences older than the time-to-live (wall clock). */
  take(now: number): LabelFigures {
    for (const [id, w] of this.waiting) {
      if (now - w.at <= this.ttlMs) break // insertion order is arrival order
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
