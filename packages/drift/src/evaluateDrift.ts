import type { Chart, CheckResult, Report, Verdict } from '@modelgate/core'
import { createReport, formatCount, formatNumber, formatPercent } from '@modelgate/core'
import type { TestResult } from '@modelgate/stats'
import {
  benjaminiHochberg,
  chiSquareTest,
  hellinger,
  holmBonferroni,
  jensenShannon,
  ksTest,
  ksTestFromSketches,
  normalCdf,
  proportionsZTest,
  psiFromCounts,
  studentTCdf,
  totalVariation,
} from '@modelgate/stats'
import type { CategoricalColumnBaseline, ColumnBaseline, NumericColumnBaseline } from './baseline.js'
import type {
  CategoricalAccumulator,
  ColumnAccumulator,
  DriftState,
  EvaluateOptions,
  NumericAccumulator,
} from './DriftState.js'
import { DriftError } from './errors.js'
import { binnedWasserstein } from './internal/binnedWasserstein.js'
import { sumBins } from './internal/bins.js'
import { estimate } from './internal/cbpe.js'
import { numericReference } from './internal/referenceCache.js'
import { exactValues } from './internal/sketch.js'
import type { PerformanceFigures } from './PerformanceFigures.js'
import type { MethodChoice } from './resolveMethods.js'
import { resolveMethods } from './resolveMethods.js'

const COARSE_BINS = 10
const OPTION_NAMES = new Set([
  'methods',
  'failOn',
  'alpha',
  'correction',
  'minRows',
  'nullRateIncrease',
  'nullRateRatio',
  'unseenShare',
  'outOfRangeShare',
  'columns',
  'currentName',
  'thresholds',
  'multivariateSigmas',
  'realizedPerformance',
])

interface ColumnOutcome {
  readonly column: ColumnBaseline
  readonly choice: MethodChoice
  readonly result: TestResult | undefined
  /** Why no result: too few values, a type change, missing. */
  readonly skipped?: { readonly verdict: Verdict; readonly reason: string }
  readonly approximate: boolean
  readonly chart?: Chart
  adjustedP?: number | undefined
}

/** Compares a window state with its baseline (see the README's verdict rule). */
export function evaluateDrift(state: DriftState, options: EvaluateOptions = {}): Report {
  const started = performance.now()
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `evaluate: unknown option "${key}"; expected one of ${[...OPTION_NAMES].join(', ')}.`,
      )
    }
  }
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
    outcomes.push(compareColumn(column, acc, choice, minRows, baseline.source.rows))
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
      ? `${name}: ${o.choice.method}${approx} p = ${formatP(o.adjustedP ?? (r.pValue as number))}${o.adjustedP !== undefined && correction !== 'none' ? ` (${correction}-adjusted; raw ${formatP(r.pValue as number)})` : ''} ${isDrift ? '<' : '≥'} ${o.choice.threshold}, statistic ${formatNumber(r.statistic)}${isDrift ? ' — drift' : ''}`
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

function currentCount(acc: ColumnAccumulator): number {
  if (acc.kind === 'numeric' || acc.kind === 'pii') return acc.count
  if (acc.kind === 'categorical') return acc.counts.reduce((a, b) => a + b, 0)
  return acc.present - acc.nulls
}

function compareColumn(
  column: ColumnBaseline,
  acc: ColumnAccumulator,
  choice: MethodChoice,
  minRows: number,
  referenceRows: number,
): ColumnOutcome {
  const base = { column, choice, approximate: false }
  if (acc.present === 0)
    return { ...base, result: undefined, skipped: { verdict: 'skip', reason: 'missing from the current sample' } }
  if (acc.typeErrors > 0 && acc.typeErrors >= currentCount(acc)) {
    return { ...base, result: undefined, skipped: { verdict: 'skip', reason: 'type change: drift not computed' } }
  }
  const n = currentCount(acc)
  if (n < minRows) {
    return {
      ...base,
      result: undefined,
      skipped: {
        verdict: 'inconclusive',
        reason: `${formatCount(n)} non-null value${n === 1 ? '' : 's'} in the current sample, fewer than the ${minRows} needed to judge drift`,
      },
    }
  }
  if (column.kind === 'numeric' && acc.kind === 'numeric') return compareNumeric(column, acc, choice, referenceRows)
  if (column.kind === 'categorical' && acc.kind === 'categorical') return compareCategorical(column, acc, choice)
  return {
    ...base,
    result: undefined,
    skipped: { verdict: 'skip', reason: `${column.kind} columns are not tested for drift` },
  }
}

function compareNumeric(
  column: NumericColumnBaseline,
  acc: NumericAccumulator,
  choice: MethodChoice,
  _referenceRows: number,
): ColumnOutcome {
  const reference = numericReference(column, COARSE_BINS)
  const starts = reference.coarseStarts
  const ref = reference.coarseCounts
  const cur = sumBins(acc.bins, starts)
  const chart = numericChart(column, ref, cur, starts)
  const distance = { threshold: choice.threshold }
  const test = { alpha: choice.threshold }
  let result: TestResult
  let approximate = false
  switch (choice.method) {
    case 'wasserstein':
      result = binnedWasserstein(column, acc, choice.threshold)
      approximate = true
      break
    case 'ks': {
      if (reference.sketch === null || acc.sketch === null) {
        throw new DriftError(
          'MG_DRIFT_BAD_OPTION',
          `column "${column.name}": ks needs quantile sketches (the baseline was built without them, or the window state was created for another method).`,
          { hint: 'Pass the same methods to createDriftState as to evaluate; build the baseline with sketches.' },
        )
      }
      const refValues = reference.exact
      const curValues =
        refValues === undefined || acc.sketch.retained !== acc.sketch.count
          ? undefined
          : exactValues(acc.sketch.toJSON())
      if (refValues !== undefined && curValues !== undefined) result = ksTest(refValues, curValues, test)
      else {
        result = ksTestFromSketches(reference.sketch, acc.sketch, test)
        approximate = true
      }
      break
    }
    case 'psi':
      result = psiFromCounts(ref, cur, distance)
      break
    case 'jensenshannon':
      result = jensenShannon(ref, cur, distance)
      break
    case 'hellinger':
      result = hellinger(ref, cur, distance)
      break
    case 'tvd':
      result = totalVariation(ref, cur, distance)
      break
    case 'chisquare':
      result = chiSquareTest(ref, cur, test)
      break
    default:
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `column "${column.name}": ${choice.method} does not fit a numeric column.`,
      )
  }
  return { column, choice, result, approximate, chart }
}

function compareCategorical(
  column: CategoricalColumnBaseline,
  acc: CategoricalAccumulator,
  choice: MethodChoice,
): ColumnOutcome {
  const ref = Float64Array.from([...column.categories.map(([, n]) => n), column.other])
  const cur = acc.counts
  const labels = [...column.categories.map(([key]) => key), '(other)']
  const chart: Chart = {
    kind: 'bars',
    title: `${column.name}: reference vs current`,
    labels,
    series: [
      { name: 'reference', values: proportions(ref) },
      { name: 'current', values: proportions(cur) },
    ],
  }
  const distance = { threshold: choice.threshold }
  const test = { alpha: choice.threshold }
  let result: TestResult
  switch (choice.method) {
    case 'jensenshannon':
      result = jensenShannon(ref, cur, distance)
      break
    case 'psi':
      result = psiFromCounts(ref, cur, distance)
      break
    case 'hellinger':
      result = hellinger(ref, cur, distance)
      break
    case 'tvd':
      result = totalVariation(ref, cur, distance)
      break
    case 'chisquare':
      result = chiSquareTest(ref, cur, test)
      break
    case 'z': {
      const refN = (ref[0] as number) + (ref[1] as number)
      const curN = (cur[0] as number) + (cur[1] as number) + (cur[2] as number)
      result = proportionsZTest(ref[0] as number, refN, cur[0] as number, curN, test)
      break
    }
    default:
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `column "${column.name}": ${choice.method} does not fit a categorical column.`,
      )
  }
  return { column, choice, result, approximate: false, chart }
}

function proportions(counts: ArrayLike<number>): number[] {
  let total = 0
  for (let i = 0; i < counts.length; i++) total += counts[i] as number
  return Array.from(counts, (c) => (total === 0 ? 0 : c / total))
}

function numericChart(
  column: NumericColumnBaseline,
  ref: Float64Array,
  cur: Float64Array,
  starts: readonly number[],
): Chart {
  const edge = (i: number): string => formatNumber(column.edges[i] as number, { significant: 4 })
  const labels = starts.map((start, g) => {
    const next = starts[g + 1]
    if (g === 0) return next === undefined ? 'all' : `< ${edge(next - 1)}`
    if (next === undefined) return `≥ ${edge(start - 1)}`
    return `[${edge(start - 1)}, ${edge(next - 1)})`
  })
  return {
    kind: 'bars',
    title: `${column.name}: reference vs current`,
    labels,
    series: [
      { name: 'reference', values: proportions(ref) },
      { name: 'current', values: proportions(cur) },
    ],
  }
}

function formatP(p: number): string {
  return p < 1e-4 ? p.toExponential(1) : formatNumber(p, { significant: 3 })
}

interface QualityOptions extends EvaluateOptions {
  readonly alpha: number
  readonly minRows: number
}

function qualityChecks(
  column: ColumnBaseline,
  acc: ColumnAccumulator,
  rows: number,
  options: QualityOptions,
): CheckResult[] {
  const name = column.name
  const group = 'Data quality'
  const out: CheckResult[] = []
  if (acc.present === 0) {
    out.push({
      id: `drift.quality.missing.${name}`,
      name,
      group,
      verdict: 'fail',
      message: `${name}: missing from every one of the ${formatCount(rows)} current rows (the baseline has it)`,
      metrics: { rows },
    })
    return out
  }
  if (acc.typeErrors > 0) {
    const expected =
      column.kind === 'numeric' || (column.kind === 'categorical' && column.valueType === 'number')
        ? 'numbers'
        : column.kind === 'categorical'
          ? `${column.valueType} values`
          : 'values of its type'
    out.push({
      id: `drift.quality.type.${name}`,
      name,
      group,
      verdict: 'fail',
      message: `${name}: type change — ${formatCount(acc.typeErrors)} of ${formatCount(acc.present - acc.nulls)} values are not ${expected} (the baseline has ${expected})`,
      metrics: { typeErrors: acc.typeErrors },
    })
  }
  const small = acc.present < options.minRows
  // null rate
  const refRate = column.rows === 0 ? 0 : column.nulls / column.rows
  const curRate = acc.nulls / acc.present
  const increase = options.nullRateIncrease ?? 0.05
  const ratio = options.nullRateRatio ?? 2
  let nullVerdict: Verdict = 'pass'
  let why = ''
  if (curRate - refRate > increase) {
    nullVerdict = 'fail'
    why = ` — up ${formatPercent(curRate - refRate)} points, more than ${formatPercent(increase)}`
  } else if (curRate > ratio * refRate && acc.nulls > 0 && column.rows > 0) {
    const z = proportionsZTest(acc.nulls, acc.present, column.nulls, column.rows, {
      alpha: options.alpha,
      alternative: 'greater',
    })
    if (!z.passed) {
      nullVerdict = 'fail'
      why = ` — more than ${ratio}× the reference (one-sided z-test p = ${formatP(z.pValue as number)})`
    }
  }
  // A failing quality check on a window too small to judge is inconclusive, not a failure.
  const judged = (fail: boolean): Verdict => (fail ? (small ? 'inconclusive' : 'fail') : 'pass')
  nullVerdict = judged(nullVerdict === 'fail')
  out.push({
    id: `drift.quality.null_rate.${name}`,
    name,
    group,
    verdict: nullVerdict,
    message: `${name}: null rate ${formatPercent(curRate)} (reference ${formatPercent(refRate)})${why}${small && why !== '' ? ` — only ${acc.present} rows, too few to judge` : ''}`,
    metrics: { nullRate: curRate, referenceNullRate: refRate, present: acc.present },
  })
  if (column.kind === 'categorical' && acc.kind === 'categorical') {
    const total = acc.counts.reduce((a, b) => a + b, 0)
    if (total > 0) {
      const curShare = (acc.counts[acc.counts.length - 1] as number) / total
      const refShare = column.count === 0 ? 0 : column.other / column.count
      const bound = options.unseenShare ?? 0.05
      const fail = curShare - refShare > bound
      out.push({
        id: `drift.quality.unseen.${name}`,
        name,
        group,
        verdict: judged(fail),
        message: `${name}: ${formatPercent(curShare)} of values outside the baseline's categories (reference ${formatPercent(refShare)} rare)${fail ? ` — up more than ${formatPercent(bound)}` : ''}`,
        metrics: { unseenShare: curShare, referenceShare: refShare },
      })
    }
  }
  if (column.kind === 'numeric' && acc.kind === 'numeric' && acc.count > 0) {
    const curShare = (acc.below + acc.above) / acc.count
    const refShare = column.count === 0 ? 0 : (column.below + column.above) / column.count
    const bound = options.outOfRangeShare ?? 0.05
    const fail = curShare - refShare > bound
    out.push({
      id: `drift.quality.out_of_range.${name}`,
      name,
      group,
      verdict: judged(fail),
      message: `${name}: ${formatPercent(curShare)} of values outside the reference's trimmed range (reference ${formatPercent(refShare)})${fail ? ` — up more than ${formatPercent(bound)}` : ''}`,
      metrics: { outOfRangeShare: curShare, referenceShare: refShare },
    })
  }
  if (column.kind === 'pii' && acc.kind === 'pii' && acc.count > 0) {
    const curShare = acc.valid / acc.count
    const refShare = column.count === 0 ? 1 : column.valid / column.count
    const fail = refShare - curShare > 0.05
    out.push({
      id: `drift.quality.format.${name}`,
      name,
      group,
      verdict: judged(fail),
      message: `${name}: ${formatPercent(curShare)} of values have a valid ${column.piiType} format (reference ${formatPercent(refShare)})`,
      metrics: { validShare: curShare, referenceValidShare: refShare },
    })
  }
  return out
}

/** The learned thresholds of the window size closest to the state's rows, applied to automatically chosen distances. */
function withLearnedThresholds(
  methods: ReadonlyMap<string, MethodChoice>,
  state: DriftState,
  mode: 'fixed' | 'learned',
): ReadonlyMap<string, MethodChoice> {
  if (mode === 'fixed') return methods
  if (mode !== 'learned') {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      `evaluate: thresholds must be "fixed" or "learned", got ${JSON.stringify(mode)}.`,
    )
  }
  const sets = state.baseline.learned ?? []
  if (sets.length === 0) {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      'evaluate: the baseline holds no learned thresholds; build it with windowRows (the declared window sizes).',
    )
  }
  const rows = Math.max(1, state.rows)
  const set = [...sets].sort(
    (a, b) => Math.abs(Math.log(a.windowRows / rows)) - Math.abs(Math.log(b.windowRows / rows)),
  )[0] as (typeof sets)[number]
  const out = new Map(methods)
  const applicable = set.columns.filter((learned) => {
    const choice = methods.get(learned.name)
    return choice !== undefined && !choice.pValue && choice.source === 'auto' && choice.method === learned.method
  })
  // NannyML's rule is mean + 3σ of the chunk statistics (stored as `threshold`). The gate uses the same idea as a
  // prediction interval that holds across columns: on the log of the statistic (distances are positive and
  // right-skewed), with Student's t for σ estimated from few chunks, at the one-sided level Φ(−3) = 0.135% split
  // over the m columns (Bonferroni) — so the dataset's false-alarm rate stays near 0.135%, not m times it
  const level = normalCdf(-3) / Math.max(1, applicable.length)
  const k = studentTPpf(1 - level, set.chunks - 1) * Math.sqrt(1 + 1 / set.chunks)
  for (const learned of applicable) {
    const choice = methods.get(learned.name) as MethodChoice
    out.set(learned.name, {
      ...choice,
      threshold: Math.max(Math.exp(learned.logMean + k * learned.logStd), 1e-9),
      source: `learned for ${set.windowRows.toLocaleString('en-US')}-row windows (${set.chunks} reference chunks)`,
    })
  }
  return out
}

/** NannyML's multivariate drift: the window's mean PCA reconstruction error against the reference's. */
function multivariateCheck(
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

/** The p-quantile of Student's t with df degrees of freedom, by bisection on stats' studentTCdf. */
function studentTPpf(p: number, df: number): number {
  let lo = 0
  let hi = 1
  while (studentTCdf(hi, df) < p && hi < 1e6) hi *= 2
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2
    if (studentTCdf(mid, df) < p) lo = mid
    else hi = mid
  }
  return (lo + hi) / 2
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
function performanceChecks(
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
