import type { Column, Table } from '@modelgate/core'
import { createRandom, tableFromColumns } from '@modelgate/core'

export interface WideTable {
  readonly table: Table
  /** The latent correlation the table was drawn from: loadings (columns × factors), row-major. */
  readonly loadings: Float64Array
  readonly factors: number
  /** True latent correlation of columns i and j (i ≠ j). */
  correlation(i: number, j: number): number
}

/**
 * A wide feature table with a known dependence: latent z = Λ f + √ψ ε with `factors` standard normal factors
 * (each column loads on one or two factors, loadings 0.5–0.9), pushed through varied marginals — continuous
 * (exponential, normal), small integers, three-level categoricals and booleans — so the true latent correlation
 * of every pair of columns is known.
 */
export function wideTable(o: { columns: number; rows: number; factors?: number; seed?: number }): WideTable {
  const d = o.columns
  const n = o.rows
  const k = o.factors ?? 4
  const random = createRandom(o.seed ?? 7, 'wide-table')
  const loadings = new Float64Array(d * k)
  for (let j = 0; j < d; j++) {
    const a = j % k
    loadings[j * k + a] = (random.uniform() < 0.5 ? -1 : 1) * (0.5 + 0.4 * random.uniform())
    if (j % 3 === 0) loadings[j * k + ((a + 1) % k)] = 0.3 * (random.uniform() - 0.5)
  }
  const f = new Float64Array(n * k)
  random.fillNormal(f)
  const columns: Column[] = []
  const e = new Float64Array(n)
  for (let j = 0; j < d; j++) {
    let communality = 0
    for (let a = 0; a < k; a++) communality += (loadings[j * k + a] as number) ** 2
    const noise = Math.sqrt(1 - communality)
    random.fillNormal(e)
    const z = new Float64Array(n)
    for (let r = 0; r < n; r++) {
      let s = noise * (e[r] as number)
      for (let a = 0; a < k; a++) s += (loadings[j * k + a] as number) * (f[r * k + a] as number)
      z[r] = s
    }
    const name = `f${String(j).padStart(4, '0')}`
    switch (j % 5) {
      case 0:
        columns.push({
          kind: 'numeric',
          name,
          values: z.map((x) => Math.round(Math.exp(x) * 1000) / 1000),
          valid: null,
        })
        break
      case 1:
        columns.push({
          kind: 'numeric',
          name,
          values: z.map((x) => Math.round((50 + 10 * x) * 100) / 100),
          valid: null,
        })
        break
      case 2:
        columns.push({ kind: 'integer', name, values: z.map((x) => Math.max(0, Math.round(3 + 2 * x))), valid: null })
        break
      case 3:
        columns.push({
          kind: 'categorical',
          name,
          codes: Int32Array.from(z, (x) => (x < -0.5 ? 0 : x < 0.6 ? 1 : 2)),
          dictionary: ['low', 'mid', 'high'],
        })
        break
      default:
        columns.push({ kind: 'boolean', name, values: Uint8Array.from(z, (x) => (x > 0.3 ? 1 : 0)), valid: null })
    }
  }
  return {
    table: tableFromColumns(columns),
    loadings,
    factors: k,
    correlation: (i, j) => {
      let s = 0
      for (let a = 0; a < k; a++) s += (loadings[i * k + a] as number) * (loadings[j * k + a] as number)
      return s
    },
  }
}
