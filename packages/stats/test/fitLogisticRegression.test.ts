import { fitLogisticRegression, predictLogisticRegression } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref2 } from './fixtures.js'

describe('fitLogisticRegression', () => {
  for (const c of ref2.logistic) {
    it(`reaches the optimum scipy.optimize finds for the same objective: ${c.name}`, () => {
      const model = fitLogisticRegression(c.x, c.y, {
        columns: c.columns,
        l2: c.l2,
        ...(c.weights === null ? {} : { weights: c.weights }),
      })
      expect(model.converged).toBe(true)
      for (const [j, b] of (c.coefficients as number[]).entries()) expectClose(model.coefficients[j], b, 1e-8, 1e-10)
      expectClose(model.intercept, c.intercept, 1e-8, 1e-10)
      const p = predictLogisticRegression(model, c.x.slice(0, 2 * c.columns))
      expect(p).toHaveLength(2)
    })
  }

  it('rejects a shape that does not fit and labels other than 0/1', () => {
    expect(() => fitLogisticRegression([1, 2, 3], [0, 1], { columns: 2 })).toThrow(/not a multiple of 2 columns/)
    expect(() => fitLogisticRegression([1, 2], [0, 0.5], { columns: 1 })).toThrow(/label at index 1 is 0.5/)
  })
})
