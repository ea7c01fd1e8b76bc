import { createRandom } from '@modelgate/core'
import { jacobiEigen } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'
import { cholesky, repairCorrelation } from '../src/internal/linalg.js'

function randomSymmetric(d: number, seed: number): Float64Array {
  const random = createRandom(seed)
  const a = new Float64Array(d * d)
  for (let i = 0; i < d; i++) {
    a[i * d + i] = 1
    for (let j = i + 1; j < d; j++) {
      const v = 2 * random.uniform() - 1
      a[i * d + j] = v
      a[j * d + i] = v
    }
  }
  return a
}

describe('correlation repair', () => {
  it('turns an indefinite unit-diagonal matrix into a positive definite correlation matrix', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const d = 12
      const a = randomSymmetric(d, seed)
      expect(Math.min(...jacobiEigen(a, d).values)).toBeLessThan(0)
      const r = repairCorrelation(a, d)
      expect(Math.min(...jacobiEigen(r, d).values)).toBeGreaterThan(0)
      for (let i = 0; i < d; i++) expect(r[i * d + i]).toBeCloseTo(1, 12)
      expect(() => cholesky(r, d)).not.toThrow()
    }
  })

  it('leaves a positive definite matrix unchanged', () => {
    const a = Float64Array.from([1, 0.5, 0.2, 0.5, 1, 0.3, 0.2, 0.3, 1])
    expect(Array.from(repairCorrelation(a, 3))).toEqual(Array.from(a))
  })
})
