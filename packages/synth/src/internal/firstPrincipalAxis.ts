/**
 * Weighted first principal axis of k points in `dim` dimensions (power iteration from the all-ones direction): the
 * order of a categorical column's categories along it, for the copula (orderCategories) and the DP fit.
 * The covariance C = Σ_c w_c d_c d_cᵀ (d_c the centered means) is applied as Σ_c w_c d_c (d_c · v) when k is small
 * beside dim — 2·k·dim instead of dim² per step, the same iterates — and formed otherwise.
 */
export function firstPrincipalAxis(means: Float64Array, weight: Float64Array, k: number, dim: number): Float64Array {
  const total = weight.reduce((a, b) => a + b, 0) || 1
  const center = new Float64Array(dim)
  for (let c = 0; c < k; c++)
    for (let j = 0; j < dim; j++)
      center[j] = (center[j] as number) + ((weight[c] as number) * (means[c * dim + j] as number)) / total
  const centered = new Float64Array(k * dim)
  for (let c = 0; c < k; c++)
    for (let j = 0; j < dim; j++) centered[c * dim + j] = (means[c * dim + j] as number) - (center[j] as number)
  const factored = 2 * k < dim
  const cov = factored ? null : new Float64Array(dim * dim)
  if (cov !== null)
    for (let c = 0; c < k; c++) {
      const w = (weight[c] as number) / total
      for (let a = 0; a < dim; a++) {
        const da = centered[c * dim + a] as number
        for (let b = 0; b < dim; b++)
          cov[a * dim + b] = (cov[a * dim + b] as number) + w * da * (centered[c * dim + b] as number)
      }
    }
  let v = new Float64Array(dim).fill(1 / Math.sqrt(dim))
  let next = new Float64Array(dim)
  for (let it = 0; it < 100; it++) {
    if (cov !== null) {
      for (let a = 0; a < dim; a++) {
        let s = 0
        for (let b = 0; b < dim; b++) s += (cov[a * dim + b] as number) * (v[b] as number)
        next[a] = s
      }
    } else {
      next.fill(0)
      for (let c = 0; c < k; c++) {
        let dot = 0
        for (let b = 0; b < dim; b++) dot += (centered[c * dim + b] as number) * (v[b] as number)
        const coef = ((weight[c] as number) / total) * dot
        for (let a = 0; a < dim; a++) next[a] = (next[a] as number) + coef * (centered[c * dim + a] as number)
      }
    }
    let norm = 0
    for (let a = 0; a < dim; a++) norm += (next[a] as number) ** 2
    norm = Math.sqrt(norm) || 1
    let change = 0
    for (let a = 0; a < dim; a++) {
      next[a] = (next[a] as number) / norm
      change = Math.max(change, Math.abs((next[a] as number) - (v[a] as number)))
    }
    const t = v
    v = next
    next = t
    // Converged (to far below what changes an order of category coordinates).
    if (change < 1e-12) break
  }
  return v
}
