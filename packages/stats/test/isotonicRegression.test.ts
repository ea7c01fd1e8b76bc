import { fitIsotonicRegression, isotonicRegression, predictIsotonicRegression } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { expectClose, ref2 } from './fixtures.js'

describe('isotonicRegression (pool adjacent violators)', () => {
  for (const c of ref2.isotonic) {
    it(`matches scipy.optimize.isotonic_regression: ${c.name}`, () => {
      const r = isotonicRegression(c.y, {
        increasing: c.increasing,
        ...(c.weights === null ? {} : { weights: c.weights }),
      })
      for (const [i, v] of (c.fitted as number[]).entries()) expectClose(r.fitted[i], v, 1e-12, 1e-15)
      expect(Array.from(r.blocks)).toEqual(c.blocks)
    })
  }
})

describe('fitIsotonicRegression / predictIsotonicRegression (a calibration map)', () => {
  for (const c of ref2.isotonicCalibration) {
    it(`pools equal scores, fits and interpolates as sklearn's IsotonicRegression(out_of_bounds='clip'): ${c.name}`, () => {
      const model = fitIsotonicRegression(c.x, c.y, { weights: c.weights })
      expect(model.x).toEqual(c.thresholdsX)
      for (const [i, v] of (model.y as number[]).entries()) expectClose(v, c.thresholdsY[i], 1e-12, 1e-15)
      const p = predictIsotonicRegression(model, c.queries)
      for (const [i, v] of (c.predictions as number[]).entries()) expectClose(p[i], v, 1e-12, 1e-15)
      // the model is plain data: it survives JSON
      expect(predictIsotonicRegression(JSON.parse(JSON.stringify(model)), c.queries)).toEqual(p)
    })
  }

  it('rejects non-positive weights', () => {
    expect(() => isotonicRegression([1, 2], { weights: [1, 0] })).toThrow(/weight at index 1 is 0/)
  })
})
