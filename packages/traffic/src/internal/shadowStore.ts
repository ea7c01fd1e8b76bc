import type { ShadowPair } from '../ShadowPair.js'

/**
 * The pairs the proxy keeps: a ring of the most recent `capacity` pairs. A ring, not a reservoir, because the verdict
 * is about the candidate as it answers now (a reservoir over a long run would keep judging answers of an hour ago
 * with the same weight); the counts of the whole run are kept beside it.
 */
export class ShadowStore {
  private readonly ring: (ShadowPair | undefined)[]
  private next = 0
  /** Pairs ever added (the ring holds the last `capacity`). */
  total = 0

  constructor(readonly capacity: number) {
    this.ring = new Array<ShadowPair | undefined>(capacity)
  }

  add(pair: ShadowPair): void {
    this.ring[this.next] = pair
    this.next = (this.next + 1) % this.capacity
    this.total++
  }

  get size(): number {
    return Math.min(this.total, this.capacity)
  }

  /** The kept pairs, oldest first. */
  pairs(): ShadowPair[] {
    const n = this.size
    const out: ShadowPair[] = new Array(n)
    const start = this.total > this.capacity ? this.next : 0
    for (let i = 0; i < n; i++) out[i] = this.ring[(start + i) % this.capacity] as ShadowPair
    return out
  }

  /** The last `count` pairs, newest first. */
  recent(count: number): ShadowPair[] {
    const n = Math.min(count, this.size)
    const out: ShadowPair[] = []
    for (let i = 1; i <= n; i++) out.push(this.ring[(this.next - i + this.capacity) % this.capacity] as ShadowPair)
    return out
  }
}
