/**
 * A small L2-regularized logistic regression trained by full-batch Adam (Kingma & Ba 2015) on a dense
 * row-major design matrix, and the ROC AUC by the Mann–Whitney rank statistic. Used for TSTR/TRTR utility.
 */
export function fitLogistic(
  x: Float64Array,
  y: Uint8Array,
  n: number,
  d: number,
  options: { epochs?: number; l2?: number } = {},
): Float64Array {
  const epochs = options.epochs ?? 200
  const l2 = options.l2 ?? 1e-3
  // Sparse rows (one-hot features are mostly zero): CSR index and value arrays.
  const rowStart = new Int32Array(n + 1)
  let nnz = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) if ((x[i * d + j] as number) !== 0) nnz++
    rowStart[i + 1] = nnz
  }
  const cols = new Int32Array(nnz)
  const vals = new Float64Array(nnz)
  let p = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = x[i * d + j] as number
      if (v !== 0) {
        cols[p] = j
        vals[p++] = v
      }
    }
  }
  const w = new Float64Array(d + 1)
  const m = new Float64Array(d + 1)
  const v = new Float64Array(d + 1)
  const grad = new Float64Array(d + 1)
  const lr = 0.05
  for (let t = 1; t <= epochs; t++) {
    grad.fill(0)
    for (let i = 0; i < n; i++) {
      let z = w[d] as number
      const end = rowStart[i + 1] as number
      for (let q = rowStart[i] as number; q < end; q++) z += (w[cols[q] as number] as number) * (vals[q] as number)
      const err = 1 / (1 + Math.exp(-z)) - (y[i] as number)
      for (let q = rowStart[i] as number; q < end; q++)
        grad[cols[q] as number] = (grad[cols[q] as number] as number) + err * (vals[q] as number)
      grad[d] = (grad[d] as number) + err
    }
    for (let j = 0; j <= d; j++) {
      const g = (grad[j] as number) / n + (j < d ? l2 * (w[j] as number) : 0)
      m[j] = 0.9 * (m[j] as number) + 0.1 * g
      v[j] = 0.999 * (v[j] as number) + 0.001 * g * g
      const mh = (m[j] as number) / (1 - 0.9 ** t)
      const vh = (v[j] as number) / (1 - 0.999 ** t)
      w[j] = (w[j] as number) - (lr * mh) / (Math.sqrt(vh) + 1e-8)
    }
  }
  return w
}

export function predictLogistic(w: Float64Array, x: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let z = w[d] as number
    for (let j = 0; j < d; j++) z += (w[j] as number) * (x[i * d + j] as number)
    out[i] = 1 / (1 + Math.exp(-z))
  }
  return out
}

/** ROC AUC with tied scores given half credit. */
export function rocAuc(scores: Float64Array, labels: Uint8Array): number {
  const n = scores.length
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => (scores[a] as number) - (scores[b] as number))
  let pos = 0
  let rankSum = 0
  for (let i = 0; i < n; ) {
    let j = i
    while (j + 1 < n && scores[idx[j + 1] as number] === scores[idx[i] as number]) j++
    const avgRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) {
      if (labels[idx[k] as number] === 1) {
        pos++
        rankSum += avgRank
      }
    }
    i = j + 1
  }
  const neg = n - pos
  if (pos === 0 || neg === 0) return Number.NaN
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg)
}
