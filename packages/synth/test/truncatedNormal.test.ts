import { readFileSync } from 'node:fs'
import { createRandom } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { redrawTruncatedNormal, truncatedNormal } from '../src/internal/truncatedNormal.js'

// Reference values written by scripts/make-truncnorm-fixtures.py (scipy.stats.truncnorm), never computed by the code
// under test: the deciles, mean and variance of N(mean, sd²) truncated to [lo, hi], for intervals taking every branch
// of redrawTruncatedNormal (narrow, wide, one-sided, far tails, the whole line).
interface Case {
  mean: number
  sd: number
  lo: number | string
  hi: number | string
  deciles: { p: number; x: number }[]
  truncatedMean: number
  truncatedVariance: number
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/truncnorm-reference.json', import.meta.url), 'utf8')) as {
  cases: Case[]
}
const bound = (x: number | string): number => (typeof x === 'number' ? x : Number(x))

const DRAWS = 100_000

describe.each([
  ['redrawTruncatedNormal', redrawTruncatedNormal],
  ['truncatedNormal', truncatedNormal],
])('%s', (_name, draw) => {
  it.each(ref.cases.map((c) => [`N(${c.mean}, ${c.sd}²) on [${c.lo}, ${c.hi}]`, c] as const))(
    'draws the truncated normal of scipy: %s',
    (_label, c) => {
      const random = createRandom(11, c.mean, c.sd)
      const lo = bound(c.lo)
      const hi = bound(c.hi)
      const xs = new Float64Array(DRAWS)
      for (let i = 0; i < DRAWS; i++) xs[i] = draw(c.mean, c.sd, lo, hi, random)
      expect(xs.every((x) => x >= lo && x <= hi)).toBe(true)
      // The empirical CDF at scipy's deciles: within 5 standard errors (≤ 0.008 at 100,000 draws).
      for (const { p, x } of c.deciles) {
        let below = 0
        for (const v of xs) if (v <= x) below++
        expect(Math.abs(below / DRAWS - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / DRAWS))
      }
      let sum = 0
      for (const v of xs) sum += v
      const mean = sum / DRAWS
      let ss = 0
      for (const v of xs) ss += (v - mean) ** 2
      const sdOfMean = Math.sqrt(c.truncatedVariance / DRAWS)
      expect(Math.abs(mean - c.truncatedMean)).toBeLessThan(5 * sdOfMean)
      expect(ss / (DRAWS - 1) / c.truncatedVariance).toBeGreaterThan(0.97)
      expect(ss / (DRAWS - 1) / c.truncatedVariance).toBeLessThan(1.03)
    },
  )
})
