import { rocAuc } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref2 } from './fixtures.js'

describe('rocAuc', () => {
  for (const c of ref2.rocAuc) {
    it(`matches sklearn's definition (pairs counted by hand, = U/(n⁺n⁻) for 0/1 labels): ${c.name}`, () => {
      const r = rocAuc(c.scores, c.labels, c.weights === null ? {} : { weights: c.weights })
      expectClose(r, c.auc, 1e-12)
    })
  }

  it('is NaN with one class and rejects labels outside [0, 1]', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN()
    expect(() => rocAuc([0.1, 0.2], [0, 2])).toThrow(/label at index 1 is 2/)
    expect(() => rocAuc([0.1], [0, 1])).toThrow(expect.objectContaining({ code: 'MG_STATS_LENGTH_MISMATCH' }))
  })
})
