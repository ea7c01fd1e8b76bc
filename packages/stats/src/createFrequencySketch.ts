import { StatsError } from './errors.js'

/** Serialized form of a frequency sketch (JSON-safe). */
export interface FrequencySketchJSON {
  readonly type: 'frequency'
  readonly version: 1
  /** [category, count] pairs, most frequent first. */
  readonly counts: ReadonlyArray<readonly [string, number]>
}

export interface CategoryCount {
  readonly key: string
  readonly count: number
}

/** Exact, mergeable category counts for categorical streams. */
export interface FrequencySketch {
  /** Total of all counts. */
  readonly total: number
  /** Number of distinct categories. */
  readonly distinct: number
  add(key: string | number, count?: number): FrequencySketch
  addAll(keys: Iterable<string | number>): FrequencySketch
  merge(other: FrequencySketch): FrequencySketch
  count(key: string | number): number
  /** The k most frequent categories, ties broken by key so the order is stable. */
  topK(k: number): CategoryCount[]
  /** Counts as a Map, usable with psiCategorical / chiSquareTest / jensenShannon. */
  toMap(): Map<string, number>
  /**
   * A copy in which every category seen fewer than `minCount` times (default 5) is folded into one `otherKey`
   * bucket (default `(other)`), so rare values — possibly identifying — never reach a persisted sketch or report.
   */
  withoutRare(minCount?: number, otherKey?: string): FrequencySketch
  toJSON(): FrequencySketchJSON
}

/** Creates an empty frequency sketch (exact counts; keys are compared as strings). */
export function createFrequencySketch(): FrequencySketch {
  return new ExactFrequencies()
}

/** Restores a sketch written by `toJSON()`; throws MG_STATS_BAD_SKETCH when the JSON is not one. */
export function frequencySketchFromJSON(json: unknown): FrequencySketch {
  const j = (typeof json === 'string' ? JSON.parse(json) : json) as Partial<FrequencySketchJSON> | null
  if (j === null || typeof j !== 'object' || j.type !== 'frequency' || j.version !== 1 || !Array.isArray(j.counts)) {
    throw new StatsError(
      'MG_STATS_BAD_SKETCH',
      'frequencySketchFromJSON: not a frequency sketch (type "frequency", version 1).',
    )
  }
  const sketch = new ExactFrequencies()
  for (const entry of j.counts) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !(Number.isFinite(entry[1]) && entry[1] >= 0)) {
      throw new StatsError(
        'MG_STATS_BAD_SKETCH',
        `frequencySketchFromJSON: entry ${JSON.stringify(entry)} is not a [category, count ≥ 0] pair.`,
      )
    }
    sketch.add(entry[0], entry[1])
  }
  return sketch
}

class ExactFrequencies implements FrequencySketch {
  private readonly counts = new Map<string, number>()
  private sum = 0

  get total(): number {
    return this.sum
  }
  get distinct(): number {
    return this.counts.size
  }

  add(key: string | number, count = 1): FrequencySketch {
    if (!(Number.isFinite(count) && count >= 0)) {
      throw new StatsError(
        'MG_STATS_BAD_COUNTS',
        `FrequencySketch.add: count must be a finite number ≥ 0, got ${String(count)}.`,
      )
    }
    const k = String(key)
    this.counts.set(k, (this.counts.get(k) ?? 0) + count)
    this.sum += count
    return this
  }

  addAll(keys: Iterable<string | number>): FrequencySketch {
    for (const key of keys) {
      const k = String(key)
      this.counts.set(k, (this.counts.get(k) ?? 0) + 1)
      this.sum++
    }
    return this
  }

  merge(other: FrequencySketch): FrequencySketch {
    for (const [k, c] of other.toMap()) this.add(k, c)
    return this
  }

  count(key: string | number): number {
    return this.counts.get(String(key)) ?? 0
  }

  topK(k: number): CategoryCount[] {
    return this.sorted()
      .slice(0, Math.max(0, k))
      .map(([key, count]) => ({ key, count }))
  }

  toMap(): Map<string, number> {
    return new Map(this.counts)
  }

  withoutRare(minCount = 5, otherKey = '(other)'): FrequencySketch {
    const out = new ExactFrequencies()
    let other = 0
    for (const [k, c] of this.counts) {
      if (c >= minCount) out.add(k, c)
      else other += c
    }
    if (other > 0) out.add(otherKey, other)
    return out
  }

  toJSON(): FrequencySketchJSON {
    return { type: 'frequency', version: 1, counts: this.sorted() }
  }

  private sorted(): Array<[string, number]> {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  }
}
