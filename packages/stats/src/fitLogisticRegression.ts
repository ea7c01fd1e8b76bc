import {
  asFiniteFloat64,
  assertSameLength,
  badOption,
  checkOptionNames,
  checkPositiveInteger,
  toFiniteFloat64,
} from './internal/validate.js'

export interface LogisticRegressionOptions {
  /** Number of features per row of `x` (row-major). Required. */
  readonly columns: number
  /** L2 penalty λ: the objective is mean log-loss + (λ/2)·‖β‖² (intercept not penalized). Default 1e-3; 0 allowed. */
  readonly l2?: number
  /** Sample weights (> 0): the mean log-loss becomes Σ wᵢ·lossᵢ / Σ wᵢ. */
  readonly weights?: ArrayLike<number>
  /** Newton iterations at most. Default 50. */
  readonly maxIterations?: number
  /** Converged when the largest gradient component is below this. Default 1e-10. */
  readonly tolerance?: number
}

/** A fitted model: P(y = 1 | x) = 1 / (1 + e^(−(β·x + β₀))). JSON-safe apart from the typed array. */
export interface LogisticRegressionModel {
  readonly coefficients: Float64Array
  readonly intercept: number
  readonly iterations: number
  /** false when maxIterations ran out first (e.g. separable data with l2 = 0, where β grows without bound). */
  readonly converged: boolean
}

/**
 * Logistic regression by Newton's method (iteratively reweighted least squares) with step halving, to the optimum of
 * the penalized mean log-loss (checked against scipy.optimize on the same objective). Rows are read once into a
 * sparse form, so one-hot features cost what their non-zeros cost: per iteration O(non-zeros per row² · rows) for the
 * Hessian and O(columns³) for its Cholesky factor — meant for tens to a few hundred columns (synth's utility score,
 * drift's domain classifier, CBPE's calibration features).
 */
export function fitLogisticRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: LogisticRegressionOptions,
): LogisticRegressionModel {
  checkOptionNames(options, ['columns', 'l2', 'weights', 'maxIterations', 'tolerance'], 'fitLogisticRegression')
  const d = checkPositiveInteger(options.columns, 'columns', 'fitLogisticRegression')
  const l2 = options.l2 ?? 1e-3
  if (!(Number.isFinite(l2) && l2 >= 0)) throw badOption(`fitLogisticRegression: l2 must be ≥ 0, got ${String(l2)}.`)
  const maxIterations = checkPositiveInteger(options.maxIterations ?? 50, 'maxIterations', 'fitLogisticRegression')
  const tolerance = options.tolerance ?? 1e-10
  const xs = asFiniteFloat64(x, 'fitLogisticRegression: x')
  if (xs.length % d !== 0) {
    throw badOption(`fitLogisticRegression: x has ${xs.length} values, not a multiple of ${d} columns.`)
  }
  const n = xs.length / d
  assertSameLength({ length: n }, y, 'fitLogisticRegression: rows of x and labels')
  const ys = toFiniteFloat64(y, 'fitLogisticRegression: labels')
  for (let i = 0; i < n; i++) {
    const v = ys[i] as number
    if (v !== 0 && v !== 1)
      throw badOption(`fitLogisticRegression: label at index ${i} is ${String(v)}; expected 0 or 1.`)
  }
  const w = new Float64Array(n).fill(1)
  if (options.weights !== undefined) {
    assertSameLength({ length: n }, options.weights, 'fitLogisticRegression: rows of x and weights')
    w.set(toFiniteFloat64(options.weights, 'fitLogisticRegression: weights'))
    for (let i = 0; i < n; i++) {
      if (!((w[i] as number) > 0))
        throw badOption(`fitLogisticRegression: weight at index ${i} is ${String(w[i])}; expected > 0.`)
    }
  }
  let wSum = 0
  for (let i = 0; i < n; i++) wSum += w[i] as number
  // sparse rows: column indices and values of the non-zeros, the intercept as column d
  const rowStart = new Int32Array(n + 1)
  let nnz = 0
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) if ((xs[i * d + j] as number) !== 0) nnz++
    nnz++
    rowStart[i + 1] = nnz
  }
  const cols = new Int32Array(nnz)
  const vals = new Float64Array(nnz)
  for (let i = 0, p = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = xs[i * d + j] as number
      if (v !== 0) {
        cols[p] = j
        vals[p++] = v
      }
    }
    cols[p] = d
    vals[p++] = 1
  }
  const m = d + 1
  const beta = new Float64Array(m)
  const grad = new Float64Array(m)
  const hess = new Float64Array(m * m)
  const z = new Float64Array(n)
  const objective = (b: Float64Array): number => {
    let loss = 0
    for (let i = 0; i < n; i++) {
      let t = 0
      for (let q = rowStart[i] as number; q < (rowStart[i + 1] as number); q++)
        t += (b[cols[q] as number] as number) * (vals[q] as number)
      z[i] = t
      // log(1 + e^t) − y·t, stable for large |t|
      loss +=
        (w[i] as number) * ((t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t))) - (ys[i] as number) * t)
    }
    let pen = 0
    for (let j = 0; j < d; j++) pen += (b[j] as number) * (b[j] as number)
    return loss / wSum + 0.5 * l2 * pen
  }
  let f = objective(beta)
  let iterations = 0
  let converged = false
  const step = new Float64Array(m)
  const trial = new Float64Array(m)
  for (; iterations < maxIterations; iterations++) {
    grad.fill(0)
    hess.fill(0)
    for (let i = 0; i < n; i++) {
      const t = z[i] as number
      const p = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t))
      const wi = (w[i] as number) / wSum
      const r = wi * (p - (ys[i] as number))
      const h = wi * p * (1 - p)
      const s = rowStart[i] as number
      const e = rowStart[i + 1] as number
      for (let q = s; q < e; q++) {
        const cq = cols[q] as number
        const vq = vals[q] as number
        grad[cq] = (grad[cq] as number) + r * vq
        const hv = h * vq
        for (let u = s; u <= q; u++) {
          const idx = cq * m + (cols[u] as number)
          hess[idx] = (hess[idx] as number) + hv * (vals[u] as number)
        }
      }
    }
    let gmax = 0
    for (let j = 0; j < m; j++) {
      if (j < d) {
        grad[j] = (grad[j] as number) + l2 * (beta[j] as number)
        hess[j * m + j] = (hess[j * m + j] as number) + l2
      }
      gmax = Math.max(gmax, Math.abs(grad[j] as number))
    }
    if (gmax < tolerance) {
      converged = true
      break
    }
    // rows of the lower triangle were filled in column order of each row's non-zeros: symmetrize, then solve H·s = g
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < a; b++) {
        const sum = (hess[a * m + b] as number) + (hess[b * m + a] as number)
        hess[a * m + b] = sum
        hess[b * m + a] = sum
      }
    }
    solveSpd(hess, grad, m, step)
    let scale = 1
    let fNew = Number.POSITIVE_INFINITY
    for (let h = 0; h < 60; h++) {
      for (let j = 0; j < m; j++) trial[j] = (beta[j] as number) - scale * (step[j] as number)
      fNew = objective(trial)
      if (fNew <= f) break
      scale /= 2
    }
    if (!(fNew <= f)) break // no decrease along the Newton direction: at the optimum to rounding
    beta.set(trial)
    f = fNew
  }
  if (!converged) objective(beta)
  return { coefficients: beta.slice(0, d), intercept: beta[d] as number, iterations, converged }
}

/** P(y = 1 | row) for each row of `x` (row-major, the model's number of columns). */
export function predictLogisticRegression(model: LogisticRegressionModel, x: ArrayLike<number>): Float64Array {
  const d = model.coefficients.length
  const xs = asFiniteFloat64(x, 'predictLogisticRegression: x')
  if (xs.length % d !== 0) {
    throw badOption(`predictLogisticRegression: x has ${xs.length} values, not a multiple of the model's ${d} columns.`)
  }
  const n = xs.length / d
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let t = model.intercept
    for (let j = 0; j < d; j++) {
      const v = xs[i * d + j] as number
      if (v !== 0) t += (model.coefficients[j] as number) * v
    }
    out[i] = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t))
  }
  return out
}

/** Solves A·s = g for symmetric positive (semi)definite A by Cholesky, with a small ridge if A is singular. */
function solveSpd(a: Float64Array, g: Float64Array, m: number, out: Float64Array): void {
  const l = new Float64Array(m * m)
  let ridge = 0
  for (let attempt = 0; attempt < 20; attempt++) {
    let ok = true
    for (let i = 0; i < m && ok; i++) {
      for (let j = 0; j <= i; j++) {
        let s = (a[i * m + j] as number) + (i === j ? ridge : 0)
        for (let k = 0; k < j; k++) s -= (l[i * m + k] as number) * (l[j * m + k] as number)
        if (i === j) {
          if (!(s > 0)) {
            ok = false
            break
          }
          l[i * m + i] = Math.sqrt(s)
        } else {
          l[i * m + j] = s / (l[j * m + j] as number)
        }
      }
    }
    if (ok) break
    ridge = ridge === 0 ? 1e-12 * (1 + Math.abs(a[0] as number)) : ridge * 100
  }
  // forward then back substitution
  for (let i = 0; i < m; i++) {
    let s = g[i] as number
    for (let k = 0; k < i; k++) s -= (l[i * m + k] as number) * (out[k] as number)
    out[i] = s / (l[i * m + i] as number)
  }
  for (let i = m - 1; i >= 0; i--) {
    let s = out[i] as number
    for (let k = i + 1; k < m; k++) s -= (l[k * m + i] as number) * (out[k] as number)
    out[i] = s / (l[i * m + i] as number)
  }
}
