import { createRandom } from '@modelgate/core'
import { describe, expect, it } from 'vitest'
import { createCategoricalDecoder, createNumericDecoder } from '../src/internal/columnDecoders.js'
import { createFactorSampler } from '../src/internal/factorSampling.js'
import { fastNormalCdf, normalPpf } from '../src/internal/special.js'
import type { CategoricalColumnModel, NumericColumnModel } from '../src/modelFile.js'

// The block kernels of copula sampling (inlined Φ table, bucketed threshold search, Math.round through floor, the
// factor product fused over factors) must give exactly the values of their plain definitions: same seed, same rows.

/** Latent values that probe every edge: random normals, a fine grid over the Φ table and the search buckets, the
 * table's limits and beyond, infinities, halves. */
function probes(): Float64Array {
  const random = createRandom(5, 'probes')
  const xs: number[] = []
  for (let i = 0; i < 20_000; i++) xs.push(random.normal())
  for (let x = -9; x <= 9; x += 1 / 4096) xs.push(x)
  xs.push(-8.5, 8.5, -8.499999999999998, 8.499999999999998, 12, -12, Infinity, -Infinity, 0, -0)
  xs.push(0.49999999999999994, -0.49999999999999994, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, -0.3)
  return Float64Array.from(xs)
}

function numeric(over: Partial<NumericColumnModel>): NumericColumnModel {
  return {
    name: 'x',
    kind: 'numeric',
    nullRate: 0,
    min: null,
    max: null,
    decimals: null,
    roundTo: null,
    spikes: [],
    continuous: null,
    ...over,
  }
}

/** Clamp, round as the data (with Math.round), clamp: the definition of a decoded value's last step. */
function finish(x: number, m: NumericColumnModel): number {
  const min = m.min ?? Number.NEGATIVE_INFINITY
  const max = m.max ?? Number.POSITIVE_INFINITY
  let y = x < min ? min : Math.min(x, max)
  if (m.decimals !== null) y = Math.round(y * 10 ** m.decimals) / 10 ** m.decimals
  else if (m.roundTo !== null && m.roundTo > 1) y = Math.round(y / m.roundTo) * m.roundTo
  return y < min ? min : Math.min(y, max)
}

function block(decode: (z: Float64Array, out: Float64Array, at: number, size: number) => void, z: Float64Array) {
  const out = new Float64Array(z.length + 3)
  for (let r0 = 0; r0 < z.length; r0 += 1000) {
    const size = Math.min(1000, z.length - r0)
    decode(z.subarray(r0, r0 + size), out, r0 + 3, size)
  }
  return out.subarray(3)
}

function expectSame(actual: ArrayLike<number>, expected: (i: number) => number): void {
  let mismatches = 0
  let first = ''
  for (let i = 0; i < actual.length; i++) {
    const want = expected(i)
    if (!Object.is(actual[i], want)) {
      if (mismatches === 0) first = `row ${i}: ${actual[i]} instead of ${want}`
      mismatches++
    }
  }
  expect({ mismatches, first }).toEqual({ mismatches: 0, first: '' })
}

describe('block decoders give the values of their definitions', () => {
  const z = probes()

  it('normal marginals: μ + σz, rounded half up as Math.round (−0 kept)', () => {
    for (const m of [
      numeric({ continuous: { family: 'normal', mu: 0, sigma: 1, weight: 1, ks: 0 }, decimals: 0 }),
      numeric({ continuous: { family: 'normal', mu: 50, sigma: 10, weight: 1, ks: 0 }, decimals: 2, min: 20, max: 80 }),
      numeric({ continuous: { family: 'normal', mu: 3, sigma: 40, weight: 1, ks: 0 }, roundTo: 5 }),
    ]) {
      const out = block(createNumericDecoder(m).decodeLatentBlock, z)
      const cont = m.continuous as { mu: number; sigma: number }
      expectSame(out, (i) => finish(cont.mu + cont.sigma * (z[i] as number), m))
    }
  })

  it('empirical quantile tables: Φ by the table, linear interpolation, rounding', () => {
    const quantiles = Array.from({ length: 101 }, (_, i) => Math.exp(-3 + (6 * i) / 100))
    const m = numeric({
      continuous: { family: 'empirical', quantiles, weight: 1, ks: 0 },
      decimals: 3,
      min: 0.06,
      max: 19,
    })
    const out = block(createNumericDecoder(m).decodeLatentBlock, z)
    expectSame(out, (i) => {
      const pos = fastNormalCdf(z[i] as number) * 100
      const j = Math.min(99, Math.floor(pos))
      const a = quantiles[j] as number
      return finish(a + (pos - j) * ((quantiles[j + 1] as number) - a), m)
    })
  })

  it('point masses with and without a continuous part, and other families: the per-value decoder', () => {
    const spikes = Array.from({ length: 9 }, (_, i) => ({ value: i, p: 0.1 - i * 0.004 }))
    for (const m of [
      numeric({
        kind: 'integer',
        spikes,
        decimals: 0,
        min: 0,
        max: 12,
        continuous: { family: 'empirical', quantiles: [0, 2, 5, 9, 12], weight: 0.26, ks: 0 },
      }),
      numeric({
        spikes: [{ value: 0, p: 0.4 }],
        continuous: { family: 'normal', mu: 5, sigma: 2, weight: 0.6, ks: 0 },
      }),
      numeric({
        spikes: [
          { value: 1, p: 0.7 },
          { value: 2, p: 0.3 },
        ],
        decimals: 0,
      }),
      numeric({ continuous: { family: 'truncnorm', mu: 1, sigma: 2, lo: -1, hi: 6, weight: 1, ks: 0 }, decimals: 4 }),
      numeric({ continuous: { family: 'gamma', shape: 2, scale: 3, loc: 0, weight: 1, ks: 0 }, min: 0, max: 40 }),
    ]) {
      const dec = createNumericDecoder(m)
      const out = block(dec.decodeLatentBlock, z)
      expectSame(out, (i) => dec.decodeLatent(z[i] as number))
    }
  })

  it('categoricals: the first category whose upper threshold Φ⁻¹(cumulative p) lies above z', () => {
    const model = (ps: number[]): CategoricalColumnModel => ({
      name: 'c',
      kind: 'categorical',
      nullRate: 0,
      categories: ps.map((p, i) => ({ value: `v${i}`, p })),
      rare: { mode: 'drop', label: null, p: 0 },
    })
    for (const ps of [[0.3, 0.5, 0.2], [1], Array.from({ length: 40 }, (_, i) => 1 + (i % 7)), [0.999, 0.001]]) {
      const out = new Int32Array(z.length)
      createCategoricalDecoder(model(ps)).decodeLatentBlock(z, out, 0, z.length)
      const total = ps.reduce((a, b) => a + b, 0)
      const thresholds: number[] = []
      let cum = 0
      for (const p of ps) {
        cum += p / total
        thresholds.push(thresholds.length === ps.length - 1 ? Number.POSITIVE_INFINITY : normalPpf(cum))
      }
      expectSame(out, (i) => {
        const c = thresholds.findIndex((t) => t > (z[i] as number))
        return c < 0 ? ps.length - 1 : c
      })
    }
  })
})

describe('the factor sampler', () => {
  /** The definition: per block of 512 rows, the factors' normals, then per dimension its noise scaled by √ψ and
   * each nonzero loading times its factor added in factor order, one pass each. */
  function reference(loadings: number[][], rows: number, seed: number): Float64Array {
    const d = loadings.length
    const k = loadings[0]?.length ?? 0
    const random = createRandom(seed, 'factor')
    const z = new Float64Array(d * rows)
    const f = new Float64Array(k * 512)
    const e = new Float64Array(512)
    for (let r0 = 0; r0 < rows; r0 += 512) {
      const size = Math.min(512, rows - r0)
      random.fillNormal(f, 0, k * 512)
      for (let j = 0; j < d; j++) {
        random.fillNormal(e, 0, size)
        const row = loadings[j] as number[]
        const sd = Math.sqrt(Math.max(0, 1 - row.reduce((s, x) => s + x * x, 0)))
        for (let r = 0; r < size; r++) e[r] = sd * (e[r] as number)
        for (let a = 0; a < k; a++) {
          const l = row[a] as number
          if (l === 0) continue
          for (let r = 0; r < size; r++) e[r] = (e[r] as number) + l * (f[a * 512 + r] as number)
        }
        for (let r = 0; r < size; r++) z[j * rows + r0 + r] = e[r] as number
      }
    }
    return z
  }

  it('draws exactly the rows of one pass per factor, for any number of factors and zero loadings', () => {
    const random = createRandom(9, 'loadings')
    for (const k of [1, 2, 3, 4, 5, 6, 9]) {
      const loadings = Array.from({ length: 13 }, (_, j) =>
        Array.from({ length: k }, (_, a) => ((j + a) % 3 === 0 ? 0 : (random.uniform() - 0.5) * (1.6 / Math.sqrt(k)))),
      )
      loadings[0] = Array.from({ length: k }, () => 0)
      for (const rows of [1, 511, 512, 1300]) {
        const z = new Float64Array(13 * rows)
        createFactorSampler(loadings).drawRows(z, rows, createRandom(rows + k, 'factor'))
        const want = reference(loadings, rows, rows + k)
        expectSame(z, (i) => want[i] as number)
      }
    }
  })
})
