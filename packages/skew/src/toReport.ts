import type { Chart, CheckResult, Report } from '@modelgate/core'
import { formatPercent } from '@modelgate/core'
import type { LeakageReport } from './checkLeakage.js'
import type { FeatureSkew, SkewReport } from './types.js'

/**
 * Turns a skew or leakage report into the shared ModelGate report model, for the terminal, JSON, JUnit
 * and HTML renderers of @modelgate/core. Worst rows go into `details`; one batch-vs-online chart per feature.
 */
export function toReport(report: SkewReport | LeakageReport): Report {
  return report.kind === 'skew' ? skewToReport(report) : leakageToReport(report)
}

function featureMetrics(f: FeatureSkew): Record<string, number> {
  const metrics: Record<string, number> = {
    agreementRate: f.agreementRate,
    compared: f.compared,
    differing: f.compared - f.agreeing,
    nullMismatches: f.nullMismatches,
    maxAbsDifference: f.maxAbsDifference,
    meanDifference: f.meanDifference,
    batchNullRate: f.schema.batchNullRate,
    onlineNullRate: f.schema.onlineNullRate,
  }
  if (f.noiseFloor > 0) metrics.noiseFloor = f.noiseFloor
  if (f.noisyRows > 0) metrics.noisyRows = f.noisyRows
  if (f.margin !== undefined) metrics.equivalenceMargin = f.margin.value
  for (const t of f.tests) {
    const name = t.test.replace(/[^a-z0-9]+/gi, '_')
    metrics[`${name}_statistic`] = t.statistic
    if (t.pValue !== undefined) metrics[`${name}_p`] = t.pValue
    if (t.qValue !== undefined) metrics[`${name}_q`] = t.qValue
  }
  return metrics
}

function skewToReport(r: SkewReport): Report {
  const checks: CheckResult[] = []
  const missing = r.rows.missingInBatch + r.rows.missingInOnline
  checks.push({
    id: 'skew.rows',
    name: 'rows joined',
    group: 'rows',
    verdict: r.rows.verdict,
    message:
      missing === 0
        ? `all ${r.rows.input.toLocaleString('en-US')} input rows present in both outputs (key "${r.key}")`
        : `${r.rows.matched.toLocaleString('en-US')} of ${r.rows.input.toLocaleString('en-US')} rows in both outputs; ${r.rows.missingInBatch.toLocaleString('en-US')} missing in batch, ${r.rows.missingInOnline.toLocaleString('en-US')} missing online`,
    metrics: {
      input: r.rows.input,
      matched: r.rows.matched,
      missingInBatch: r.rows.missingInBatch,
      missingInOnline: r.rows.missingInOnline,
    },
    details: { failures: r.rows.failures },
  })
  for (const f of r.features) {
    const charts: Chart[] = []
    // The scatter first: a reader of a failing feature sees at once which rows leave the y = x line.
    if (f.pairs !== undefined && f.pairs.batch.length > 0)
      charts.push({
        kind: 'scatter',
        title: `${f.feature}: online vs batch per row`,
        x: f.pairs.batch,
        y: f.pairs.online,
        xLabel: 'batch',
        yLabel: 'online',
        diagonal: true,
      })
    if (f.histogram !== undefined && f.histogram.labels.length > 0)
      charts.push({
        kind: 'bars',
        title: `${f.feature}: batch vs online`,
        labels: f.histogram.labels,
        series: [
          { name: 'batch', values: f.histogram.batch },
          { name: 'online', values: f.histogram.online },
        ],
      })
    checks.push({
      id: `skew.feature.${f.feature}`,
      name: f.feature,
      group: 'features',
      verdict: f.verdict,
      message: f.message,
      metrics: featureMetrics(f),
      details: { mode: f.mode, tolerance: f.tolerance, margin: f.margin, tests: f.tests, worstRows: f.worstRows },
      charts,
    })
    checks.push({
      id: `skew.schema.${f.feature}`,
      name: f.feature,
      group: 'schema',
      verdict: f.schema.verdict,
      message:
        f.schema.problems.length === 0
          ? `${f.feature}: ${f.schema.batchType} on both sides, null rate ${formatPercent(f.schema.batchNullRate, { smallDigits: 3 })} vs ${formatPercent(f.schema.onlineNullRate, { smallDigits: 3 })}`
          : `${f.feature}: ${f.schema.problems.join('; ')}`,
      metrics: { batchNullRate: f.schema.batchNullRate, onlineNullRate: f.schema.onlineNullRate },
      details: { batchType: f.schema.batchType, onlineType: f.schema.onlineType },
    })
  }
  const failing = r.features.filter((f) => f.verdict === 'fail').map((f) => f.feature)
  return {
    kind: 'skew',
    title: `Training/serving skew: ${r.batchPath} vs ${r.onlinePath}`,
    createdAt: r.createdAt,
    durationMs: r.durationMs,
    summary: {
      verdict: r.verdict,
      input: r.inputName,
      rows: r.rows.matched,
      features: r.features.length,
      failing: failing.length === 0 ? 'none' : failing.join(', '),
      batch: r.batchPath,
      online: r.onlinePath,
      batchMs: Math.round(r.timings.batchMs),
      onlineMs: Math.round(r.timings.onlineMs),
    },
    checks,
    verdict: r.verdict,
  }
}

function leakageToReport(r: LeakageReport): Report {
  const checks: CheckResult[] = r.checks.map((c) => ({
    id: `skew.leakage.${c.id}`,
    name: c.name,
    group: 'temporal integrity',
    verdict: c.verdict,
    message: c.message,
    metrics: { offendingRows: c.offendingRows },
    details: { examples: c.examples },
  }))
  return {
    kind: 'skew.leakage',
    title: `Temporal leakage: ${r.inputName}`,
    createdAt: r.createdAt,
    durationMs: r.durationMs,
    summary: {
      verdict: r.verdict,
      rows: r.rows,
      train: r.trainRows,
      test: r.testRows,
      trainEnd: r.trainEnd ?? '',
      testStart: r.testStart ?? '',
      offendingRows: r.checks.reduce((s, c) => s + c.offendingRows, 0),
    },
    checks,
    verdict: r.verdict,
  }
}
