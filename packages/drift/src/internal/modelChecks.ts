import type { CheckResult } from '@modelgate/core'
import { formatCount, formatNumber } from '@modelgate/core'
import type { DriftState, EvaluateOptions } from '../DriftState.js'
import type { PerformanceFigures } from '../PerformanceFigures.js'
import { estimate } from './cbpe.js'

// The checks of the window as a whole: multivariate drift (PCA reconstruction error) and CBPE's estimated performance.

/** NannyML's multivariate drift: the window's mean PCA reconstruction error against the reference's. */
export function multivariateCheck(
  state: DriftState,
  minRows: number,
  sigmas: number,
  failOn: 'any' | { readonly share: number },
): CheckResult | undefined {
  const model = state.baseline.multivariate
  const sums = state.multivariate
  if (model === undefined || model === null || sums === null) return undefined
  const base = { id: 'drift.multivariate', name: 'PCA reconstruction error', group: 'Multivariate drift' }
  const missing = model.columns.filter((name) => {
    const acc = state.columns.get(name)
    return acc === undefined || acc.present === 0 || acc.typeErrors > 0
  })
  if (missing.length > 0) {
    return {
      ...base,
      verdict: 'skip',
      message: `multivariate: not computed — ${missing.join(', ')} missing or of another type (see data quality)`,
    }
  }
  if (sums.count < minRows) {
    return {
      ...base,
      verdict: 'inconclusive',
      message: `multivariate: ${sums.count} rows, fewer than the ${minRows} needed to judge`,
    }
  }
  const mean = sums.sum / sums.count
  const se = Math.sqrt(model.errorVariance / sums.count + model.errorVariance / Math.max(1, model.rows))
  const z = se > 0 ? (mean - model.errorMean) / se : 0
  const drift = Math.abs(z) > sigmas
  // the columns behind it: those whose mean squared residual rose most (a third of the largest rise or more)
  const rises = model.columns.map((name, j) => ({
    name,
    rise: (sums.residuals[j] as number) / sums.count - (model.residuals[j] as number),
  }))
  const top = Math.max(0, ...rises.map((r) => r.rise))
  const named = drift
    ? rises
        .filter((r) => r.rise > 0 && r.rise >= top / 3)
        .sort((a, b) => b.rise - a.rise)
        .map((r) => r.name)
    : []
  return {
    ...base,
    verdict: drift ? (failOn === 'any' ? 'fail' : 'warn') : 'pass',
    message: `multivariate (PCA on ${model.columns.length} numeric columns, ${model.components.length} components): reconstruction error ${formatNumber(mean, { significant: 4 })} vs reference ${formatNumber(model.errorMean, { significant: 4 })} (z = ${formatNumber(z, { significant: 3 })}, ${drift ? '>' : '≤'} ${sigmas}σ)${drift ? ` — the joint distribution changed, most in ${named.join(', ')}` : ''}`,
    metrics: { statistic: mean, referenceError: model.errorMean, z, threshold: sigmas, currentRows: sums.count },
    details: {
      method: 'pca-reconstruction',
      columns: model.columns,
      components: model.components.length,
      drifted: drift,
      named,
    },
  }
}

const METRIC_NAMES: Readonly<Record<string, string>> = {
  rocAuc: 'ROC AUC',
  precision: 'precision',
  recall: 'recall',
  f1: 'F1',
}

/**
 * CBPE (NannyML): per figure, the window's estimate against the band mean ± 3σ of the realized figure over reference
 * chunks; an estimate below the band fails (the model got worse), above it passes with a note. Realized figures, when
 * labels arrived, stand beside the estimate.
 */
export function performanceChecks(
  state: DriftState,
  minRows: number,
  failOn: 'any' | { readonly share: number },
  realized: EvaluateOptions['realizedPerformance'],
): CheckResult[] {
  const model = state.baseline.performance
  const sums = state.performance
  if (model === undefined || model === null || sums === null) return []
  const group = 'Estimated performance (CBPE)'
  if (sums.rows < minRows) {
    return [
      {
        id: 'drift.performance',
        name: 'performance',
        group,
        verdict: 'inconclusive',
        message: `performance: ${sums.rows} scored rows, fewer than the ${minRows} needed to estimate it`,
      },
    ]
  }
  const est = estimate(sums)
  const fmt = (v: number): string => (Number.isFinite(v) ? v.toFixed(3) : 'n/a')
  return Object.entries(METRIC_NAMES).map(([metric, label]): CheckResult => {
    const key = metric as keyof PerformanceFigures
    const value = est[key]
    const band = model.bands[key]
    const lower = band.mean - 3 * band.std
    const upper = band.mean + 3 * band.std
    const below = Number.isFinite(value) && value < lower
    const real = realized?.figures[key]
    return {
      id: `drift.performance.${metric}`,
      name: label,
      group,
      verdict: !Number.isFinite(value) ? 'inconclusive' : below ? (failOn === 'any' ? 'fail' : 'warn') : 'pass',
      message: `estimated ${label} ${fmt(value)} (reference band ${fmt(lower)}–${fmt(upper)} over ${model.chunks} chunks; reference ${fmt(model.reference[key] ?? Number.NaN)})${real === undefined ? '' : `; realized ${fmt(real)} on ${formatCount(realized?.rows ?? 0)} labelled rows`}${below ? ' — below the band' : ''}`,
      metrics: {
        estimated: value,
        lower,
        upper,
        scoredRows: sums.rows,
        ...(real === undefined || !Number.isFinite(real) ? {} : { realized: real }),
      },
      details: { method: 'cbpe', threshold: model.threshold },
    }
  })
}
