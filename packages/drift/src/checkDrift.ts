import type { Report, Table } from '@modelgate/core'
import type { Baseline } from './baseline.js'
import type { BuildBaselineOptions } from './buildBaseline.js'
import { buildBaseline } from './buildBaseline.js'
import type { DriftState } from './createDriftState.js'
import { createDriftState } from './createDriftState.js'
import { DriftError } from './errors.js'
import type { EvaluateOptions } from './evaluateDrift.js'
import { evaluateDrift } from './evaluateDrift.js'
import { SMALL_REFERENCE_ROWS } from './resolveMethods.js'

export interface CheckDriftOptions extends EvaluateOptions {
  /** How to build the baseline when the reference is a raw table. */
  readonly baseline?: BuildBaselineOptions
}

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
  const { baseline: baselineOptions, ...evaluate } = options
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
    return evaluateDrift(current, evaluate)
  }
  if (current.numRows === 0) {
    throw new DriftError(
      'MG_DRIFT_EMPTY_SAMPLE',
      `${options.currentName ?? 'current sample'}: no rows; a drift check needs at least one row to compare.`,
    )
  }
  const state = createDriftState(baseline, options.methods === undefined ? {} : { methods: options.methods })
  return evaluateDrift(state.addTable(current), evaluate)
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
