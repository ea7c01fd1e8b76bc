// The seeded data of the drift benchmark: the shape of issue #14's Evidently comparison — 20 columns, 14 numeric of
// varied shapes (normal, lognormal, exponential, uniform, gamma, beta, Student t, Poisson, chi-square, Weibull,
// Laplace, a mixture, Pareto, binomial) and 6 categorical with 3–30 categories. With `shift`, 3 columns move: normal
// by +0.5σ, gamma's scale by ×1.5 and cat_10's frequencies. The first four numeric columns share a latent factor
// (correlation ≈ 0.6), so shuffling one of them against the others changes the joint distribution only.
import type { Column, Random, Table } from '@modelgate/core'
import { createRandom, tableFromColumns } from '@modelgate/core'

export const SHIFTED_COLUMNS = ['normal', 'gamma', 'cat_10'] as const

export interface DriftDataOptions {
  readonly rows: number
  readonly seed: number
  /** Move the three SHIFTED_COLUMNS. */
  readonly shift?: boolean
}

function gamma(rng: Random, shape: number): number {
  // Marsaglia & Tsang (2000); shape < 1 by the boost u^(1/shape)
  if (shape < 1) return gamma(rng, shape + 1) * rng.uniform() ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = rng.normal()
    const v = (1 + c * x) ** 3
    if (v <= 0) continue
    const u = rng.uniform()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

function poisson(rng: Random, lambda: number): number {
  let k = 0
  let p = Math.exp(-lambda)
  let s = p
  const u = rng.uniform()
  while (u > s) {
    k++
    p *= lambda / k
    s += p
  }
  return k
}

export function driftData(options: DriftDataOptions): Table {
  const rng = createRandom(options.seed, 'drift-bench')
  const n = options.rows
  const shift = options.shift === true
  const num = (name: string, draw: (i: number) => number): Column => {
    const values = new Float64Array(n)
    for (let i = 0; i < n; i++) values[i] = draw(i)
    return { kind: 'numeric', name, values, valid: null }
  }
  const latent = new Float64Array(n)
  rng.fillNormal(latent)
  const factor = (i: number): number => 0.775 * (latent[i] as number) + 0.632 * rng.normal()
  const columns: Column[] = [
    num('normal', (i) => 10 + 2 * factor(i) + (shift ? 1 : 0)),
    num('lognormal', (i) => Math.exp(0.5 * factor(i))),
    num('exponential', (i) => -Math.log(1 - (0.5 + 0.5 * Math.tanh(factor(i))) * 0.999999)),
    num('uniform', (i) => 0.5 + 0.5 * Math.tanh(factor(i) / 1.5)),
    num('gamma', () => gamma(rng, 2) * (shift ? 1.5 : 1)),
    num('beta', () => {
      const a = gamma(rng, 2)
      return a / (a + gamma(rng, 5))
    }),
    num('student_t', () => rng.normal() / Math.sqrt(gamma(rng, 2.5) / 2.5)),
    num('poisson', () => poisson(rng, 7)),
    num('chi_square', () => 2 * gamma(rng, 1.5)),
    num('weibull', () => (-Math.log(1 - rng.uniform())) ** (1 / 1.5)),
    num('laplace', () => {
      const u = rng.uniform() - 0.5
      return -Math.sign(u) * Math.log(1 - 2 * Math.abs(u))
    }),
    num('mixture', () => (rng.uniform() < 0.3 ? 5 + rng.normal() : rng.normal())),
    num('pareto', () => (1 - rng.uniform()) ** (-1 / 3)),
    num('binomial', () => {
      let k = 0
      for (let j = 0; j < 20; j++) k += rng.uniform() < 0.3 ? 1 : 0
      return k
    }),
  ]
  for (const size of [3, 5, 10, 12, 20, 30]) {
    const name = `cat_${size}`
    const dictionary = Array.from({ length: size }, (_, j) => `${name}_v${j}`)
    const codes = new Int32Array(n)
    // Zipf-like frequencies; the shifted column flattens them
    const weights = dictionary.map((_, j) => 1 / (j + 1) ** (shift && name === 'cat_10' ? 0.4 : 1.1))
    const total = weights.reduce((a, b) => a + b, 0)
    let running = 0
    const cumulative = weights.map((w) => {
      running += w / total
      return running
    })
    for (let i = 0; i < n; i++) {
      const u = rng.uniform()
      let j = 0
      while (j < size - 1 && u > (cumulative[j] as number)) j++
      codes[i] = j
    }
    columns.push({ kind: 'categorical', name, codes, dictionary })
  }
  return tableFromColumns(columns)
}
