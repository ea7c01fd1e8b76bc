import { argsortFloat64 } from './internal/radixSort.js'
import { asFiniteFloat64, assertSameLength, badOption, checkOptionNames, toFiniteFloat64 } from './internal/validate.js'

export interface RocAucOptions {
  /** Sample weights (≥ 0), as sklearn's `sample_weight`. */
  readonly weights?: ArrayLike<number>
}

/**
 * Area under the ROC curve of `scores` for `labels`, with tied scores counted half (the trapezoidal ROC, as
 * sklearn.metrics.roc_auc_score): AUC = Σ_i Σ_j P_i N_j ([s_i > s_j] + ½[s_i = s_j]) / (ΣP · ΣN), with P_i = w_i·y_i
 * and N_i = w_i·(1 − y_i) — for 0/1 labels the Mann–Whitney U of the positives over n⁺n⁻. A label between 0 and 1
 * counts as that fraction positive: with calibrated probabilities as labels this is the expected AUC that
 * confidence-based performance estimation (CBPE) reports without ground truth. One sort, O(n log n).
 * NaN when either class has no weight.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>, options: RocAucOptions = {}): number {
  checkOptionNames(options, ['weights'], 'rocAuc')
  assertSameLength(scores, labels, 'rocAuc: scores and labels')
  const s = toFiniteFloat64(scores, 'rocAuc: scores')
  const y = asFiniteFloat64(labels, 'rocAuc: labels')
  const n = s.length
  for (let i = 0; i < n; i++) {
    const v = y[i] as number
    if (!(v >= 0 && v <= 1))
      throw badOption(`rocAuc: label at index ${i} is ${String(v)}; expected 0, 1 or a probability.`)
  }
  let w: Float64Array | undefined
  if (options.weights !== undefined) {
    assertSameLength(scores, options.weights, 'rocAuc: scores and weights')
    w = asFiniteFloat64(options.weights, 'rocAuc: weights')
    for (let i = 0; i < n; i++) {
      if (!((w[i] as number) >= 0)) throw badOption(`rocAuc: weight at index ${i} is ${String(w[i])}; expected ≥ 0.`)
    }
  }
  const order = argsortFloat64(s)
  let negBelow = 0 // negative weight with a smaller score
  let area = 0
  let totalPos = 0
  for (let i = 0; i < n; ) {
    const v = s[order[i] as number] as number
    let pos = 0
    let neg = 0
    while (i < n && s[order[i] as number] === v) {
      const idx = order[i] as number
      const wi = w === undefined ? 1 : (w[idx] as number)
      pos += wi * (y[idx] as number)
      neg += wi * (1 - (y[idx] as number))
      i++
    }
    area += pos * (negBelow + neg / 2)
    negBelow += neg
    totalPos += pos
  }
  return totalPos > 0 && negBelow > 0 ? area / (totalPos * negBelow) : Number.NaN
}
