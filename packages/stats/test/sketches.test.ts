import {
  createFrequencySketch,
  createLatencyHistogram,
  createQuantileSketch,
  decodeLatencyHistogram,
  frequencySketchFromJSON,
  psiCategorical,
  quantileSketchFromJSON,
} from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lcg } from './lcg.js'

/** Exact rank range of x in sorted data: [#(< x), #(≤ x)]. */
function rankRange(sorted: Float64Array, x: number): [number, number] {
  let lo = 0
  let hi = 0
  for (const v of sorted) {
    if (v < x) lo++
    if (v <= x) hi++
  }
  return [lo, hi]
}

function rankError(sorted: Float64Array, x: number, q: number): number {
  const [lo, hi] = rankRange(sorted, x)
  const target = q * sorted.length
  return target < lo ? lo - target : target > hi ? target - hi : 0
}

describe('createQuantileSketch (KLL)', () => {
  it('is exact while everything fits in the first compactor', () => {
    const s = createQuantileSketch({ k: 200 }).addAll([5, 1, 4, 2, 3])
    expect(s.quantile(0)).toBe(1)
    expect(s.quantile(0.5)).toBe(3)
    expect(s.quantile(1)).toBe(5)
    expect(s.cdf(2.5)).toBe(0.4)
    expect([s.count, s.min, s.max]).toEqual([5, 1, 5])
  })

  it('keeps rank error within 2/k·n on a million values while retaining O(k) items', () => {
    const rnd = lcg(7)
    const n = 1_000_000
    const data = new Float64Array(n)
    for (let i = 0; i < n; i++) data[i] = -Math.log(1 - rnd()) // exponential
    const s = createQuantileSketch({ k: 200, seed: 3 }).addAll(data)
    expect(s.retained).toBeLessThan(1000)
    const sorted = Float64Array.from(data).sort()
    for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999]) {
      expect(rankError(sorted, s.quantile(q), q)).toBeLessThanOrEqual((2 / 200) * n)
    }
  })

  it('merge(a, b) answers quantiles of a ∪ b within the KLL bound', () => {
    const k = 64
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom('uniform', 'exponential', 'ties'),
        (na, nb, seed, shape) => {
          const rnd = lcg(seed)
          const draw = (): number =>
            shape === 'uniform' ? rnd() : shape === 'exponential' ? -Math.log(1 - rnd()) : Math.floor(rnd() * 7)
          const a = Array.from({ length: na }, draw)
          const b = Array.from({ length: nb }, () => draw() + 0.3)
          const merged = createQuantileSketch({ k, seed })
            .addAll(a)
            .merge(createQuantileSketch({ k, seed: seed + 1 }).addAll(b))
          const union = Float64Array.from([...a, ...b]).sort()
          expect(merged.count).toBe(union.length)
          expect(merged.min).toBe(union[0])
          expect(merged.max).toBe(union[union.length - 1])
          for (const q of [0.05, 0.25, 0.5, 0.75, 0.95]) {
            // ε = 4/k: well above KLL's typical 1.7/k, so this fails only when merging is wrong
            expect(rankError(union, merged.quantile(q), q)).toBeLessThanOrEqual((4 / k) * union.length)
          }
        },
      ),
      { numRuns: 40 },
    )
  })

  it('is deterministic for a seed and survives a JSON round trip', () => {
    const data = Array.from({ length: 50_000 }, (_, i) => Math.sin(i) * 100)
    const a = createQuantileSketch({ seed: 42 }).addAll(data)
    const b = createQuantileSketch({ seed: 42 }).addAll(data)
    expect(a.toJSON()).toEqual(b.toJSON())
    const restored = quantileSketchFromJSON(JSON.parse(JSON.stringify(a)))
    expect(restored.quantiles([0.1, 0.5, 0.9])).toEqual(a.quantiles([0.1, 0.5, 0.9]))
    // the generator state travels too: both continue identically
    a.addAll(data)
    restored.addAll(data)
    expect(restored.toJSON()).toEqual(a.toJSON())
  })

  it('rejects bad values, bad JSON and sketches of another size', () => {
    const s = createQuantileSketch()
    expect(() => s.add(Number.NaN)).toThrow(expect.objectContaining({ code: 'MG_STATS_NOT_FINITE' }))
    expect(() => s.merge(createQuantileSketch({ k: 100 }))).toThrow(/k = 100/)
    expect(() => quantileSketchFromJSON({ type: 'tdigest' })).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_SKETCH' }),
    )
    expect(() => quantileSketchFromJSON({ ...s.add(1).toJSON(), count: 5 })).toThrow(/count 5 does not match/)
    expect(createQuantileSketch().quantile(0.5)).toBeNaN()
    expect(() => quantileSketchFromJSON({ ...s.toJSON(), rngState: [1, 2, 3] })).toThrow(/four 32-bit/)
  })

  it('reads a version-1 sketch, whose generator state was one integer', () => {
    const current = createQuantileSketch({ seed: 7 }).addAll(Array.from({ length: 5_000 }, (_, i) => i))
    const v1 = { ...current.toJSON(), version: 1, rngState: 123_456_789 }
    const restored = quantileSketchFromJSON(v1)
    expect(restored.quantiles([0.1, 0.5, 0.9])).toEqual(current.quantiles([0.1, 0.5, 0.9]))
    restored.addAll(Array.from({ length: 5_000 }, (_, i) => 5_000 + i))
    expect(restored.count).toBe(10_000)
    expect(Math.abs(restored.quantile(0.5) - 5_000)).toBeLessThan(150)
  })
})

describe('createFrequencySketch', () => {
  it('counts exactly, merges, ranks the top categories and round-trips through JSON', () => {
    const a = createFrequencySketch().addAll(['web', 'ios', 'web', 'android', 'web'])
    const b = createFrequencySketch().addAll(['ios', 'ios', 'tv']).add('web', 2)
    a.merge(b)
    expect(a.total).toBe(10)
    expect(a.distinct).toBe(4)
    expect(a.topK(2)).toEqual([
      { key: 'web', count: 5 },
      { key: 'ios', count: 3 },
    ])
    expect(frequencySketchFromJSON(JSON.stringify(a)).toMap()).toEqual(a.toMap())
    expect(psiCategorical(a.toMap(), a.toMap()).statistic).toBe(0)
  })

  it('folds rare categories away before a sketch is persisted', () => {
    const s = createFrequencySketch().addAll(['web', 'web', 'web', 'web', 'web', 'ios', 'ios', 'ios', 'ios', 'ios'])
    s.add('alice@example.com', 1).add('bob@example.com', 2)
    const bytes = JSON.stringify(s.withoutRare(5))
    expect(bytes).not.toContain('example.com')
    expect(s.withoutRare(5).toMap()).toEqual(
      new Map([
        ['web', 5],
        ['ios', 5],
        ['(other)', 3],
      ]),
    )
    expect(s.withoutRare(5).total).toBe(s.total)
  })

  it('rejects malformed JSON', () => {
    expect(() => frequencySketchFromJSON({ type: 'frequency', version: 1, counts: [['a', -1]] })).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_SKETCH' }),
    )
  })
})

describe('createLatencyHistogram (HdrHistogram)', () => {
  it('reports percentiles within 0.1% and merges windows', () => {
    const h = createLatencyHistogram({ unit: 'ms' })
    for (let i = 1; i <= 10_000; i++) h.record(i / 10) // 0.1 … 1000 ms
    const s = h.summary()
    expect(s.count).toBe(10_000)
    expect(s.p50).toBeCloseTo(500, -1)
    expect(Math.abs(s.p99 - 990) / 990).toBeLessThan(1e-3)
    expect(Math.abs(s.p999 - 999) / 999).toBeLessThan(1e-3)
    const other = createLatencyHistogram().record(5000)
    h.merge(other)
    expect(h.count).toBe(10_001)
    expect(Math.abs(h.summary().max - 5000) / 5000).toBeLessThan(1e-3)
  })

  it('keeps p50 and p99 within 0.1% for latencies from 0.05 ms to 60 s, and sub-microsecond values', () => {
    const rnd = lcg(11)
    const n = 200_000
    const values = Float64Array.from({ length: n }, () => 0.05 * (60_000 / 0.05) ** rnd()) // log-uniform, ms
    const h = createLatencyHistogram({ unit: 'ms' }).recordAll(values)
    const sorted = Float64Array.from(values).sort()
    for (const p of [50, 99]) {
      const exact = sorted[Math.ceil((p / 100) * n) - 1] as number
      expect(Math.abs(h.percentile(p) - exact) / exact).toBeLessThan(1e-3)
    }
    for (const lo of [0.05, 0.0005]) {
      const small = createLatencyHistogram().recordAll([lo, lo, lo * 1.3])
      expect(Math.abs(small.percentile(50) - lo) / lo).toBeLessThan(1e-3)
    }
    const us = createLatencyHistogram({ unit: 'us' }).record(0.7)
    expect(Math.abs(us.percentile(50) - 0.7) / 0.7).toBeLessThan(1e-2)
  })

  it('encodes to the standard compressed base64 and decodes back', () => {
    const h = createLatencyHistogram({ unit: 'us' }).recordAll([120, 130, 125, 900, 15_000])
    const back = decodeLatencyHistogram(h.encode(), 'us')
    expect(back.summary()).toEqual(h.summary())
    expect(decodeLatencyHistogram(JSON.parse(JSON.stringify(h))).summary()).toEqual(h.summary())
  })

  it('rejects negative latencies and garbage encodings', () => {
    expect(() => createLatencyHistogram().record(-1)).toThrow(expect.objectContaining({ code: 'MG_STATS_NOT_FINITE' }))
    expect(() => decodeLatencyHistogram('not base64 at all')).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_SKETCH' }),
    )
  })
})
