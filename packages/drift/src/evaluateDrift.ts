import type { CheckResult, Report, Verdict } from '@modelgate/core'
import { createReport, formatNumber, formatPercent, formatStatistic } from '@modelgate/core'
import { benjaminiHochberg, holmBonferroni } from '@modelgate/stats'
import type { ColumnAccumulator, DriftState, EvaluateOptions } from './DriftState.js'
import { DriftError } from './errors.js'
import { checkEvaluateOptions } from './internal/arguments.js'
import type { ColumnOutcome } from './internal/compareColumn.js'
import { compareColumn, currentCount } from './internal/compareColumn.js'
import { multivariateCheck, performanceChecks } from './internal/modelChecks.js'
import { qualityChecks } from './internal/qualityChecks.js'
import { withLearnedThresholds } from './internal/withLearnedThresholds.js'
import { resolveMethods } from './resolveMethods.js'

/** Compares a window state with its baseline (see the README's verdict rule). */
export function evaluateDrift(state: DriftState, options: EvaluateOptions = {}): Report {
  const started = performance.now()
  checkEvaluateOptions(options)
  const baseline = state.baseline
  const alpha = options.alpha ?? 0.05
  const minRows = options.minRows ?? 30
  const failOn = options.failOn ?? 'any'
  if (failOn !== 'any' && !(failOn.share > 0 && failOn.share <= 1)) {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      `evaluate: failOn share must be in (0, 1], got ${String(failOn.share)}.`,
    )
  }
  const methods = withLearnedThresholds(
    options.methods === undefined ? state.methods : resolveMethods(baseline, options.methods),
    state,
    options.thresholds ?? 'fixed',
  )
  const wanted = options.columns === undefined ? undefined : new Set(options.columns)
  for (const name of wanted ?? []) {
    if (!state.columns.has(name))
      throw new DriftError('MG_DRIFT_BAD_OPTION', `evaluate: no column "${name}" in the baseline.`)
  }
  const title = `Drift: ${options.currentName ?? 'current'} vs ${baseline.source.name ?? 'baseline'}`
  if (state.rows === 0) {
    return createReport({
      kind: 'drift',
      title,
      checks: [
        {
          id: 'drift.window',
          name: 'window',
          group: 'Dataset',
          verdict: 'inconclusive',
          message: 'no rows in the current sample: nothing to compare',
          metrics: { currentRows: 0 },
        },
      ],
      summary: { currentRows: 0, referenceRows: baseline.source.rows },
      durationMs: performance.now() - started,
    })
  }

  const quality: CheckResult[] = []
  const outcomes: ColumnOutcome[] = []
  const testable = baseline.columns.filter((c) => wanted === undefined || wanted.has(c.name))
  const nullTests = testable.length
  for (const column of testable) {
    const acc = state.columns.get(column.name) as ColumnAccumulator
    quality.push(...qualityChecks(column, acc, state.rows, { ...options, alpha: alpha / nullTests, minRows }))
    const choice = methods.get(column.name)
    if (choice === undefined) continue
    outcomes.push(compareColumn(column, acc, choice, minRows))
  }
  // multiple testing across the p-value methods
  const tested = outcomes.filter((o) => o.result?.pValue !== undefined && o.choice.pValue)
  const ps = tested.map((o) => o.result?.pValue as number)
  const correction = options.correction ?? 'holm'
  const adjusted =
    ps.length === 0 || correction === 'none'
      ? ps
      : Array.from(correction === 'holm' ? holmBonferroni(ps, alpha).adjusted : benjaminiHochberg(ps, alpha).adjusted)
  tested.forEach((o, i) => {
    o.adjustedP = adjusted[i]
  })

  const isPrediction = (name: string): boolean => baseline.prediction?.column === name
  const columnChecks: CheckResult[] = []
  let drifted = 0
  let judged = 0
  const driftedNames: string[] = []
  for (const o of outcomes) {
    const name = o.column.name
    const group = isPrediction(name) ? 'Prediction drift' : 'Data drift'
    if (o.result === undefined) {
      const reason = o.skipped?.reason ?? 'not compared'
      columnChecks.push({
        id: `drift.column.${name}`,
        name,
        group,
        verdict: o.skipped?.verdict ?? 'skip',
        message: `${name}: ${reason}`,
        metrics: { threshold: o.choice.threshold },
        details: { method: o.choice.method, source: o.choice.source },
      })
      continue
    }
    const r = o.result
    const isDrift = o.choice.pValue
      ? (o.adjustedP ?? (r.pValue as number)) < o.choice.threshold
      : r.statistic >= o.choice.threshold
    judged++
    if (isDrift) {
      drifted++
      driftedNames.push(name)
    }
    const verdict: Verdict = isDrift ? (failOn === 'any' ? 'fail' : 'warn') : 'pass'
    const approx = o.approximate ? ' (approximate)' : ''
    const message = o.choice.pValue
      ? `${name}: ${o.choice.method}${approx} p = ${formatStatistic(o.adjustedP ?? (r.pValue as number))}${o.adjustedP !== undefined && correction !== 'none' ? ` (${correction}-adjusted; raw ${formatStatistic(r.pValue as number)})` : ''} ${isDrift ? '<' : '≥'} ${o.choice.threshold}, statistic ${formatNumber(r.statistic)}${isDrift ? ' — drift' : ''}`
      : `${name}: ${o.choice.method}${approx} ${formatNumber(r.statistic)} ${isDrift ? '≥' : '<'} ${o.choice.threshold}${isDrift ? ' — drift' : ''}`
    columnChecks.push({
      id: `drift.column.${name}`,
      name,
      group,
      verdict,
      message,
      metrics: {
        statistic: r.statistic,
        threshold: o.choice.threshold,
        ...(r.pValue === undefined ? {} : { pValue: r.pValue }),
        ...(o.adjustedP === undefined ? {} : { adjustedPValue: o.adjustedP }),
        referenceRows: o.column.count,
        currentRows: currentCount(state.columns.get(name) as ColumnAccumulator),
      },
      details: { method: o.choice.method, source: o.choice.source, approximate: o.approximate, drifted: isDrift },
      ...(o.chart === undefined ? {} : { charts: [o.chart] }),
    })
  }
  const extra = [...state.extraFields.keys()]
  if (extra.length > 0 && wanted === undefined) {
    quality.push({
      id: 'drift.quality.extra_fields',
      name: 'extra fields',
      group: 'Data quality',
      verdict: 'warn',
      message: `${extra.length} field${extra.length === 1 ? '' : 's'} not in the baseline (not tested): ${extra.join(', ')}`,
      metrics: { extraFields: extra.length },
    })
  }
  const share = judged === 0 ? 0 : drifted / judged
  const datasetVerdict: Verdict =
    judged === 0
      ? 'inconclusive'
      : failOn === 'any'
        ? drifted > 0
          ? 'fail'
          : 'pass'
        : share >= failOn.share
          ? 'fail'
          : drifted > 0
            ? 'warn'
            : 'pass'
  const rule =
    failOn === 'any' ? 'any drifted column fails' : `fails at ≥ ${formatPercent(failOn.share, 0)} of columns drifted`
  const dataset: CheckResult = {
    id: 'drift.dataset',
    name: 'dataset',
    group: 'Dataset',
    verdict: datasetVerdict,
    message:
      judged === 0
        ? 'no column had enough values to judge'
        : `${drifted} of ${judged} columns drifted (${formatPercent(share)}; ${rule})${driftedNames.length > 0 ? `: ${driftedNames.join(', ')}` : ''}`,
    metrics: { drifted, columns: judged, share },
  }
  const multivariate =
    wanted !== undefined ? undefined : multivariateCheck(state, minRows, options.multivariateSigmas ?? 3, failOn)
  const performanceResults =
    wanted !== undefined ? [] : performanceChecks(state, minRows, failOn, options.realizedPerformance)
  const failedQuality = quality.filter((q) => q.verdict === 'fail').length
  return createReport({
    kind: 'drift',
    title,
    summary: {
      drifted,
      columns: judged,
      driftShare: share,
      failedQualityChecks: failedQuality,
      referenceRows: baseline.source.rows,
      currentRows: state.rows,
      failOn: failOn === 'any' ? 'any' : `share:${failOn.share}`,
      correction,
    },
    checks: [
      dataset,
      ...columnChecks,
      ...(multivariate === undefined ? [] : [multivariate]),
      ...performanceResults,
      ...quality,
    ],
    durationMs: performance.now() - started,
  })
}
