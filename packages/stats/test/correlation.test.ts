import { pearson, spearman } from '@modelgate/stats'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { expectClose, ref, ref2 } from './fixtures.js'

describe('pearson and spearman', () => {
  it('match scipy.stats.pearsonr / spearmanr statistics, with and without ties', () => {
    for (const c of ref.correlation) {
      expectClose(pearson(c.x, c.y), c.pearson, 1e-12, 1e-14)
      expectClose(spearman(c.x, c.y), c.spearman, 1e-12, 1e-14)
    }
  })

  for (const c of ref2.pearsonScaled) {
    it(`pearson matches the 50-digit value (mpmath) on badly scaled data: ${c.name}`, () => {
      expectClose(pearson(c.x, c.y), c.pearson, 1e-12, 1e-15)
    })
  }

  it('are 1 for a monotone relation (spearman) and a linear one (pearson)', () => {
    const x = [1, 2, 3, 4, 5, 6]
    expect(
      spearman(
        x,
        x.map((v) => v ** 3),
      ),
    ).toBeCloseTo(1, 14)
    expect(
      pearson(
        x,
        x.map((v) => -2 * v + 1),
      ),
    ).toBeCloseTo(-1, 14)
  })

  it('are NaN for a constant sample and reject unequal lengths', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN()
    expect(() => spearman([1, 2], [1, 2, 3])).toThrow(expect.objectContaining({ code: 'MG_STATS_LENGTH_MISMATCH' }))
  })

  it('are symmetric and stay within [-1, 1]', () => {
    const pair = fc
      .integer({ min: 2, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.integer({ min: -50, max: 50 }), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: -50, max: 50 }), { minLength: n, maxLength: n }),
        ),
      )
    fc.assert(
      fc.property(pair, ([x, y]) => {
        for (const f of [pearson, spearman]) {
          const r = f(x, y)
          if (Number.isNaN(r)) continue
          expect(r).toBe(f(y, x))
          expect(Math.abs(r)).toBeLessThanOrEqual(1)
        }
      }),
    )
  })
})
