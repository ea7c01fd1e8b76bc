import { describe, expect, it } from 'vitest'
import { binomialTest } from '../src/index.js'
import { expectClose, ref2 } from './fixtures.js'

interface Case {
  k: number
  n: number
  p: number
  alternative: 'two-sided' | 'greater' | 'less'
  pvalue: number
}

describe('binomialTest', () => {
  it.each((ref2.binomtest as Case[]).map((c) => [`${c.k} of ${c.n}, p = ${c.p}, ${c.alternative}`, c] as const))(
    'matches scipy.stats.binomtest: %s',
    (_, c) => {
      const result = binomialTest(c.k, c.n, { p: c.p, alternative: c.alternative })
      expectClose(result.pValue, c.pvalue, 1e-9, 1e-300)
    },
  )

  it('is McNemar’s exact test with p = ½ and refuses impossible counts', () => {
    expect(binomialTest(0, 0 + 9, { alternative: 'less' }).pValue).toBeCloseTo(0.5 ** 9, 15)
    expect(() => binomialTest(5, 4)).toThrow(/MG_STATS_BAD_OPTION|0 ≤ k ≤ n/)
    expect(() => binomialTest(1, 4, { q: 1 } as never)).toThrow(/q/)
  })
})
