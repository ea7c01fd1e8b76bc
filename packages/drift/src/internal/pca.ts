import { jacobiEigen } from '@modelgate/stats'

/**
 * PCA for multivariate drift (NannyML's data reconstruction with PCA): numeric columns standardized by the
 * reference mean and standard deviation (nulls imputed by the mean, i.e. 0), principal components of their
 * correlation matrix (cyclic Jacobi rotations), kept until `varianceKept` of the variance is explained (NannyML's
 * default 0.65). A row's reconstruction error is ‖z − VVᵀz‖; a change of the joint distribution that leaves every
 * marginal alone (a correlation that flips, a column shuffled against the others) moves its mean.
 */
export interface PcaModel {
  readonly columns: string[]
  readonly means: number[]
  readonly scales: number[]
  /** k × p, row-major: the kept components. */
  readonly components: number[][]
  readonly varianceKept: number
}

export function fitPca(
  columns: readonly Float64Array[],
  valid: readonly (Uint8Array | null)[],
  names: readonly string[],
  varianceKept = 0.65,
): PcaModel {
  const p = columns.length
  const n = columns[0]?.length ?? 0
  const means: number[] = []
  const scales: number[] = []
  for (let j = 0; j < p; j++) {
    const x = columns[j] as Float64Array
    const ok = valid[j] ?? null
    let count = 0
    let sum = 0
    for (let i = 0; i < n; i++) {
      if (ok !== null && ok[i] === 0) continue
      const v = x[i] as number
      if (!Number.isFinite(v)) continue
      sum += v
      count++
    }
    const mean = count === 0 ? 0 : sum / count
    let ss = 0
    for (let i = 0; i < n; i++) {
      if (ok !== null && ok[i] === 0) continue
      const v = x[i] as number
      if (Number.isFinite(v)) ss += (v - mean) ** 2
    }
    means.push(mean)
    scales.push(count > 1 && ss > 0 ? Math.sqrt(ss / count) : 1)
  }
  // correlation matrix of the standardized, mean-imputed columns
  const z = columns.map((x, j) => {
    const out = new Float64Array(n)
    const ok = valid[j] ?? null
    for (let i = 0; i < n; i++) {
      const v = x[i] as number
      out[i] =
        (ok !== null && ok[i] === 0) || !Number.isFinite(v) ? 0 : (v - (means[j] as number)) / (scales[j] as number)
    }
    return out
  })
  const c = new Float64Array(p * p)
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      const za = z[a] as Float64Array
      const zb = z[b] as Float64Array
      let s = 0
      for (let i = 0; i < n; i++) s += (za[i] as number) * (zb[i] as number)
      c[a * p + b] = s / n
      c[b * p + a] = s / n
    }
  }
  const { values, vectors } = jacobiEigen(c, p)
  const order = Array.from({ length: p }, (_, i) => i).sort((a, b) => (values[b] as number) - (values[a] as number))
  const total = values.reduce((s, v) => s + Math.max(0, v), 0)
  const components: number[][] = []
  let explained = 0
  for (const k of order) {
    if (total > 0 && explained / total >= varianceKept) break
    components.push(Array.from({ length: p }, (_, j) => vectors[j * p + k] as number))
    explained += Math.max(0, values[k] as number)
  }
  return { columns: [...names], means, scales, components, varianceKept }
}

/**
 * Reconstruction error of one standardized row (z, length p), reusing `scratch` (length k); adds each column's squared
 * residual into `residuals` (length p), which names the columns behind a multivariate change.
 */
export function reconstructionError(
  model: PcaModel,
  z: Float64Array,
  scratch: Float64Array,
  residuals?: Float64Array,
): number {
  const p = z.length
  const k = model.components.length
  for (let r = 0; r < k; r++) {
    const v = model.components[r] as number[]
    let s = 0
    for (let j = 0; j < p; j++) s += (v[j] as number) * (z[j] as number)
    scratch[r] = s
  }
  let err = 0
  for (let j = 0; j < p; j++) {
    let rec = 0
    for (let r = 0; r < k; r++) rec += (scratch[r] as number) * ((model.components[r] as number[])[j] as number)
    const d = (z[j] as number) - rec
    err += d * d
    if (residuals !== undefined) residuals[j] = (residuals[j] as number) + d * d
  }
  return Math.sqrt(err)
}
