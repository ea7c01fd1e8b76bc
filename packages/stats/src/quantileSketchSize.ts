import { badOption, checkOptionNames, checkPositive } from './internal/validate.js'

export interface QuantileSketchErrorOptions {
  /** Probability that the bound holds for a sketch (over its random compactions). Default 0.99. */
  readonly confidence?: number
}

export interface QuantileSketchSizeOptions extends QuantileSketchErrorOptions {
  /** Largest normalized rank error wanted, e.g. 0.005 for ±0.5% of the count. */
  readonly rankError: number
}

// sup_x |R̂(x) − R(x)| / n ≤ (A + B·√(2 ln(1/δ))) / k with probability ≥ 1 − δ: an upper envelope of err·k measured
// over 3,000+ sketches (bench/kll-error.bench.ts; k = 64 … 1024, n = 10⁴ … 10⁷, random, sorted, reversed and
// tie-heavy input, sketches merged from 8 partitions), Gaussian in its tail as KLL's error is (a sum of independent
// ±2^h compaction errors). Measured up to δ = 10⁻³; smaller δ extrapolate along that tail.
const A = 1.1
const B = 0.5

function checkConfidence(confidence: number, what: string): number {
  if (!(confidence >= 0.5 && confidence <= 1 - 1e-12)) {
    throw badOption(`${what}: confidence must be within [0.5, 1), got ${String(confidence)}.`)
  }
  return confidence
}

/**
 * Bound on the normalized rank error of a KLL sketch of size `k` (createQuantileSketch): with probability at least
 * `confidence`, every rank the sketch reports — `cdf(x)` for all x at once, and so every `quantile(q)` — is within
 * this fraction of the count of the exact one, for any input order and after any merges.
 */
export function quantileSketchRankError(k: number, options: QuantileSketchErrorOptions = {}): number {
  checkOptionNames(options, ['confidence'], 'quantileSketchRankError')
  if (!(Number.isInteger(k) && k >= 8))
    throw badOption(`quantileSketchRankError: k must be an integer ≥ 8, got ${String(k)}.`)
  const confidence = checkConfidence(options.confidence ?? 0.99, 'quantileSketchRankError')
  return (A + B * Math.sqrt(2 * Math.log(1 / (1 - confidence)))) / k
}

/** The smallest k whose {@link quantileSketchRankError} at `confidence` is at most `rankError`. */
export function quantileSketchSize(options: QuantileSketchSizeOptions): number {
  checkOptionNames(options, ['rankError', 'confidence'], 'quantileSketchSize')
  const rankError = checkPositive(options.rankError, 'rankError', 'quantileSketchSize')
  if (rankError >= 1) throw badOption(`quantileSketchSize: rankError must be below 1, got ${String(rankError)}.`)
  const confidence = checkConfidence(options.confidence ?? 0.99, 'quantileSketchSize')
  return Math.max(8, Math.ceil((A + B * Math.sqrt(2 * Math.log(1 / (1 - confidence)))) / rankError))
}
