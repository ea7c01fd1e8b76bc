import { readFileSync } from 'node:fs'
import { createRandom } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { bivariateNormalCdf } from '../src/internal/dp/bivariateNormalCdf.js'
import { bernoulliExpMinus, discreteLaplace, uniformInt } from '../src/internal/dp/discreteLaplace.js'

// Reference values written by scripts/make-dp-fixtures.py (scipy), never computed by the code under test.
// biome-ignore lint/suspicious/noExplicitAny: JSON fixture
const ref: any = JSON.parse(readFileSync(new URL('./fixtures/dp-reference.json', import.meta.url), 'utf8'))

describe('bivariateNormalCdf', () => {
  it('matches scipy.stats.multivariate_normal.cdf within 1e-12 for ρ from −0.999 to 0.999', () => {
    let worst = 0
    for (const c of ref.bivariateNormalCdf as { h: number; k: number; rho: number; cdf: number }[]) {
      worst = Math.max(worst, Math.abs(bivariateNormalCdf(c.h, c.k, c.rho) - c.cdf))
    }
    expect(worst).toBeLessThan(1e-12)
  })

  it('handles infinite limits', () => {
    expect(bivariateNormalCdf(Number.NEGATIVE_INFINITY, 0.3, 0.5)).toBe(0)
    expect(bivariateNormalCdf(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY, -0.5)).toBe(1)
    expect(bivariateNormalCdf(0, Number.POSITIVE_INFINITY, 0.9)).toBeCloseTo(0.5, 15)
  })
})

describe('discreteLaplace (exact integer sampler)', () => {
  const N = 200_000
  for (const { scale, pmf } of ref.discreteLaplace as { scale: number; pmf: { z: number; p: number }[] }[]) {
    it(`draws P(Z = z) ∝ exp(−|z|/${scale}) (frequencies of ${N.toLocaleString('en-US')} draws within 5 standard errors)`, () => {
      const noise = discreteLaplace(1, 1 / scale)
      expect(noise.num / noise.den).toBeGreaterThanOrEqual(scale)
      expect(noise.num / noise.den).toBeLessThan(scale + 1 / 4096)
      const random = createRandom(scale * 1000)
      const counts = new Map<number, number>()
      for (let i = 0; i < N; i++) {
        const z = noise.sample(random)
        counts.set(z, (counts.get(z) ?? 0) + 1)
      }
      expect([...counts.keys()].every(Number.isInteger)).toBe(true)
      for (const { z, p } of pmf) {
        const freq = (counts.get(z) ?? 0) / N
        expect(Math.abs(freq - p), `z = ${z}`).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / N) + 1e-9)
      }
    })
  }

  it('sets thresholds from its tail: P(Z ≥ m) ≤ p < P(Z ≥ m − 1)', () => {
    for (const scale of [0.7, 1, 25, 400]) {
      const noise = discreteLaplace(1, 1 / scale)
      for (const p of [0.2, 1e-3, 1e-6, 1e-9]) {
        const m = noise.quantileAbove(p)
        expect(noise.tailAtLeast(m)).toBeLessThanOrEqual(p * (1 + 1e-12))
        if (m > 1) expect(noise.tailAtLeast(m - 1)).toBeGreaterThan(p)
      }
    }
  })

  it('draws Bernoulli(exp(−γ)) and uniform integers beyond 2³² exactly (frequencies)', () => {
    const random = createRandom(11)
    for (const [num, den] of [
      [0, 1],
      [1, 3],
      [7, 2],
    ] as const) {
      let hits = 0
      for (let i = 0; i < N; i++) if (bernoulliExpMinus(random, num, den)) hits++
      const p = Math.exp(-num / den)
      expect(Math.abs(hits / N - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / N) + 1e-12)
    }
    const m = 3 * 2 ** 40 + 5
    let low = 0
    let bad = 0
    for (let i = 0; i < N; i++) {
      const x = uniformInt(random, m)
      if (!(x >= 0 && x < m && Number.isInteger(x))) bad++
      if (x < m / 3) low++
    }
    expect(bad).toBe(0)
    expect(Math.abs(low / N - 1 / 3)).toBeLessThan(5 * Math.sqrt(2 / 9 / N))
  })
})
