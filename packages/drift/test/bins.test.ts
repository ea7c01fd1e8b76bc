import { createRandom } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { binIndex, createBinLookup, lookupBin } from '../src/internal/bins.js'

describe('lookupBin', () => {
  it('finds the same bin as a binary search over every edge, on edges, between them and outside', () => {
    const rng = createRandom(3)
    for (let trial = 0; trial < 40; trial++) {
      const m = 1 + rng.int(120)
      const raw = Array.from({ length: m }, () => (trial % 3 === 0 ? Math.exp(4 * rng.normal()) : rng.normal() * 10))
      const edges = Float64Array.from(new Set(raw.sort((a, b) => a - b)))
      const lookup = createBinLookup(edges)
      const probes = [
        ...edges,
        ...Array.from({ length: 500 }, () => (trial % 3 === 0 ? Math.exp(5 * rng.normal()) : rng.normal() * 15)),
      ]
      for (const e of edges) probes.push(e - 1e-12 * Math.abs(e), e + 1e-12 * Math.abs(e))
      for (const x of probes) expect(lookupBin(lookup, x), `${x} in ${trial}`).toBe(binIndex(edges, x))
    }
  })
})
