/** The last `capacity` request ids seen (insertion order; the oldest is forgotten first): de-duplicates redeliveries. */
export class RequestIdSet {
  private readonly ids = new Set<string>()
  /**
   * The ids in insertion order, as a ring: the oldest is found here, not by `ids.values().next()`, which in V8 walks
   * over every deleted entry at the head of the hash table until it is rebuilt — at 100,000 ids, most of the monitor's
   * ingest time once the set was full (bench/RESULTS.md, "Monitor").
   */
  private readonly order: string[] = []
  private head = 0
  constructor(private readonly capacity: number) {}

  /** Adds an id; false when it was already there. */
  add(id: string): boolean {
    if (this.capacity <= 0) return true
    if (this.ids.has(id)) return false
    this.ids.add(id)
    if (this.order.length < this.capacity) this.order.push(id)
    else {
      this.ids.delete(this.order[this.head] as string)
      this.order[this.head] = id
      this.head = (this.head + 1) % this.capacity
    }
    return true
  }

  get size(): number {
    return this.ids.size
  }

  toJSON(): string[] {
    return [...this.order.slice(this.head), ...this.order.slice(0, this.head)]
  }

  static from(ids: readonly string[], capacity: number): RequestIdSet {
    const set = new RequestIdSet(capacity)
    for (const id of ids) set.add(id)
    return set
  }
}
