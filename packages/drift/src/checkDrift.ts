import type { ArgumentShape, Report, Table } from '@modelgate/core'
import { checkArgument, createReport, tableArgument } from '@modelgate/core'
import { z } from 'zod'
import type { Baseline } from './baseline.js'
import type { BuildBaselineOptions } from './buildBaseline.js'
import { buildBaseline, buildBaselineOptionsArgument, forEachValue } from './buildBaseline.js'
import { createDriftState } from './createDriftState.js'
import type { DriftState, EvaluateOptions } from './DriftState.js'
import { DriftError } from './errors.js'
import { evaluateDrift } from './evaluateDrift.js'
import { baselineArgument, count, evaluateShape, stateArgument } from './internal/arguments.js'
import { binaryLabel, realized } from './internal/cbpe.js'
import type { DomainClassifierOptions } from './internal/domainClassifier.js'
import { domainClassifierCheck } from './internal/domainClassifier.js'
import type { PerformanceFigures } from './PerformanceFigures.js'
import { SMALL_REFERENCE_ROWS } from './resolveMethods.js'

export interface CheckDriftOptions extends EvaluateOptions {
  /** How to build the baseline when the reference is a raw table. */
  readonly baseline?: BuildBaselineOptions
  /**
   * Labels that arrived later, joined to the current rows by a key column (`request_id`): the realized performance
   * stands beside CBPE's estimate. `column` defaults to the baseline's target; `name` names the file in messages.
   */
  readonly labels?: { readonly table: Table; readonly join: string; readonly column?: string; readonly name?: string }
  /**
   * With a raw reference: also the domain classifier (cross-validated AUC of reference vs current). Default false: it
   * fits five logistic regressions (about a second on this machine), which the per-column report does not need.
   */
  readonly domainClassifier?: boolean | DomainClassifierOptions
}

const optionsArgument = z
  .object({
    ...evaluateShape,
    baseline: buildBaselineOptionsArgument.optional(),
    labels: z
      .object({ table: tableArgument, join: z.string(), column: z.string().optional(), name: z.string().optional() })
      .strict()
      .optional(),
    domainClassifier: z
      .union([
        z.boolean(),
        z
          .object({
            rows: count.optional(),
            folds: count.optional(),
            seed: z.number().optional(),
            sigmas: z.number().optional(),
          })
          .strict(),
      ])
      .optional(),
  } satisfies ArgumentShape<CheckDriftOptions>)
  .strict()

/**
 * Compares a current sample with a reference → a drift `Report` (the README's verdict rule). The reference is a
 * `Baseline` or a raw `Table` (a baseline is built from it in memory); the current sample is a `Table` or a window
 * state. An empty current table is bad input (MG_DRIFT_EMPTY_SAMPLE), not a pass.
 */
export function checkDrift(
  reference: Baseline | Table,
  current: Table | DriftState,
  options: CheckDriftOptions = {},
): Report {
  const call = 'checkDrift(reference, current, options)'
  const hint = 'The reference is a Baseline or a Table; the current sample a Table or a DriftState.'
  checkArgument(z.union([baselineArgument, tableArgument]), reference, { call, name: 'reference', hint })
  checkArgument(z.union([tableArgument, stateArgument]), current, { call, name: 'current', hint })
  checkArgument(optionsArgument, options, { call, name: 'options' })
  const { baseline: baselineOptions, labels, domainClassifier, ...rest } = options
  let baseline: Baseline
  if (isTable(reference)) {
    // sketches are only needed by KS (a small reference, or asked for)
    const needSketch =
      reference.numRows <= SMALL_REFERENCE_ROWS ||
      (options.methods ?? []).some((m) => /=(ks|kolmogorov-smirnov)\b/i.test(m))
    baseline = buildBaseline(reference, { sketches: needSketch, ...baselineOptions })
  } else baseline = reference
  if (!isTable(current)) {
    if (current.baseline.checksum !== baseline.checksum) {
      throw new DriftError('MG_DRIFT_BASELINE_MISMATCH', 'checkDrift: the window state was made for another baseline.')
    }
    if (labels !== undefined)
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        'checkDrift: labels join rows of a current table, not a window state.',
      )
    return evaluateDrift(current, rest)
  }
  if (current.numRows === 0) {
    throw new DriftError(
      'MG_DRIFT_EMPTY_SAMPLE',
      `${options.currentName ?? 'current sample'}: no rows; a drift check needs at least one row to compare.`,
    )
  }
  const state = createDriftState(baseline, options.methods === undefined ? {} : { methods: options.methods })
  const evaluate: EvaluateOptions =
    labels === undefined ? rest : { ...rest, realizedPerformance: joinLabels(baseline, current, labels) }
  const report = evaluateDrift(state.addTable(current), evaluate)
  if (
    !isTable(reference) ||
    domainClassifier === undefined ||
    domainClassifier === false ||
    options.columns !== undefined
  )
    return report
  const check = domainClassifierCheck(baseline, reference, current, domainClassifier === true ? {} : domainClassifier)
  if (check === undefined) return report
  const failOn = options.failOn ?? 'any'
  const verdicted = check.verdict === 'fail' && failOn !== 'any' ? { ...check, verdict: 'warn' as const } : check
  const [dataset, ...others] = report.checks
  return createReport({
    kind: report.kind,
    title: report.title,
    summary: report.summary,
    checks: [...(dataset === undefined ? [] : [dataset]), verdicted, ...others],
    createdAt: report.createdAt,
    ...(report.durationMs === undefined ? {} : { durationMs: report.durationMs }),
  })
}

function isTable(value: unknown): value is Table {
  return (
    typeof value === 'object' &&
    value !== null &&
    'numRows' in value &&
    'columns' in value &&
    Array.isArray((value as Table).columns)
  )
}

/** Realized performance of the current rows that have a label (joined by key). */
function joinLabels(
  baseline: Baseline,
  current: Table,
  labels: NonNullable<CheckDriftOptions['labels']>,
): { rows: number; figures: PerformanceFigures } {
  const where = labels.name ?? 'labels'
  const perf = baseline.performance
  if (perf === undefined || perf === null) {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      'checkDrift: labels need a baseline with a score calibration (built with prediction and target).',
    )
  }
  const labelColumn = labels.column ?? perf.target
  const need = (table: Table, name: string, what: string) => {
    const column = table.columns.find((c) => c.name === name)
    if (column === undefined) {
      throw new DriftError(
        'MG_DRIFT_BAD_OPTION',
        `${what}: no column "${name}" to join on (columns: ${table.columns.map((c) => c.name).join(', ')}).`,
      )
    }
    return column
  }
  const byKey = new Map<string, number>()
  let bad = 0
  const keyColumn = need(labels.table, labels.join, where)
  const labelValues: (string | number | boolean | null)[] = []
  forEachValue(need(labels.table, labelColumn, where), labels.table.numRows, (v) => labelValues.push(v))
  let i = 0
  forEachValue(keyColumn, labels.table.numRows, (key) => {
    const label = labelValues[i++] ?? null
    if (key === null || label === null) return
    const y = binaryLabel(label)
    if (Number.isNaN(y)) bad++
    else byKey.set(String(key), y)
  })
  if (bad > 0) {
    throw new DriftError(
      'MG_DRIFT_BAD_OPTION',
      `${where}: ${bad.toLocaleString('en-US')} labels in "${labelColumn}" are not 0/1 or true/false.`,
    )
  }
  const scoreColumn = need(current, perf.column, 'current sample')
  const scoreValues: (string | number | boolean | null)[] = []
  forEachValue(scoreColumn, current.numRows, (v) => scoreValues.push(v))
  const scores: number[] = []
  const ys: number[] = []
  let j = 0
  forEachValue(need(current, labels.join, 'current sample'), current.numRows, (key) => {
    const s = scoreValues[j++]
    if (key === null || typeof s !== 'number' || !Number.isFinite(s)) return
    const y = byKey.get(String(key))
    if (y === undefined) return
    scores.push(s)
    ys.push(y)
  })
  return { rows: scores.length, figures: realized(scores, ys, perf.threshold) }
}
