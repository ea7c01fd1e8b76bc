import type { IsotonicModel } from '@modelgate/stats'
import { fitIsotonicRegression, predictIsotonicRegression, rocAuc } from '@modelgate/stats'
import type { PerformanceBaseline } from '../baseline.js'
import type { PerformanceFigures } from '../PerformanceFigures.js'
import type { BinLookup } from './bins.js'
import { lookupBin } from './bins.js'

/**
 * Confidence-based performance estimation (NannyML's CBPE) for a binary classifier: the score is calibrated on the
 * reference with isotonic regression; in a window without labels each row's calibrated probability p of being
 * positive gives, summed, the expected confusion matrix (a row predicted positive is a true positive with
 * probability p, a false positive with 1 − p, …) and, over the score bins, the expected ROC AUC (pairs across bins by
 * their expected positive and negative mass, ties within a bin counted half).
 */
export interface PerformanceSums {
  rows: number
  tp: number
  fp: number
  fn: number
  tn: number
  /** Per bin of the prediction column: expected positives and negatives. */
  readonly binPositive: Float64Array
  readonly binNegative: Float64Array
}

const PERFORMANCE_METRICS = ['rocAuc', 'precision', 'recall', 'f1', 'accuracy'] as const

export function emptyPerformanceSums(bins: number): PerformanceSums {
  return {
    rows: 0,
    tp: 0,
    fp: 0,
    fn: 0,
    tn: 0,
    binPositive: new Float64Array(bins),
    binNegative: new Float64Array(bins),
  }
}

/** Adds scores (finite ones) of a window: calibrated, then summed into the expected confusion matrix and bins. */
export function addScores(
  model: PerformanceBaseline,
  lookup: BinLookup,
  scores: ArrayLike<number>,
  sums: PerformanceSums,
): void {
  const p = predictIsotonicRegression(model.calibration as IsotonicModel, scores)
  for (let i = 0; i < p.length; i++) {
    const s = scores[i] as number
    const q = p[i] as number
    const b = lookupBin(lookup, s)
    sums.binPositive[b] = (sums.binPositive[b] as number) + q
    sums.binNegative[b] = (sums.binNegative[b] as number) + (1 - q)
    if (s >= model.threshold) {
      sums.tp += q
      sums.fp += 1 - q
    } else {
      sums.fn += q
      sums.tn += 1 - q
    }
    sums.rows++
  }
}

/** The figures of a confusion matrix (expected or realized) and an AUC. */
function figures(tp: number, fp: number, fn: number, tn: number, auc: number): PerformanceFigures {
  const precision = tp + fp > 0 ? tp / (tp + fp) : Number.NaN
  const recall = tp + fn > 0 ? tp / (tp + fn) : Number.NaN
  return {
    rocAuc: auc,
    precision,
    recall,
    f1: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : Number.NaN,
    accuracy: (tp + tn) / (tp + fp + fn + tn),
  }
}

/** The estimated figures of a window's sums. */
export function estimate(sums: PerformanceSums): PerformanceFigures {
  let pairs = 0
  let positives = 0
  let negativesBelow = 0
  for (let b = 0; b < sums.binPositive.length; b++) {
    const pos = sums.binPositive[b] as number
    const neg = sums.binNegative[b] as number
    pairs += pos * (negativesBelow + neg / 2)
    negativesBelow += neg
    positives += pos
  }
  const auc = positives > 0 && negativesBelow > 0 ? pairs / (positives * negativesBelow) : Number.NaN
  return figures(sums.tp, sums.fp, sums.fn, sums.tn, auc)
}

/** Realized figures from scores and 0/1 labels. */
export function realized(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): PerformanceFigures {
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  for (let i = 0; i < scores.length; i++) {
    const predicted = (scores[i] as number) >= threshold
    const y = labels[i] === 1
    if (predicted && y) tp++
    else if (predicted) fp++
    else if (y) fn++
    else tn++
  }
  const auc = tp + fn > 0 && fp + tn > 0 ? rocAuc(scores, labels) : Number.NaN
  return figures(tp, fp, fn, tn, auc)
}

/**
 * Fits the calibration on the reference and the bands: the realized figures on consecutive reference chunks, whose
 * mean ± 3σ is NannyML's band. The isotonic map is stored compressed (the first and last score of each constant block:
 * the same interpolation), so a baseline never holds one score per row.
 */
export function fitPerformance(
  scores: Float64Array,
  labels: Float64Array,
  options: { readonly column: string; readonly target: string; readonly threshold: number; readonly chunkRows: number },
): PerformanceBaseline {
  const fitted = fitIsotonicRegression(scores, labels)
  const x: number[] = []
  const y: number[] = []
  for (let i = 0; i < fitted.x.length; i++) {
    const yi = fitted.y[i] as number
    const same = (j: number): boolean => j >= 0 && j < fitted.x.length && fitted.y[j] === yi
    if (!(same(i - 1) && same(i + 1))) {
      x.push(fitted.x[i] as number)
      y.push(yi)
    }
  }
  const reference = realized(scores, labels, options.threshold)
  const chunks = Math.max(2, Math.floor(scores.length / options.chunkRows))
  const perChunk: PerformanceFigures[] = []
  for (let c = 0; c < chunks; c++) {
    const from = Math.floor((c * scores.length) / chunks)
    const to = Math.floor(((c + 1) * scores.length) / chunks)
    perChunk.push(realized(scores.subarray(from, to), labels.subarray(from, to), options.threshold))
  }
  const bands = Object.fromEntries(
    PERFORMANCE_METRICS.map((m) => {
      const values = perChunk.map((f) => f[m]).filter((v) => Number.isFinite(v))
      const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)
      const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1))
      return [m, { mean, std }]
    }),
  ) as PerformanceBaseline['bands']
  return {
    column: options.column,
    target: options.target,
    threshold: options.threshold,
    calibration: { x, y, increasing: fitted.increasing },
    reference: Object.fromEntries(
      PERFORMANCE_METRICS.map((m) => [m, Number.isFinite(reference[m]) ? reference[m] : null]),
    ) as PerformanceBaseline['reference'],
    chunks,
    bands,
  }
}

const POSITIVE = new Set(['1', 'true', 'yes', 'positive'])
const NEGATIVE = new Set(['0', 'false', 'no', 'negative'])

/** A label as 0/1: booleans, 0/1 numbers, text 1/true/yes/positive and 0/false/no/negative (or `positive` named); NaN otherwise. */
export function binaryLabel(label: string | number | boolean, positive?: string): number {
  if (typeof label === 'boolean') return label ? 1 : 0
  if (typeof label === 'number') return label === 1 ? 1 : label === 0 ? 0 : Number.NaN
  if (positive !== undefined) return label === positive ? 1 : 0
  const t = label.trim().toLowerCase()
  return POSITIVE.has(t) ? 1 : NEGATIVE.has(t) ? 0 : Number.NaN
}
