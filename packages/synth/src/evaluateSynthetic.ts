import type { ArgumentShape, Chart, CheckResult, Column, Report, Table } from '@modelgate/core'
import { checkArgument, createRandom, createReport, detectPii, formatNumber, formatPercent } from '@modelgate/core'
import { z } from 'zod'
import { SynthError } from './errors.js'
import type { PrivacyRiskSettings } from './evaluate/evaluatePrivacyRisks.js'
import { evaluatePrivacyRisks } from './evaluate/evaluatePrivacyRisks.js'
import { measureCopies } from './evaluate/measureCopies.js'
import { measureUtility } from './evaluate/measureUtility.js'
import { nullRateChecks } from './evaluate/nullRateChecks.js'
import { PRIVACY_ATTACKS_NOT_RUN } from './evaluate/privacyRiskChecks.js'
import { columnChart, correlationCharts, pairScoreChart } from './evaluate/qualityCharts.js'
import { roundScore as round } from './evaluate/roundScore.js'
import { evaluateShape } from './internal/arguments.js'
import type { EvalColumn } from './internal/evalColumn.js'
import { stringValues, toEvalColumn } from './internal/evalColumn.js'
import { isFreeText } from './internal/isFreeText.js'
import type { QualityScores } from './internal/qualityMetrics.js'
import { computeQuality } from './internal/qualityMetrics.js'

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
    const utility = measureUtility({
      real,
      synthetic,
      holdout: options.holdout,
      target: options.target,
      features: featureNames,
      k,
      random,
    })
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

  const privacy = measureCopies({
    real,
    synthetic,
    holdout: options.holdout,
    features: featureNames,
    piiColumns,
    dcrQueries: options.dcrQueries,
    dcrReferences: options.dcrReferences,
    random,
  })
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

function isFreeTextColumn(c: Column, n: number, k: number): boolean {
  return isFreeText(
    stringValues(c, n).filter((v): v is string => v !== null),
    k,
    1000,
  )
}
