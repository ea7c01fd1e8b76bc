import { internalError } from '../internalError.js'
/**
 * Variational inference for a univariate Dirichlet-process Gaussian mixture, truncated at `maxModes`
 * components: stick-breaking Beta posteriors for the weights (Blei & Jordan 2006, "Variational inference
 * for Dirichlet process mixtures") and Normal-Gamma posteriors for each component's mean and precision
 * (Bishop, PRML §10.2, specialised to one dimension). This is the per-column mode model of CTGAN's
 * mode-specific normalization (Xu et al. 2019, §4.2).
 *
 * The data arrive as distinct values with counts, so a column with few distinct values (ages, hours)
 * costs almost nothing however many rows it has; the result is the same as fitting every row.
 */
export interface BayesianGmmOptions {
  /** Truncation level of the stick-breaking prior. Default 10. */
  readonly maxModes?: number
  /** Concentration of the Dirichlet process; small values favour few modes. Default 0.001. */
  readonly concentration?: number
  /** Modes whose expected weight falls below this are dropped. Default 0.005. */
  readonly weightThreshold?: number
  readonly maxIterations?: number
  /** Stop when the mean log evidence per row changes by less than this. Default 1e-3. */
  readonly tolerance?: number
}

export interface GmmModes {
  readonly weights: Float64Array
  readonly means: Float64Array
  readonly stds: Float64Array
}

export function fitBayesianGmm(values: Float64Array, counts: Float64Array, options: BayesianGmmOptions = {}): GmmModes {
  const m = values.length
  if (m === 0) throw internalError('fitBayesianGmm needs at least one value.')
  const maxModes = options.maxModes ?? 10
  const gamma = options.concentration ?? 0.001
  const threshold = options.weightThreshold ?? 0.005
  const maxIter = options.maxIterations ?? 100
  const tol = options.tolerance ?? 1e-3

  // Standardise for numerical stability; results are mapped back at the end.
  let total = 0
  let mean = 0
  for (let i = 0; i < m; i++) {
    total += counts[i]!
    mean += counts[i]! * values[i]!
  }
  mean /= total
  let variance = 0
  for (let i = 0; i < m; i++) variance += counts[i]! * (values[i]! - mean) ** 2
  variance /= total
  const scale = variance > 0 ? Math.sqrt(variance) : 1
  if (m === 1 || variance === 0) {
    return {
      weights: Float64Array.of(1),
      means: Float64Array.of(mean),
      stds: Float64Array.of(Math.max(scale * 1e-3, 1e-6)),
    }
  }
  const x = new Float64Array(m)
  for (let i = 0; i < m; i++) x[i] = (values[i]! - mean) / scale

  const k = Math.min(maxModes, m)
  // Priors: m0 = 0 (data mean), beta0 = 1, a0 = 1/2 (one degree of freedom), b0 = variance / 2 = 1/2.
  const beta0 = 1
  const a0 = 0.5
  const b0 = 0.5

  // Initial responsibilities: contiguous equal-mass groups of the sorted values (deterministic).
  const order = Array.from({ length: m }, (_, i) => i).sort((p, q) => x[p]! - x[q]!)
  const r = new Float64Array(m * k)
  let cum = 0
  for (const i of order) {
    const c = counts[i]!
    const group = Math.min(k - 1, Math.floor(((cum + c / 2) / total) * k))
    r[i * k + group] = 1
    cum += c
  }

  const nk = new Float64Array(k)
  const xbar = new Float64Array(k)
  const sk = new Float64Array(k)
  const betaK = new Float64Array(k)
  const mK = new Float64Array(k)
  const aK = new Float64Array(k)
  const bK = new Float64Array(k)
  const g1 = new Float64Array(k)
  const g2 = new Float64Array(k)
  const logPrior = new Float64Array(k)
  const eLogLambda = new Float64Array(k)
  const eLambda = new Float64Array(k)
  let previous = Number.NEGATIVE_INFINITY

  for (let iter = 0; iter < maxIter; iter++) {
    // M step: sufficient statistics and posterior parameters.
    nk.fill(0)
    xbar.fill(0)
    sk.fill(0)
    for (let i = 0; i < m; i++) {
      const c = counts[i]!
      const xi = x[i]!
      for (let j = 0; j < k; j++) {
        const w = c * r[i * k + j]!
        nk[j]! += w
        xbar[j]! += w * xi
      }
    }
    for (let j = 0; j < k; j++) xbar[j] = nk[j]! > 1e-12 ? xbar[j]! / nk[j]! : 0
    for (let i = 0; i < m; i++) {
      const c = counts[i]!
      const xi = x[i]!
      for (let j = 0; j < k; j++) sk[j]! += c * r[i * k + j]! * (xi - xbar[j]!) ** 2
    }
    let tail = 0
    for (let j = k - 1; j >= 0; j--) {
      g1[j] = 1 + nk[j]!
      g2[j] = gamma + tail
      tail += nk[j]!
    }
    for (let j = 0; j < k; j++) {
      const n = nk[j]!
      betaK[j] = beta0 + n
      mK[j] = (n * xbar[j]!) / betaK[j]!
      aK[j] = a0 + n / 2
      bK[j] = b0 + 0.5 * (sk[j]! + (beta0 * n * xbar[j]! ** 2) / betaK[j]!)
      eLogLambda[j] = digamma(aK[j]!) - Math.log(bK[j]!)
      eLambda[j] = aK[j]! / bK[j]!
    }
    let stick = 0
    for (let j = 0; j < k; j++) {
      const dsum = digamma(g1[j]! + g2[j]!)
      logPrior[j] = digamma(g1[j]!) - dsum + stick
      stick += digamma(g2[j]!) - dsum
    }

    // E step: responsibilities from the expected log joint.
    let evidence = 0
    for (let i = 0; i < m; i++) {
      const xi = x[i]!
      let max = Number.NEGATIVE_INFINITY
      for (let j = 0; j < k; j++) {
        const d = xi - mK[j]!
        const lp = logPrior[j]! + 0.5 * eLogLambda[j]! - 0.5 * (1 / betaK[j]! + eLambda[j]! * d * d)
        r[i * k + j] = lp
        if (lp > max) max = lp
      }
      let sum = 0
      for (let j = 0; j < k; j++) {
        const e = Math.exp(r[i * k + j]! - max)
        r[i * k + j] = e
        sum += e
      }
      for (let j = 0; j < k; j++) r[i * k + j]! /= sum
      evidence += counts[i]! * (max + Math.log(sum))
    }
    evidence /= total
    if (Math.abs(evidence - previous) < tol) break
    previous = evidence
  }

  // Expected stick-breaking weights; keep the modes above the threshold.
  const weights: number[] = []
  const means: number[] = []
  const stds: number[] = []
  let remaining = 1
  for (let j = 0; j < k; j++) {
    const ev = g1[j]! / (g1[j]! + g2[j]!)
    const w = ev * remaining
    remaining *= 1 - ev
    if (w < threshold) continue
    weights.push(w)
    means.push(mean + scale * mK[j]!)
    stds.push(Math.max(scale * Math.sqrt(bK[j]! / aK[j]!), scale * 1e-4))
  }
  if (weights.length === 0) {
    return { weights: Float64Array.of(1), means: Float64Array.of(mean), stds: Float64Array.of(scale) }
  }
  return { weights: Float64Array.from(weights), means: Float64Array.from(means), stds: Float64Array.from(stds) }
}

/** ψ(x) for x > 0: recurrence up to 6, then the asymptotic series. */
function digamma(x: number): number {
  let result = 0
  while (x < 6) {
    result -= 1 / x
    x += 1
  }
  const f = 1 / (x * x)
  return result + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132)))))
}
