import type { Random } from '@modelgate/core'
import { createRandom, randomFromState } from '@modelgate/core'
import { StatsError } from './errors.js'
import { checkOptionNames, checkPositiveInteger } from './internal/validate.js'

export interface QuantileSketchOptions {
  /** Size parameter k: memory is O(k), normalized rank error roughly 1.7/k. Default 200 (≈ 1% rank error). */
  readonly k?: number
  /** Seed of the generator that picks which half of a compactor survives. Default 1. Same seed + same input = same sketch. */
  readonly seed?: number
}

/** Serialized form of a quantile sketch (JSON-safe). */
export interface QuantileSketchJSON {
  readonly type: 'kll'
  readonly version: 2
  readonly k: number
  readonly count: number
  readonly min: number | null
  readonly max: number | null
  /** State of the generator that picks which half of a compactor survives (core's `Random.state()`). */
  readonly rngState: readonly number[]
  /** levels[h] holds items of weight 2^h. */
  readonly levels: readonly (readonly number[])[]
}

/** A mergeable quantile sketch over a stream of numbers. */
export interface QuantileSketch {
  readonly k: number
  /** Number of values added (including merged sketches). */
  readonly count: number
  /** Exact minimum (NaN when empty). */
  readonly min: number
  /** Exact maximum (NaN when empty). */
  readonly max: number
  /** Number of items retained (memory footprint). */
  readonly retained: number
  add(x: number): QuantileSketch
  addAll(values: ArrayLike<number>): QuantileSketch
  /** Merges `other` into this sketch (other is unchanged). Both must have the same k. */
  merge(other: QuantileSketch): QuantileSketch
  /** Approximate q-quantile, q ∈ [0, 1]: the smallest retained x with weight-rank ≥ q·count. */
  quantile(q: number): number
  quantiles(qs: ArrayLike<number>): Float64Array
  /** Approximate fraction of values ≤ x, or < x with `inclusive: false`. */
  cdf(x: number, options?: { readonly inclusive?: boolean }): number
  toJSON(): QuantileSketchJSON
}

const C = 2 / 3

/**
 * KLL quantile sketch (Z. Karnin, K. Lang, E. Liberty, "Optimal quantile approximation in streams", FOCS 2016):
 * a stack of compactors where level h holds items of weight 2^h and level capacities shrink geometrically by 2/3
 * from the top. A full level is sorted and every other item (random offset, from a seeded generator) is promoted.
 * Rank error is at most ε·n with ε ≈ 1.7/k with high probability; sketches with the same k merge by concatenating
 * levels and compacting, so windows and replicas can be combined and persisted (toJSON / quantileSketchFromJSON).
 */
export function createQuantileSketch(options: QuantileSketchOptions = {}): QuantileSketch {
  checkOptionNames(options, ['k', 'seed'], 'createQuantileSketch')
  const k = checkPositiveInteger(options.k ?? 200, 'k', 'createQuantileSketch', 8)
  const seed = options.seed ?? 1
  if (!Number.isInteger(seed)) {
    throw new StatsError('MG_STATS_BAD_OPTION', `createQuantileSketch: seed must be an integer, got ${String(seed)}.`)
  }
  return new KllSketch(k, createRandom(seed, 'kll'))
}

/**
 * Restores a sketch written by `toJSON()`; throws MG_STATS_BAD_SKETCH when the JSON is not one. Reads version 1 too
 * (its one-word generator state seeds a fresh stream: the compaction coin flips stay fair, not identical).
 */
export function quantileSketchFromJSON(json: unknown): QuantileSketch {
  // Version 1 (before the generator moved to core) stored a one-word state.
  const j = (typeof json === 'string' ? JSON.parse(json) : json) as
    | (Omit<Partial<QuantileSketchJSON>, 'version'> & { version?: number })
    | null
  const bad = (why: string): StatsError =>
    new StatsError('MG_STATS_BAD_SKETCH', `quantileSketchFromJSON: ${why}.`, {
      hint: 'Pass the object produced by sketch.toJSON() (type "kll", version 2).',
    })
  if (j === null || typeof j !== 'object' || j.type !== 'kll') throw bad('not a KLL sketch (type must be "kll")')
  if (j.version !== 1 && j.version !== 2) throw bad(`unsupported version ${String(j.version)}`)
  if (!Number.isInteger(j.k) || (j.k as number) < 8) throw bad(`k must be an integer ≥ 8, got ${String(j.k)}`)
  if (!Array.isArray(j.levels)) throw bad('levels must be an array of arrays')
  const state: unknown = j.rngState
  let rng: Random
  if (j.version === 1) {
    if (!Number.isInteger(state)) throw bad('rngState must be an integer')
    rng = createRandom(state as number, 'kll')
  } else {
    const words =
      Array.isArray(state) && state.length === 4 && state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)
    if (!words) throw bad('rngState must be four 32-bit unsigned integers')
    rng = randomFromState(state as number[])
  }
  const sketch = new KllSketch(j.k as number, rng)
  let weight = 0
  j.levels.forEach((level, h) => {
    if (!Array.isArray(level) || level.some((v) => typeof v !== 'number' || !Number.isFinite(v))) {
      throw bad(`level ${h} must be an array of finite numbers`)
    }
    sketch.setLevel(h, level)
    weight += level.length * 2 ** h
  })
  if (j.count !== weight) throw bad(`count ${String(j.count)} does not match the retained weight ${weight}`)
  if (weight > 0) {
    if (typeof j.min !== 'number' || typeof j.max !== 'number') throw bad('min and max must be numbers')
    sketch.setExtremes(weight, j.min, j.max)
  }
  return sketch
}

class KllSketch implements QuantileSketch {
  readonly k: number
  private levels: Float64Array[] = [new Float64Array(16)]
  private sizes: number[] = [0]
  private total = 0
  private n = 0
  private lo = Number.POSITIVE_INFINITY
  private hi = Number.NEGATIVE_INFINITY
  private maxSize = 0
  private readonly rng: Random
  private view: SortedItems | undefined

  constructor(k: number, rng: Random) {
    this.k = k
    this.rng = rng
    this.maxSize = this.computeMaxSize()
  }

  get count(): number {
    return this.n
  }
  get min(): number {
    return this.n === 0 ? Number.NaN : this.lo
  }
  get max(): number {
    return this.n === 0 ? Number.NaN : this.hi
  }
  get retained(): number {
    return this.total
  }

  add(x: number): QuantileSketch {
    if (!Number.isFinite(x)) {
      throw new StatsError('MG_STATS_NOT_FINITE', `QuantileSketch.add: got ${String(x)}; expected a finite number.`)
    }
    this.push(0, x)
    this.n++
    if (x < this.lo) this.lo = x
    if (x > this.hi) this.hi = x
    if (this.total >= this.maxSize) this.compress()
    this.view = undefined
    return this
  }

  addAll(values: ArrayLike<number>): QuantileSketch {
    for (let i = 0; i < values.length; i++) {
      const x = values[i] as number
      if (!Number.isFinite(x)) {
        throw new StatsError(
          'MG_STATS_NOT_FINITE',
          `QuantileSketch.addAll: value at index ${i.toLocaleString('en-US')} is ${String(x)}; expected a finite number.`,
        )
      }
      this.push(0, x)
      if (x < this.lo) this.lo = x
      if (x > this.hi) this.hi = x
      this.n++
      if (this.total >= this.maxSize) this.compress()
    }
    this.view = undefined
    return this
  }

  merge(other: QuantileSketch): QuantileSketch {
    if (!(other instanceof KllSketch)) {
      throw new StatsError(
        'MG_STATS_BAD_SKETCH',
        'QuantileSketch.merge: expected a sketch made by createQuantileSketch().',
      )
    }
    if (other.k !== this.k) {
      throw new StatsError(
        'MG_STATS_BAD_SKETCH',
        `QuantileSketch.merge: cannot merge a sketch with k = ${other.k} into one with k = ${this.k}.`,
        { hint: 'Create all sketches that will be merged with the same k.' },
      )
    }
    if (other === this) return this.merge(quantileSketchFromJSON(this.toJSON()))
    while (this.levels.length < other.levels.length) this.grow()
    for (let h = 0; h < other.levels.length; h++) {
      const src = other.levels[h] as Float64Array
      const m = other.sizes[h] as number
      for (let i = 0; i < m; i++) this.push(h, src[i] as number)
    }
    this.n += other.n
    if (other.n > 0) {
      this.lo = Math.min(this.lo, other.lo)
      this.hi = Math.max(this.hi, other.hi)
    }
    while (this.total >= this.maxSize) this.compress()
    this.view = undefined
    return this
  }

  quantile(q: number): number {
    if (!(q >= 0 && q <= 1)) {
      throw new StatsError('MG_STATS_BAD_OPTION', `QuantileSketch.quantile: q must be within [0, 1], got ${String(q)}.`)
    }
    if (this.n === 0) return Number.NaN
    if (q === 0) return this.lo
    if (q === 1) return this.hi
    const { values, cum } = this.sortedView()
    const target = q * this.n
    let l = 0
    let h = values.length - 1
    while (l < h) {
      const mid = (l + h) >>> 1
      if ((cum[mid] as number) >= target) h = mid
      else l = mid + 1
    }
    return values[l] as number
  }

  quantiles(qs: ArrayLike<number>): Float64Array {
    const out = new Float64Array(qs.length)
    for (let i = 0; i < qs.length; i++) out[i] = this.quantile(qs[i] as number)
    return out
  }

  cdf(x: number, options: { readonly inclusive?: boolean } = {}): number {
    if (this.n === 0) return Number.NaN
    const inclusive = options.inclusive ?? true
    const { values, cum } = this.sortedView()
    let l = 0
    let h = values.length
    while (l < h) {
      const mid = (l + h) >>> 1
      const v = values[mid] as number
      if (v < x || (inclusive && v === x)) l = mid + 1
      else h = mid
    }
    return l === 0 ? 0 : (cum[l - 1] as number) / this.n
  }

  toJSON(): QuantileSketchJSON {
    return {
      type: 'kll',
      version: 2,
      k: this.k,
      count: this.n,
      min: this.n === 0 ? null : this.lo,
      max: this.n === 0 ? null : this.hi,
      rngState: this.rng.state(),
      levels: this.levels.map((level, h) => Array.from(level.subarray(0, this.sizes[h] as number))),
    }
  }

  /** @internal used by quantileSketchFromJSON */
  setLevel(h: number, values: readonly number[]): void {
    while (this.levels.length <= h) this.grow()
    for (const v of values) this.push(h, v)
  }

  /** @internal used by quantileSketchFromJSON */
  setExtremes(n: number, lo: number, hi: number): void {
    this.n = n
    this.lo = lo
    this.hi = hi
  }

  private capacity(h: number): number {
    const depth = this.levels.length - h - 1
    return Math.max(2, Math.ceil(this.k * C ** depth) + 1)
  }

  private computeMaxSize(): number {
    let s = 0
    for (let h = 0; h < this.levels.length; h++) s += this.capacity(h)
    return s
  }

  private grow(): void {
    this.levels.push(new Float64Array(16))
    this.sizes.push(0)
    this.maxSize = this.computeMaxSize()
  }

  private push(h: number, x: number): void {
    let level = this.levels[h] as Float64Array
    const size = this.sizes[h] as number
    if (size === level.length) {
      const bigger = new Float64Array(level.length * 2)
      bigger.set(level)
      this.levels[h] = bigger
      level = bigger
    }
    level[size] = x
    this.sizes[h] = size + 1
    this.total++
  }

  /** Compacts the lowest level that is over capacity, repeating until the sketch fits. */
  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      if ((this.sizes[h] as number) >= this.capacity(h)) {
        if (h + 1 >= this.levels.length) this.grow()
        this.compact(h)
        if (this.total < this.maxSize) break
      }
    }
  }

  private compact(h: number): void {
    const size = this.sizes[h] as number
    const level = (this.levels[h] as Float64Array).subarray(0, size)
    level.sort()
    const offset = this.rng.nextUint32() & 1
    // with an odd count the smallest item stays behind at this level; of each following pair, one survives
    const pairs = size >> 1
    const keep = size - 2 * pairs
    for (let i = 0; i < pairs; i++) this.push(h + 1, level[keep + 2 * i + offset] as number)
    this.sizes[h] = keep
    this.total -= 2 * pairs
  }

  /** @internal the retained items in ascending order with their cumulative weights (see {@link sortedSketchItems}). */
  sortedView(): SortedItems {
    if (this.view !== undefined) return this.view
    // Each level sorted on its own (a copy: a typed array's native numeric sort, no comparator call per step), then
    // the few levels (weight 2^h each) merged in one walk that carries the cumulative weight.
    const runs: Float64Array[] = []
    const weights: number[] = []
    for (let h = 0; h < this.levels.length; h++) {
      const size = this.sizes[h] as number
      if (size === 0) continue
      runs.push((this.levels[h] as Float64Array).slice(0, size).sort())
      weights.push(2 ** h)
    }
    const m = this.total
    const values = new Float64Array(m)
    const cum = new Float64Array(m)
    const heads = new Array<number>(runs.length).fill(0)
    let acc = 0
    for (let i = 0; i < m; i++) {
      let best = -1
      let bestValue = Number.POSITIVE_INFINITY
      for (let r = 0; r < runs.length; r++) {
        const run = runs[r] as Float64Array
        const at = heads[r] as number
        if (at < run.length && (best < 0 || (run[at] as number) < bestValue)) {
          best = r
          bestValue = run[at] as number
        }
      }
      heads[best] = (heads[best] as number) + 1
      values[i] = bestValue
      acc += weights[best] as number
      cum[i] = acc
    }
    this.view = { values, cum }
    return this.view
  }
}

/** A sketch's retained items in ascending order and the cumulative weight up to and including each. */
interface SortedItems {
  readonly values: Float64Array
  readonly cum: Float64Array
}

/**
 * The sorted view behind `cdf` and `quantile` (built once per sketch state and cached), for walks over a whole sketch
 * such as the KS statistic: O(m) instead of a binary search per item.
 */
export function sortedSketchItems(sketch: QuantileSketch): SortedItems {
  if (!(sketch instanceof KllSketch)) {
    throw new StatsError('MG_STATS_BAD_SKETCH', 'expected a sketch made by createQuantileSketch().')
  }
  return sketch.sortedView()
}
