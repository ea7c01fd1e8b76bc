import { hellinger, jensenShannon, jensenShannonSamples, totalVariation, wasserstein } from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectClose, ref, ref2 } from './fixtures.js'

describe('distances between distributions', () => {
  it('match scipy.spatial.distance.jensenshannon(base=2) and the numpy TV / Hellinger formulas', () => {
    for (const c of ref.distributionDistances) {
      expectClose(jensenShannon(c.p, c.q).statistic, c.jensenShannon, 1e-12, 1e-12)
      expectClose(totalVariation(c.p, c.q).statistic, c.totalVariation, 1e-12, 1e-15)
      expectClose(hellinger(c.p, c.q).statistic, c.hellinger, 1e-12, 1e-12)
    }
  })

  it('histogram numeric samples on shared numpy bins for Jensen–Shannon', () => {
    for (const c of ref.jensenShannonSamples) {
      expectClose(jensenShannonSamples(c.a, c.b, { bins: c.bins }).statistic, c.jensenShannon, 1e-12, 1e-12)
    }
  })

  it('accept category maps with different key sets', () => {
    const r = totalVariation({ a: 5, b: 5 }, { b: 5, c: 5 })
    expect(r.statistic).toBeCloseTo(0.5, 15)
    expect(r.passed).toBe(false)
  })

  const dist = fc
    .integer({ min: 1, max: 12 })
    .chain((k) =>
      fc.tuple(
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: k, maxLength: k }),
        fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: k, maxLength: k }),
      ),
    )
    .filter(([p, q]) => p.some((v) => v > 0) && q.some((v) => v > 0))

  it('are symmetric, within [0, 1], and 0 for identical distributions', () => {
    fc.assert(
      fc.property(dist, ([p, q]) => {
        for (const f of [jensenShannon, totalVariation, hellinger]) {
          const d = f(p, q).statistic
          expect(d).toBeGreaterThanOrEqual(0)
          expect(d).toBeLessThanOrEqual(1)
          expect(f(q, p).statistic).toBe(d)
          expect(f(p, p).statistic).toBeCloseTo(0, 7)
        }
      }),
    )
  })
})

describe('wasserstein', () => {
  it('matches scipy.stats.wasserstein_distance (raw) and divides by the reference std', () => {
    for (const c of ref.wasserstein) {
      const r = wasserstein(c.a, c.b)
      expectClose(r.details?.raw as number, c.raw, 1e-12, 1e-14)
      expectClose(r.details?.referenceStd as number, c.referenceStd, 1e-12)
      expectClose(r.statistic, c.normed, 1e-12, 1e-14)
    }
  })

  it('keeps its unit when the reference is constant: W1 over the pooled std of both samples, said in details', () => {
    for (const c of ref2.wassersteinConstantReference) {
      const r = wasserstein(c.a, c.b)
      expectClose(r.details?.raw as number, c.raw, 1e-12, 1e-14)
      expectClose(r.statistic, c.normed, 1e-12, 1e-14)
      expect(r.details?.scale).toBe('pooled-std')
      expectClose(r.details?.scaleStd as number, c.pooledStd, 1e-12, 1e-14)
    }
    expect(wasserstein([1, 2, 3], [1, 2, 4]).details?.scale).toBe('reference-std')
    // the same shapes in other units give the same statistic
    expect(wasserstein([5, 5, 5], [5, 6, 7]).statistic).toBeCloseTo(
      wasserstein([5e3, 5e3, 5e3], [5e3, 6e3, 7e3]).statistic,
      12,
    )
  })

  it('is symmetric (raw), zero for identical samples, and equals a constant shift', () => {
    const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 50 })
    fc.assert(
      fc.property(sample, sample, (a, b) => {
        const ab = wasserstein(a, b).details?.raw as number
        const ba = wasserstein(b, a).details?.raw as number
        expect(Math.abs(ab - ba)).toBeLessThanOrEqual(1e-9 * Math.max(1, ab))
        expect(wasserstein(a, [...a].reverse()).statistic).toBe(0)
      }),
    )
    expect(wasserstein([1, 2, 3], [4, 5, 6]).details?.raw).toBeCloseTo(3, 14)
  })
})
