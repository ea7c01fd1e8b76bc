import {
  createQuantileSketch,
  ksTest,
  ksTestFromSketches,
  psi,
  psiBreakdown,
  psiFromCounts,
  psiFromSketches,
  quantileSketchRankError,
} from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { ref2 } from './fixtures.js'
import { normals } from './lcg.js'

describe('comparing sketches (streams without raw data)', () => {
  const reference = normals(200_000, 0, 1)
  const same = normals(150_000, 0, 2)
  const shifted = normals(150_000, 0.3, 3)
  const sketch = (x: Float64Array, seed: number) => createQuantileSketch({ k: 200, seed }).addAll(x)

  it('ksTestFromSketches is within the sketches’ rank error of the exact D', () => {
    for (const other of [same, shifted]) {
      const exact = ksTest(reference, other)
      const approx = ksTestFromSketches(sketch(reference, 1), sketch(other, 2))
      expect(Math.abs(approx.statistic - exact.statistic)).toBeLessThanOrEqual(2 * (2 / 200))
      expect(approx.details).toMatchObject({ n1: 200_000, n2: 150_000, approximate: 'kll' })
    }
    expect(ksTestFromSketches(sketch(reference, 1), sketch(shifted, 2)).passed).toBe(false)
  })

  it('ksTestFromSketches gives exactly the D of reading both sides of every retained item through cdf', () => {
    // The definition, item by item (the walk over the sorted views must not drift from it by a single ulp).
    const byCdf = (a: ReturnType<typeof sketch>, b: ReturnType<typeof sketch>) => {
      let d = 0
      for (const s of [a, b]) {
        for (const level of s.toJSON().levels) {
          for (const x of level) {
            const strict = { inclusive: false }
            d = Math.max(d, Math.abs(a.cdf(x) - b.cdf(x)), Math.abs(a.cdf(x, strict) - b.cdf(x, strict)))
          }
        }
      }
      return d
    }
    // compacted sketches of continuous data, tie-heavy data (rounded, both sketches sharing values), one never
    // compacted, and merged sketches (several levels of several weights)
    const ties = (x: Float64Array) => x.map((v) => Math.round(v * 4) / 4)
    const merged = sketch(normals(30_000, 0.1, 7), 3).merge(sketch(normals(50_000, 0, 8), 4))
    const pairs = [
      [sketch(reference, 1), sketch(shifted, 2)],
      [sketch(ties(reference), 1), sketch(ties(same), 2)],
      [sketch(ties(shifted), 5), createQuantileSketch({ k: 200 }).addAll(ties(normals(300, 0, 9)))],
      [merged, sketch(same.subarray(0, 40_000), 6)],
    ] as const
    for (const [a, b] of pairs) {
      expect(a.retained).toBeLessThan(a.count)
      expect(ksTestFromSketches(a, b).statistic).toBe(byCdf(a, b))
      expect(ksTestFromSketches(b, a).statistic).toBe(byCdf(b, a))
    }
  })

  it('psiFromSketches tracks the exact PSI and gives the same verdict', () => {
    for (const other of [same, shifted]) {
      const exact = psi(reference, other)
      const approx = psiFromSketches(sketch(reference, 3), sketch(other, 4))
      expect(Math.abs(approx.statistic - exact.statistic)).toBeLessThan(0.02)
      expect(approx.passed).toBe(exact.passed)
    }
  })

  /** Exact PSI of the raw samples on given interior edges, bins [e_{i−1}, e_i) as psi uses. */
  const exactPsiOn = (edges: readonly number[], ref: Float64Array, cur: Float64Array): number => {
    const count = (xs: Float64Array): number[] => {
      const c = new Array<number>(edges.length + 1).fill(0)
      for (const x of xs) {
        const bin = edges.filter((e) => x >= e).length
        c[bin] = (c[bin] as number) + 1
      }
      return c
    }
    return psiFromCounts(count(ref), count(cur)).statistic
  }
  const sketchEdges = (s: ReturnType<typeof sketch>): number[] =>
    [...new Set(Array.from({ length: 9 }, (_, i) => s.quantile((i + 1) / 10)))].sort((x, y) => x - y)

  it('psiFromSketches bins as psi does ([a, b): a value on an edge goes up) on tie-heavy data (issue #14)', () => {
    const counts: number[] = ref2.psiTies.counts
    const ties = Float64Array.from(counts.flatMap((c, v) => new Array<number>(c).fill(v)))
    // interleave the values so the sketch sees them in no particular order
    const mixed = Float64Array.from(ties.keys(), (i) => ties[(i * 7919) % ties.length] as number)
    for (const [shift, expected] of [
      [0.5, ref2.psiTies.shiftHalf],
      [1, ref2.psiTies.shiftOne],
    ] as const) {
      const current = mixed.map((v) => v + shift)
      expect(psi(ties, current).statistic).toBeCloseTo(expected, 12)
      for (const seed of [5, 6, 7, 8]) {
        const rs = sketch(mixed, seed)
        const cs = sketch(current, seed + 10)
        // on the reference's exact bins (a baseline's fixed bins): the numpy PSI lies in the stated interval
        const onBaselineBins = psiFromSketches(rs, cs, { edges: psiBreakdown(ties, current).edges })
        const { psiLow, psiHigh } = onBaselineBins.details as { psiLow: number; psiHigh: number }
        expect(expected).toBeGreaterThanOrEqual(psiLow)
        expect(expected).toBeLessThanOrEqual(psiHigh)
        expect(Math.abs(onBaselineBins.statistic - expected)).toBeLessThan(0.02)
        // on the sketch's own quantile bins: the exact PSI on those bins lies in the interval too
        const own = psiFromSketches(rs, cs)
        const exact = exactPsiOn(sketchEdges(rs), ties, current)
        expect(exact).toBeGreaterThanOrEqual(own.details?.psiLow as number)
        expect(exact).toBeLessThanOrEqual(own.details?.psiHigh as number)
      }
    }
  })

  it('psiFromSketches states an interval that holds the exact PSI on continuous data', () => {
    for (const [other, seed] of [
      [same, 21],
      [shifted, 31],
    ] as const) {
      const rs = sketch(reference, seed)
      const r = psiFromSketches(rs, sketch(other, seed + 1))
      const exact = exactPsiOn(sketchEdges(rs), reference, other)
      expect(exact).toBeGreaterThanOrEqual(r.details?.psiLow as number)
      expect(exact).toBeLessThanOrEqual(r.details?.psiHigh as number)
      expect(r.details?.rankError).toBe(quantileSketchRankError(200))
    }
    // a sketch that has not compacted yet is exact: the interval closes
    const small = createQuantileSketch({ k: 200 }).addAll([1, 2, 3, 4, 5, 6])
    const r = psiFromSketches(small, createQuantileSketch({ k: 200 }).addAll([2, 3, 4, 5, 6, 7]), { bins: 3 })
    expect(r.details?.psiLow).toBe(r.statistic)
    expect(r.details?.psiHigh).toBe(r.statistic)
  })

  it('refuses empty sketches', () => {
    expect(() => psiFromSketches(createQuantileSketch(), sketch(same, 1))).toThrow(
      expect.objectContaining({ code: 'MG_STATS_EMPTY_SAMPLE' }),
    )
  })
})
