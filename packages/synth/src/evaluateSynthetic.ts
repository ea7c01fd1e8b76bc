import type { ArgumentShape, Chart, CheckResult, Column, Random, Report, Table } from '@modelgate/core'
import {
  checkArgument,
  createRandom,
  createReport,
  detectPii,
  formatNumber,
  formatPercent,
  takeRows,
  trimmedBounds,
} from '@modelgate/core'
import { fitLogisticRegression, predictLogisticRegression, rocAuc } from '@modelgate/stats'
import { z } from 'zod'
import { SynthError } from './errors.js'
import type { PrivacyRiskSettings } from './evaluate/evaluatePrivacyRisks.js'
import { evaluatePrivacyRisks } from './evaluate/evaluatePrivacyRisks.js'
import { nullRateChecks } from './evaluate/nullRateChecks.js'
import { PRIVACY_ATTACKS_NOT_RUN } from './evaluate/privacyRiskChecks.js'
import { evaluateShape } from './internal/arguments.js'
import { closestDistances, createFeatureEncoder, createGowerEncoder } from './internal/encodeFeatures.js'
import type { EvalColumn } from './internal/evalColumn.js'
import { stringValues, toEvalColumn } from './internal/evalColumn.js'
import { isFreeText } from './internal/isFreeText.js'
import type { QualityScores } from './internal/qualityMetrics.js'
import { computeQuality, pearson } from './internal/qualityMetrics.js'

export interface EvaluateSyntheticOptions {
  /** The training data the synthesizer learned from. */
  readonly real: Table
  readonly synthetic: Table
  /**
   * Real rows the synthesizer never saw: the test set for TSTR/TRTR, the baseline of the distance to closest
   * record, and the control set of the privacy attacks (which are not run without it).
   */
  readonly holdout?: Table
  /** Binary target column for utility (train on synthetic, test on real). */
  readonly target?: string
  /** PII columns of the real data (default: detected by name and value shape). Excluded from quality. */
  readonly pii?: readonly string[]
  /** Overall quality below this fails the report (exit 1 in the CLI). */
  readonly failUnder?: number
  /** Rows sampled for the distance-to-closest-record computation (default 1,000 queries, 5,000 references). */
  readonly dcrQueries?: number
  readonly dcrReferences?: number
  /** The privacy attacks (singling out, linkability, attribute and membership inference) and their limits. */
  readonly privacy?: PrivacyRiskSettings
  /** Categories seen fewer than k times never appear in charts (default 5). */
  readonly k?: number
  readonly seed?: number
  /** File names for messages. */
  readonly names?: { readonly real?: string; readonly synthetic?: string; readonly holdout?: string }
}

const optionsArgument = z.object(evaluateShape satisfies ArgumentShape<EvaluateSyntheticOptions>)

export interface SynthEvaluation {
  readonly report: Report
  readonly quality: QualityScores
}

/**
 * Scores synthetic data against the real data it was learned from: SDMetrics-style quality (Column Shapes,
 * Column Pair Trends), utility (TSTR vs TRTR ROC AUC for a binary target) and privacy (exact matches, distance
 * to closest record against a holdout, PII leaks), as one report with charts. Never puts a PII value or a rare
 * category into the report.
 */
export function evaluateSynthetic(options: EvaluateSyntheticOptions): SynthEvaluation {
  checkArgument(optionsArgument, options, { call: 'evaluateSynthetic(options)', name: 'options' })
  const started = performance.now()
  const { real, synthetic } = options
  const k = options.k ?? 5
  const random = createRandom(options.seed ?? 0, 0xe7a1)
  const realName = options.names?.real ?? 'the real data'
  const synthName = options.names?.synthetic ?? 'the synthetic data'
  const synthByName = new Map(synthetic.columns.map((c) => [c.name, c]))
  const missing = real.columns.filter((c) => !synthByName.has(c.name)).map((c) => c.name)
  if (missing.length > 0) {
    throw new SynthError(
      'MG_SYNTH_EVALUATE_MISMATCH',
      `${synthName} lacks column${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')} of ${realName}.`,
      {
        hint: 'Compare files with the same columns (the synthetic file written by `synth generate` for a model trained on the real file).',
      },
    )
  }
  const piiTypes = new Map<string, string>()
  for (const c of real.columns) {
    const finding = detectPii(c, real.numRows)
    if (finding !== undefined) piiTypes.set(c.name, finding.type)
  }
  const piiColumns = new Set(options.pii ?? [...piiTypes.keys()])
  const evaluated = real.columns.filter(
    // Free text and codes (and categoricals whose repeated values cover less than half) are regenerated from their
    // shape, not learned (training's rule): not scored.
    (c) =>
      !piiColumns.has(c.name) &&
      c.kind !== 'id' &&
      !((c.kind === 'text' || c.kind === 'categorical') && isFreeTextColumn(c, real.numRows, k)),
  )
  const evalColumns: EvalColumn[] = evaluated.map((c) =>
    toEvalColumn(c, real.numRows, synthByName.get(c.name) as Column, synthetic.numRows),
  )
  const quality = computeQuality(evalColumns)
  const failUnder = options.failUnder
  const checks: CheckResult[] = []
  const charts: Chart[] = []

  checks.push({
    id: 'synth.quality.overall',
    name: 'Overall quality',
    group: 'Quality',
    verdict: failUnder !== undefined && quality.overall < failUnder ? 'fail' : 'pass',
    message: `overall ${formatNumber(quality.overall, { decimals: 3 })} = mean(Column Shapes ${formatNumber(quality.columnShapes, { decimals: 3 })}, Column Pair Trends ${formatNumber(quality.columnPairTrends, { decimals: 3 })})${failUnder === undefined ? '' : ` (fail under ${failUnder})`}`,
    metrics: {
      score: quality.overall,
      columnShapes: quality.columnShapes,
      columnPairTrends: quality.columnPairTrends,
      ...(failUnder === undefined ? {} : { threshold: failUnder }),
    },
  })
  quality.shapes.forEach((s, i) => {
    const col = evalColumns[i] as EvalColumn
    checks.push({
      id: `synth.shape.${s.column}`,
      name: s.column,
      group: 'Column Shapes',
      verdict: failUnder !== undefined && s.score < failUnder ? 'warn' : 'pass',
      message: `${s.metric} ${formatNumber(s.score, { decimals: 3 })}`,
      metrics: { score: s.score },
      charts: [columnChart(col, k)],
    })
  })
  for (const p of quality.pairs) {
    checks.push({
      id: `synth.pair.${p.columns[0]}.${p.columns[1]}`,
      name: `${p.columns[0]} × ${p.columns[1]}`,
      group: 'Column Pair Trends',
      verdict: failUnder !== undefined && p.score < failUnder ? 'warn' : 'pass',
      message: `${p.metric} ${formatNumber(p.score, { decimals: 3 })}${p.real === undefined ? '' : ` (ρ real ${formatNumber(p.real, { decimals: 3 })}, synthetic ${formatNumber(p.synthetic ?? 0, { decimals: 3 })})`}`,
      metrics: {
        score: p.score,
        ...(p.real === undefined ? {} : { realCorrelation: p.real, syntheticCorrelation: p.synthetic ?? 0 }),
      },
    })
  }
  charts.push(...correlationCharts(evalColumns), pairScoreChart(quality))
  checks.push(...nullRateChecks(real, synthetic, { real: realName, synthetic: synthName }))

  const summary: Record<string, number | string> = {
    quality: round(quality.overall),
    columnShapes: round(quality.columnShapes),
    columnPairTrends: round(quality.columnPairTrends),
    realRows: real.numRows,
    syntheticRows: synthetic.numRows,
  }

  const featureNames = evaluated.map((c) => c.name)
  if (options.target !== undefined) {
    const utility = runUtility(options, featureNames, k, random)
    summary.tstrAuc = round(utility.tstr)
    summary.trtrAuc = round(utility.trtr)
    const gap = utility.trtr - utility.tstr
    checks.push({
      id: 'synth.utility.tstr',
      name: `TSTR vs TRTR (${options.target})`,
      group: 'Utility',
      verdict: gap > 0.05 ? 'warn' : 'pass',
      message: `ROC AUC predicting ${options.target} = ${utility.positive}: train synthetic ${formatNumber(utility.tstr, { decimals: 3 })} vs train real ${formatNumber(utility.trtr, { decimals: 3 })} on ${utility.testRows.toLocaleString('en-US')} ${options.holdout === undefined ? 'held-back real' : 'holdout'} rows (gap ${formatNumber(gap, { decimals: 3 })}, target ≤ 0.05)`,
      metrics: { tstrAuc: utility.tstr, trtrAuc: utility.trtr, gap, testRows: utility.testRows },
    })
  }

  const privacy = runPrivacy(options, featureNames, piiColumns, random)
  // Names come from small value spaces, so coincidental matches are expected: they warn; any other PII type fails.
  const leakedColumns = Object.entries(privacy.leaksByColumn).filter(([, n]) => n > 0)
  const hardLeak = leakedColumns.some(([name]) => piiTypes.get(name) !== 'person_name')
  summary.exactMatchRate = round(privacy.exactMatch)
  if (privacy.holdoutExactMatch !== null) summary.holdoutExactMatchRate = round(privacy.holdoutExactMatch)
  summary.piiLeaks = privacy.piiLeaks
  checks.push({
    id: 'synth.privacy.exact_match',
    name: 'Exact copies of training rows',
    group: 'Privacy',
    verdict:
      privacy.holdoutExactMatch !== null && privacy.exactMatch > privacy.holdoutExactMatch + 0.005 ? 'fail' : 'pass',
    message:
      `${formatPercent(privacy.exactMatch, 2)} of synthetic rows equal a training row` +
      (privacy.holdoutExactMatch === null
        ? ' (give real holdout rows for the baseline)'
        : ` vs ${formatPercent(privacy.holdoutExactMatch, 2)} of real holdout rows`),
    metrics: {
      rate: privacy.exactMatch,
      ...(privacy.holdoutExactMatch === null ? {} : { holdoutRate: privacy.holdoutExactMatch }),
    },
  })
  if (privacy.dcr !== null) {
    summary.dcrOverfittingProtection = round(privacy.dcr.score)
    checks.push({
      id: 'synth.privacy.dcr',
      name: 'Distance to closest record',
      group: 'Privacy',
      verdict: privacy.dcr.score < 0.8 ? 'warn' : 'pass',
      message: `median DCR synthetic→train ${formatNumber(privacy.dcr.synthMedian, { decimals: 3 })} vs holdout→train ${formatNumber(privacy.dcr.holdoutMedian, { decimals: 3 })}; ${formatPercent(privacy.dcr.closerToTrain, 2)} of synthetic rows are closer to train than to holdout (protection score ${formatNumber(privacy.dcr.score, { decimals: 3 })})`,
      metrics: {
        score: privacy.dcr.score,
        synthMedian: privacy.dcr.synthMedian,
        holdoutMedian: privacy.dcr.holdoutMedian,
        closerToTrain: privacy.dcr.closerToTrain,
      },
    })
  }
  checks.push({
    id: 'synth.privacy.pii_leak',
    name: 'PII values in the output',
    group: 'Privacy',
    verdict: hardLeak ? 'fail' : leakedColumns.length > 0 ? 'warn' : 'pass',
    message:
      piiColumns.size === 0
        ? 'no PII columns in the real data'
        : `${privacy.piiLeaks} synthetic cell${privacy.piiLeaks === 1 ? '' : 's'} equal a real PII value (scanned ${piiColumns.size} PII column${piiColumns.size === 1 ? '' : 's'}: ${[...piiColumns].join(', ')})` +
          (leakedColumns.length === 0
            ? ''
            : `; matches of ${leakedColumns.map(([name, n]) => `${name} (${n})`).join(', ')}`),
    metrics: { leaks: privacy.piiLeaks },
    details: { leaksByColumn: privacy.leaksByColumn },
  })
  if (options.holdout !== undefined && options.holdout.numRows > 0 && synthetic.numRows > 0) {
    const risks = evaluatePrivacyRisks({
      train: real,
      control: options.holdout,
      synthetic,
      identifiers: [...piiColumns],
      ...options.privacy,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
    })
    checks.push(...risks.checks)
    Object.assign(summary, risks.summary)
  } else checks.push(PRIVACY_ATTACKS_NOT_RUN)

  const report = createReport({
    kind: 'synth.evaluate',
    title: `Synthetic data report: ${synthName} vs ${realName}`,
    summary,
    checks,
    charts,
    durationMs: Math.round(performance.now() - started),
  })
  return { report, quality }
}

function runUtility(
  options: EvaluateSyntheticOptions,
  featureNames: readonly string[],
  k: number,
  random: Random,
): { tstr: number; trtr: number; positive: string; testRows: number } {
  const target = options.target as string
  const realTarget = options.real.columns.find((c) => c.name === target)
  if (realTarget === undefined) {
    throw new SynthError('MG_SYNTH_EVALUATE_MISMATCH', `The target "${target}" is not a column of the real data.`, {
      hint: 'Name a binary column of the real data as the target.',
    })
  }
  const counts = new Map<string, number>()
  for (const v of stringValues(realTarget, options.real.numRows))
    if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1)
  if (counts.size !== 2) {
    throw new SynthError(
      'MG_SYNTH_EVALUATE_MISMATCH',
      `The target "${target}" has ${counts.size} distinct values; utility needs a binary target.`,
      { hint: 'Pick a column with two classes.' },
    )
  }
  const positive = [...counts].sort((a, b) => a[1] - b[1])[0]?.[0] as string
  let trainReal = options.real
  let test = options.holdout
  if (test === undefined) {
    const n = options.real.numRows
    const idx = Array.from({ length: n }, (_, i) => i)
    for (let i = n - 1; i > 0; i--) {
      const j = random.int(i + 1)
      ;[idx[i], idx[j]] = [idx[j] as number, idx[i] as number]
    }
    const cut = Math.floor(n * 0.7)
    trainReal = takeRows(options.real, idx.slice(0, cut))
    test = takeRows(options.real, idx.slice(cut))
  }
  const features = featureNames.filter((f) => f !== target)
  const encoder = createFeatureEncoder(trainReal, features, { k })
  const labels = (t: Table): Uint8Array => {
    const c = t.columns.find((x) => x.name === target)
    return Uint8Array.from(c === undefined ? [] : stringValues(c, t.numRows), (v) => (v === positive ? 1 : 0))
  }
  const capped = (t: Table, max: number): Table =>
    t.numRows <= max
      ? t
      : takeRows(
          t,
          Array.from({ length: max }, () => random.int(t.numRows)),
        )
  const score = (train: Table): number => {
    const tr = capped(train, 20_000)
    const model = fitLogisticRegression(encoder.encode(tr), labels(tr), { columns: encoder.width })
    return rocAuc(predictLogisticRegression(model, encoder.encode(test as Table)), labels(test as Table))
  }
  return { tstr: score(options.synthetic), trtr: score(trainReal), positive, testRows: test.numRows }
}

function runPrivacy(
  options: EvaluateSyntheticOptions,
  featureNames: readonly string[],
  piiColumns: ReadonlySet<string>,
  random: Random,
): {
  exactMatch: number
  holdoutExactMatch: number | null
  dcr: { score: number; synthMedian: number; holdoutMedian: number; closerToTrain: number } | null
  piiLeaks: number
  leaksByColumn: Record<string, number>
} {
  const { real, synthetic, holdout } = options
  const rowKeys = (t: Table): string[] => {
    const cols = featureNames.map((name) => t.columns.find((c) => c.name === name))
    const values = cols.map((c) =>
      c === undefined ? new Array<string | null>(t.numRows).fill(null) : stringValues(c, t.numRows),
    )
    const keys: string[] = new Array(t.numRows)
    for (let i = 0; i < t.numRows; i++) keys[i] = values.map((v) => v[i] ?? '\u0000').join('\u0001')
    return keys
  }
  const trainKeys = new Set(rowKeys(real))
  const share = (keys: string[]): number =>
    keys.length === 0 ? 0 : keys.filter((x) => trainKeys.has(x)).length / keys.length
  const exactMatch = share(rowKeys(synthetic))
  const holdoutExactMatch = holdout === undefined ? null : share(rowKeys(holdout))

  let dcr: { score: number; synthMedian: number; holdoutMedian: number; closerToTrain: number } | null = null
  if (holdout !== undefined && holdout.numRows > 0 && synthetic.numRows > 0) {
    const encoder = createGowerEncoder(real, featureNames)
    const er = encoder(real)
    const eh = encoder(holdout)
    const es = encoder(synthetic)
    const m = Math.min(real.numRows, holdout.numRows, options.dcrReferences ?? 5_000)
    const q = Math.min(synthetic.numRows, options.dcrQueries ?? 1_000)
    const pick = (n: number, size: number): Uint32Array => Uint32Array.from({ length: size }, () => random.int(n))
    const trainRef = pick(real.numRows, m)
    const holdRef = pick(holdout.numRows, m)
    const synthQ = pick(synthetic.numRows, q)
    const holdQ = pick(holdout.numRows, Math.min(q, holdout.numRows))
    const sTrain = closestDistances(es, synthQ, er, trainRef)
    const sHold = closestDistances(es, synthQ, eh, holdRef)
    const hTrain = closestDistances(eh, holdQ, er, trainRef)
    let closer = 0
    for (let i = 0; i < q; i++) {
      const a = sTrain[i] as number
      const b = sHold[i] as number
      closer += a < b ? 1 : a === b ? 0.5 : 0
    }
    const closerToTrain = closer / q
    dcr = {
      score: Math.min(1, 2 * (1 - closerToTrain)),
      synthMedian: median(sTrain),
      holdoutMedian: median(hTrain),
      closerToTrain,
    }
  }

  let piiLeaks = 0
  const leaksByColumn: Record<string, number> = {}
  if (piiColumns.size > 0) {
    // Real PII value → the real column it came from (only counts and column names ever leave this function).
    const raw = new Map<string, string>()
    for (const c of real.columns) {
      if (!piiColumns.has(c.name)) continue
      leaksByColumn[c.name] = 0
      for (const v of stringValues(c, real.numRows)) if (v !== null && v !== '' && !raw.has(v)) raw.set(v, c.name)
    }
    for (const c of synthetic.columns) {
      for (const v of stringValues(c, synthetic.numRows)) {
        const source = v === null ? undefined : raw.get(v)
        if (source !== undefined) {
          piiLeaks++
          leaksByColumn[source] = (leaksByColumn[source] ?? 0) + 1
        }
      }
    }
  }
  return { exactMatch, holdoutExactMatch, dcr, piiLeaks, leaksByColumn }
}

function columnChart(col: EvalColumn, k: number): Chart {
  if (col.type === 'categorical') {
    const size = col.dictionary.length
    const rc = new Float64Array(size)
    const sc = new Float64Array(size)
    for (const c of col.real) if (c >= 0) rc[c] = (rc[c] as number) + 1
    for (const c of col.synthetic) if (c >= 0) sc[c] = (sc[c] as number) + 1
    const nr = rc.reduce((a, b) => a + b, 0) || 1
    const ns = sc.reduce((a, b) => a + b, 0) || 1
    // Only categories seen at least k times in the real data are named; rare ones never reach a report.
    const shown = Array.from({ length: size }, (_, i) => i)
      .filter((i) => (rc[i] as number) >= k)
      .sort((a, b) => (rc[b] as number) - (rc[a] as number))
      .slice(0, 20)
    return {
      kind: 'bars',
      title: `${col.name}: category shares`,
      labels: shown.map((i) => col.dictionary[i] as string),
      series: [
        { name: 'real', values: shown.map((i) => round((rc[i] as number) / nr)) },
        { name: 'synthetic', values: shown.map((i) => round((sc[i] as number) / ns)) },
      ],
    }
  }
  // Bin edges from the k-th smallest to the k-th largest real value: labels never show a single record's extreme.
  const sorted = col.real.filter((v) => !Number.isNaN(v)).sort()
  const { min: lo, max: hi } = sorted.length === 0 ? { min: 0, max: 0 } : trimmedBounds(sorted, k)
  const bins = 20
  const width = hi > lo ? (hi - lo) / bins : 1
  const count = (values: Float64Array): number[] => {
    const out = new Array<number>(bins).fill(0)
    let n = 0
    for (const v of values)
      if (!Number.isNaN(v)) {
        n++
        const b = Math.min(bins - 1, Math.max(0, Math.floor((v - lo) / width)))
        out[b] = (out[b] as number) + 1
      }
    return out.map((c) => round(c / Math.max(1, n)))
  }
  const labels = Array.from({ length: bins }, (_, b) => compact(lo + b * width))
  return {
    kind: 'bars',
    title: `${col.name}: distribution`,
    labels,
    series: [
      { name: 'real', values: count(col.real) },
      { name: 'synthetic', values: count(col.synthetic) },
    ],
  }
}

function correlationCharts(columns: readonly EvalColumn[]): Chart[] {
  const numeric = columns.filter((c) => c.type === 'numeric')
  if (numeric.length < 2) return []
  const names = numeric.map((c) => c.name)
  const matrix = (pick: (c: EvalColumn) => Float64Array): number[][] =>
    numeric.map((a) => numeric.map((b) => round(a === b ? 1 : pearson(pick(a), pick(b)))))
  return [
    {
      kind: 'heatmap',
      title: 'Correlation (real)',
      rows: names,
      columns: names,
      values: matrix((c) => c.real as Float64Array),
      min: -1,
      max: 1,
    },
    {
      kind: 'heatmap',
      title: 'Correlation (synthetic)',
      rows: names,
      columns: names,
      values: matrix((c) => c.synthetic as Float64Array),
      min: -1,
      max: 1,
    },
  ]
}

function pairScoreChart(quality: QualityScores): Chart {
  const names = quality.shapes.map((s) => s.column)
  const index = new Map(names.map((n, i) => [n, i]))
  const values = names.map((_, i) => names.map((__, j) => (i === j ? round(quality.shapes[i]?.score ?? 1) : 0)))
  for (const p of quality.pairs) {
    const a = index.get(p.columns[0]) as number
    const b = index.get(p.columns[1]) as number
    ;(values[a] as number[])[b] = round(p.score)
    ;(values[b] as number[])[a] = round(p.score)
  }
  return {
    kind: 'heatmap',
    title: 'Column Pair Trends score (diagonal: Column Shapes)',
    rows: names,
    columns: names,
    values,
    min: 0,
    max: 1,
    scale: 'higherIsBetter',
  }
}

function isFreeTextColumn(c: Column, n: number, k: number): boolean {
  return isFreeText(
    stringValues(c, n).filter((v): v is string => v !== null),
    k,
    1000,
  )
}

function median(x: Float64Array): number {
  if (x.length === 0) return 0
  const s = Float64Array.from(x).sort()
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000
}

function compact(x: number): string {
  return Math.abs(x) >= 1e4 ? x.toExponential(2) : String(Math.round(x * 100) / 100)
}
