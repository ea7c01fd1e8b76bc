import { createRandom } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { sortAndRank } from '../src/internal/sortAndRank.js'

// The hashed sort-and-rank of a numeric column must give exactly what its definition gives: every present value
// sorted (a typed-array sort: −0 before 0), and each row's rank among the distinct values by a binary search.

function definition(values: Float64Array): { sorted: Float64Array; keys: Float64Array } {
  const sorted = Float64Array.from(values.filter((v) => !Number.isNaN(v))).sort()
  const distinct: number[] = []
  for (const v of sorted) if (distinct.length === 0 || v !== distinct[distinct.length - 1]) distinct.push(v)
  const keys = values.map((x) => {
    if (Number.isNaN(x)) return Number.NaN
    let a = 0
    let b = distinct.length - 1
    while (a < b) {
      const mid = (a + b) >> 1
      if ((distinct[mid] as number) < x) a = mid + 1
      else b = mid
    }
    return a
  })
  return { sorted, keys }
}

function check(values: Float64Array): void {
  const want = definition(values)
  const keys = Float64Array.from(values)
  const count = values.filter((v) => !Number.isNaN(v)).length
  const sorted = sortAndRank(keys, count)
  // Object.is tells −0 from 0.
  expect(Array.from(sorted).every((v, i) => Object.is(v, want.sorted[i]))).toBe(true)
  expect(sorted.length).toBe(want.sorted.length)
  expect(Array.from(keys).every((v, i) => Object.is(v, want.keys[i]))).toBe(true)
}

describe('sortAndRank', () => {
  it('sorts and ranks like a full sort and a binary search per row', () => {
    const random = createRandom(3, 'sortAndRank')
    const columns: Float64Array[] = [
      // Few distinct integers (ages), many distinct reals, a point mass at 0 with −0 among the zeros, nulls.
      Float64Array.from({ length: 5000 }, () => 17 + random.int(73)),
      Float64Array.from({ length: 5000 }, () => random.normal() * 1e5),
      Float64Array.from({ length: 5000 }, (_, i) =>
        i % 7 === 0 ? Number.NaN : i % 3 === 0 ? (i % 2 === 0 ? -0 : 0) : random.int(50) - 25,
      ),
      Float64Array.from([0, -0, 0, -0, -1e-300, 1e-300, 5e-324, -5e-324, 1.5, 1.5, -2, Number.NaN]),
      Float64Array.from([Number.NaN, Number.NaN]),
      new Float64Array(0),
      Float64Array.from([42]),
    ]
    for (const values of columns) check(values)
  })
})
