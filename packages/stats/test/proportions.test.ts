import { proportionInterval, proportionsZTest } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref2 } from './fixtures.js'

describe('proportionInterval', () => {
  for (const c of ref2.proportionInterval) {
    it(`matches scipy (binomtest.proportion_ci / betaincinv): ${c.method}, ${c.successes}/${c.n} at ${c.confidence}`, () => {
      const r = proportionInterval(c.successes, c.n, { confidence: c.confidence, method: c.method })
      expectClose(r.lower, c.lower, 1e-12, 1e-300)
      expectClose(r.upper, c.upper, 1e-12, 1e-300)
      expect(r.estimate).toBe(c.successes / c.n)
    })
  }

  it('rejects impossible counts and unknown methods', () => {
    expect(() => proportionInterval(5, 4)).toThrow(/0 ≤ successes ≤ n/)
    expect(() => proportionInterval(1, 4, { method: 'agresti' as 'wilson' })).toThrow(
      /method must be 'wilson', 'wilson-cc' or 'clopper-pearson'/,
    )
  })
})

describe('proportionsZTest, one-sided', () => {
  for (const c of ref2.proportionsZOneSided) {
    it(`matches the pooled z with scipy.stats.norm (${c.alternative}): ${c.successA}/${c.nA} vs ${c.successB}/${c.nB}`, () => {
      const r = proportionsZTest(c.successA, c.nA, c.successB, c.nB, { alternative: c.alternative })
      expectClose(r.statistic, c.statistic, 1e-13)
      expectClose(r.pValue, c.pvalue, 1e-12, 1e-300)
    })
  }
})
