import { chiSquareTest, cramersV, proportionsZTest } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref } from './fixtures.js'

describe('chiSquareTest', () => {
  for (const c of ref.chiSquare2xk) {
    it(`matches scipy.stats.chi2_contingency: ${c.name}`, () => {
      const r = chiSquareTest(c.reference, c.current)
      expectClose(r.statistic, c.statistic, 1e-12, 1e-12)
      expectClose(r.pValue, c.pvalue, 1e-10, 1e-300)
      expect(r.details?.dof).toBe(c.dof)
    })
  }

  it('aligns category maps on the union of their keys', () => {
    const r = chiSquareTest(
      { a: 120, b: 300, c: 90 },
      new Map([
        ['c', 130],
        ['a', 100],
        ['b', 250],
      ]),
    )
    const same = chiSquareTest([120, 300, 90], [100, 250, 130])
    expect(r.statistic).toBe(same.statistic)
  })

  it('refuses a category map on one side and a count array on the other (they share no keys)', () => {
    expect(() => chiSquareTest({ a: 10, b: 20 }, [12, 18])).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_COUNTS', message: expect.stringMatching(/map.*array|array.*map/) }),
    )
    expect(() => chiSquareTest([12, 18], new Map([['0', 10]]))).toThrow(
      expect.objectContaining({ code: 'MG_STATS_BAD_COUNTS' }),
    )
  })

  it('skips Yates on request and treats a single category as no evidence of change', () => {
    const c = ref.chiSquare2xk[1]
    expect(chiSquareTest(c.reference, c.current, { yates: false }).statistic).toBeGreaterThan(c.statistic)
    expect(chiSquareTest([10, 0], [20, 0])).toMatchObject({ statistic: 0, pValue: 1, passed: true })
  })

  it('refuses an empty window instead of passing it', () => {
    expect(() => chiSquareTest([10, 5], [0, 0])).toThrow(
      'chiSquareTest: the current counts sum to 0; expected at least one observation.',
    )
  })
})

describe('proportionsZTest', () => {
  it('matches the pooled two-proportion z-test computed with scipy.stats.norm', () => {
    for (const c of ref.proportionsZ) {
      const r = proportionsZTest(c.successA, c.nA, c.successB, c.nB)
      expectClose(r.statistic, c.statistic, 1e-12, 1e-14)
      expectClose(r.pValue, c.pvalue, 1e-12, 1e-300)
    }
  })

  it('rejects impossible counts', () => {
    expect(() => proportionsZTest(5, 4, 1, 10)).toThrow(/0 ≤ successes ≤ n/)
    expect(() => proportionsZTest(1, 0, 1, 10)).toThrow(expect.objectContaining({ code: 'MG_STATS_BAD_OPTION' }))
  })
})

describe('cramersV', () => {
  it('matches scipy.stats.contingency.association(method="cramer") for tables and code arrays', () => {
    for (const c of ref.cramersV) {
      const v = c.table ? cramersV(c.table) : cramersV(Int32Array.from(c.codesA), Int32Array.from(c.codesB))
      expectClose(v, c.value, 1e-12, 1e-14)
    }
  })

  it('skips missing codes and is NaN for a constant variable', () => {
    expect(cramersV([0, 1, 0, 1, -1], [1, 0, 1, 0, 7])).toBeCloseTo(1, 12)
    expect(cramersV([0, 0, 0], [0, 1, 2])).toBeNaN()
  })
})
