/** The last `capacity` request ids seen (insertion order; the oldest is forgotten first): de-duplicates redeliveries. */
export class RequestIdSet {
  private readonly ids = new Set<string>()
  constructor(private readonly capacity: number) {}

  /** Adds an id; false when it was already there. */
  add(id: string): boolean {
    if (this.capacity <= 0) return true
    if (this.ids.has(id)) return false
    this.ids.add(id)
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value
      if (oldest !== undefined) this.ids.delete(oldest)
    }
    return true
  }

  get size(): number {
    return this.ids.size
  }

  toJSON(): string[] {
    return [...this.ids]
  }

  static from(ids: readonly string[], capacity: number): RequestIdSet {
    const set = new RequestIdSet(capacity)
    for (const id of ids) set.add(id)
    return set
  }
}
