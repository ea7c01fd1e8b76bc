import { jacobiEigen } from '@modelgate/stats'
import { describe, expect, it } from 'vitest'

describe('jacobiEigen', () => {
  it('gives the eigenvalues 1 and 3 of [[2, 1], [1, 2]], with the eigenvectors (1, −1)/√2 and (1, 1)/√2', () => {
    const { values, vectors } = jacobiEigen(Float64Array.from([2, 1, 1, 2]), 2)
    const order = [0, 1].sort((a, b) => (values[a] as number) - (values[b] as number))
    expect(order.map((k) => values[k])).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)])
    const v = (k: number) => [vectors[k] as number, vectors[2 + k] as number]
    const [small, large] = order.map((k) => v(k as number))
    expect(Math.abs((small?.[0] as number) + (small?.[1] as number))).toBeLessThan(1e-12)
    expect(Math.abs((large?.[0] as number) - (large?.[1] as number))).toBeLessThan(1e-12)
  })

  it('decomposes a symmetric 5 × 5 matrix: A·v = λ·v for every column of an orthonormal V', () => {
    const d = 5
    const a = new Float64Array(d * d)
    for (let i = 0; i < d; i++)
      for (let j = 0; j <= i; j++) a[i * d + j] = a[j * d + i] = Math.cos(i * 3 + j * 7) + (i === j ? 2 : 0)
    const { values, vectors } = jacobiEigen(a, d)
    for (let k = 0; k < d; k++) {
      for (let i = 0; i < d; i++) {
        let av = 0
        for (let j = 0; j < d; j++) av += (a[i * d + j] as number) * (vectors[j * d + k] as number)
        expect(av).toBeCloseTo((values[k] as number) * (vectors[i * d + k] as number), 10)
      }
      for (let m = 0; m < d; m++) {
        let dot = 0
        for (let i = 0; i < d; i++) dot += (vectors[i * d + k] as number) * (vectors[i * d + m] as number)
        expect(dot).toBeCloseTo(k === m ? 1 : 0, 12)
      }
    }
  })

  it('finds the eigenvalues of a known matrix (trace and determinant preserved)', () => {
    const a = Float64Array.from([2, 1, 0, 1, 2, 1, 0, 1, 2])
    const values = Array.from(jacobiEigen(a, 3).values).sort((x, y) => x - y)
    // Eigenvalues of this tridiagonal matrix are 2 − √2, 2, 2 + √2.
    expect(values[0]).toBeCloseTo(2 - Math.SQRT2, 12)
    expect(values[1]).toBeCloseTo(2, 12)
    expect(values[2]).toBeCloseTo(2 + Math.SQRT2, 12)
  })
})
