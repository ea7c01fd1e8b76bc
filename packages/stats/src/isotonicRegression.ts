import { argsortFloat64 } from './internal/radixSort.js'
import { asFiniteFloat64, assertSameLength, badOption, checkOptionNames, toFiniteFloat64 } from './internal/validate.js'

export interface IsotonicRegressionOptions {
  /** Positive weights, one per value. Default all 1. */
  readonly weights?: ArrayLike<number>
  /** Fit a nondecreasing (default) or a nonincreasing sequence. */
  readonly increasing?: boolean
}

export interface IsotonicRegressionResult {
  /** The monotone least-squares fit, one value per input value. */
  readonly fitted: Float64Array
  /** Start index of each block of equal fitted values, then the length (scipy's `blocks`). */
  readonly blocks: Uint32Array
  /** Total weight of each block. */
  readonly blockWeights: Float64Array
}

/**
 * Isotonic regression of an ordered sequence: the nondecreasing (or nonincreasing) sequence closest to `y` in weighted
 * least squares, by the pool-adjacent-violators algorithm (Ayer et al. 1955; O(n), a stack of blocks whose weighted
 * means are merged while they violate the order), as scipy.optimize.isotonic_regression.
 */
export function isotonicRegression(
  y: ArrayLike<number>,
  options: IsotonicRegressionOptions = {},
): IsotonicRegressionResult {
  checkOptionNames(options, ['weights', 'increasing'], 'isotonicRegression')
  const values = toFiniteFloat64(y, 'isotonicRegression: y')
  const weights = weightsOf(options.weights, values.length, 'isotonicRegression')
  const increasing = options.increasing ?? true
  if (!increasing) {
    // as scipy: fit the reversed sequence increasing, then reverse back
    values.reverse()
    weights.reverse()
    const r = pava(values, weights)
    r.fitted.reverse()
    r.blockWeights.reverse()
    const n = values.length
    const blocks = Uint32Array.from(r.blocks, (b) => n - b).reverse()
    return { fitted: r.fitted, blocks, blockWeights: r.blockWeights }
  }
  return pava(values, weights)
}

function weightsOf(w: ArrayLike<number> | undefined, n: number, what: string): Float64Array {
  if (w === undefined) return new Float64Array(n).fill(1)
  if (w.length !== n) throw badOption(`${what}: ${w.length} weights for ${n} values; expected one weight per value.`)
  const out = toFiniteFloat64(w, `${what}: weights`)
  for (let i = 0; i < n; i++) {
    if (!((out[i] as number) > 0)) throw badOption(`${what}: weight at index ${i} is ${String(out[i])}; expected > 0.`)
  }
  return out
}

function pava(y: Float64Array, w: Float64Array): IsotonicRegressionResult {
  const n = y.length
  const mean = new Float64Array(n)
  const weight = new Float64Array(n)
  const start = new Uint32Array(n + 1)
  let b = 0 // number of blocks on the stack
  for (let i = 0; i < n; i++) {
    let m = y[i] as number
    let wt = w[i] as number
    let s = i
    while (b > 0 && (mean[b - 1] as number) >= m) {
      // the new block violates the order with the one below: pool them
      const w0 = weight[b - 1] as number
      m = ((mean[b - 1] as number) * w0 + m * wt) / (w0 + wt)
      wt += w0
      s = start[b - 1] as number
      b--
    }
    mean[b] = m
    weight[b] = wt
    start[b] = s
    b++
  }
  start[b] = n
  const fitted = new Float64Array(n)
  for (let k = 0; k < b; k++) fitted.fill(mean[k] as number, start[k] as number, start[k + 1] as number)
  return { fitted, blocks: start.slice(0, b + 1), blockWeights: weight.slice(0, b) }
}

/** A monotone calibration map: fitted values at the distinct inputs, linear in between. JSON-safe as plain arrays. */
export interface IsotonicModel {
  readonly x: readonly number[]
  readonly y: readonly number[]
  readonly increasing: boolean
}

/**
 * Isotonic regression of y on x (e.g. outcome on model score, for calibration as in NannyML's CBPE): observations are
 * ordered by x, equal x are pooled (weighted mean of y, summed weight), the pooled sequence is fitted by
 * {@link isotonicRegression}, and predictions interpolate linearly between the distinct x and clip outside them —
 * sklearn.isotonic.IsotonicRegression(out_of_bounds='clip').
 */
export function fitIsotonicRegression(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: IsotonicRegressionOptions = {},
): IsotonicModel {
  checkOptionNames(options, ['weights', 'increasing'], 'fitIsotonicRegression')
  assertSameLength(x, y, 'fitIsotonicRegression: x and y')
  const xs = toFiniteFloat64(x, 'fitIsotonicRegression: x')
  const ys = asFiniteFloat64(y, 'fitIsotonicRegression: y')
  const ws = weightsOf(options.weights, xs.length, 'fitIsotonicRegression')
  const order = argsortFloat64(xs)
  const ux: number[] = []
  const sy: number[] = []
  const sw: number[] = []
  for (let r = 0; r < order.length; ) {
    const v = xs[order[r] as number] as number
    let wy = 0
    let wt = 0
    while (r < order.length && xs[order[r] as number] === v) {
      const i = order[r] as number
      wy += (ws[i] as number) * (ys[i] as number)
      wt += ws[i] as number
      r++
    }
    ux.push(v)
    sy.push(wy / wt)
    sw.push(wt)
  }
  const increasing = options.increasing ?? true
  const fit = isotonicRegression(sy, { weights: sw, increasing })
  return { x: ux, y: Array.from(fit.fitted), increasing }
}

/** Values of an {@link IsotonicModel} at `values`: linear between its points, clipped to its range outside. */
export function predictIsotonicRegression(model: IsotonicModel, values: ArrayLike<number>): Float64Array {
  const q = asFiniteFloat64(values, 'predictIsotonicRegression: values')
  const { x, y } = model
  const n = x.length
  if (n === 0 || y.length !== n) throw badOption('predictIsotonicRegression: the model has no points.')
  const out = new Float64Array(q.length)
  for (let i = 0; i < q.length; i++) {
    const v = q[i] as number
    if (v <= (x[0] as number)) out[i] = y[0] as number
    else if (v >= (x[n - 1] as number)) out[i] = y[n - 1] as number
    else {
      let lo = 0
      let hi = n - 1
      while (hi - lo > 1) {
        const mid = (lo + hi) >>> 1
        if ((x[mid] as number) <= v) lo = mid
        else hi = mid
      }
      const x0 = x[lo] as number
      const y0 = y[lo] as number
      // numpy.interp's formula
      const slope = ((y[hi] as number) - y0) / ((x[hi] as number) - x0)
      out[i] = slope * (v - x0) + y0
    }
  }
  return out
}
