import type { ArgumentShape, Table } from '@modelgate/core'
import { checkArgument, tableArgument } from '@modelgate/core'
import { z } from 'zod'
import { SkewError } from './errors.js'
import { expandingWindowShape } from './internal/arguments.js'
import { timeValues } from './internal/timeValues.js'

export interface ExpandingWindowOptions {
  /** Time column (datetime or epoch number). */
  readonly time: string
  /** Number of folds (default 5). */
  readonly folds?: number
  /** Rows per test window (default ⌊n / (folds + 1)⌋). */
  readonly testSize?: number
  /** Time left out between the end of training and the start of test (default 0, same unit as the column). */
  readonly gap?: number
}

export interface TimeSplit {
  readonly fold: number
  /** Row indexes into the table, in time order. */
  readonly train: Uint32Array
  readonly test: Uint32Array
  /** Latest training time and the test window [testStart, testEnd]. */
  readonly trainEnd: number
  readonly testStart: number
  readonly testEnd: number
}

const optionsArgument = z.object(expandingWindowShape satisfies ArgumentShape<ExpandingWindowOptions>)

/**
 * Expanding-window time-series splits (as scikit-learn's TimeSeriesSplit): fold k tests on the k-th of
 * the last `folds` windows and trains on everything strictly earlier (minus `gap`). Rows sharing a
 * timestamp are never split between train and test, so no fold leaks.
 */
export function expandingWindowSplits(table: Table, options: ExpandingWindowOptions): TimeSplit[] {
  checkArgument(tableArgument, table, { call: 'expandingWindowSplits(table, options)', name: 'table' })
  checkArgument(optionsArgument, options, { call: 'expandingWindowSplits(table, options)', name: 'options' })
  const folds = options.folds ?? 5
  if (!Number.isInteger(folds) || folds < 1) {
    throw new SkewError('MG_SKEW_BAD_OPTION', `folds must be a whole number ≥ 1, got ${String(folds)}.`)
  }
  const gap = options.gap ?? 0
  const { values: time } = timeValues(table, options.time, 'the table')
  const n = table.numRows
  const testSize = options.testSize ?? Math.floor(n / (folds + 1))
  if (testSize < 1 || testSize * folds >= n) {
    throw new SkewError(
      'MG_SKEW_BAD_OPTION',
      `Cannot make ${folds} folds of ${testSize} test rows from ${n} rows; training would be empty.`,
      {
        hint: 'Use fewer folds or a smaller testSize.',
      },
    )
  }
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  order.sort((a, b) => (time[a] as number) - (time[b] as number) || a - b)
  const t = (k: number): number => time[order[k] as number] as number
  // Fold boundaries moved forward past ties so that a timestamp never straddles train and test.
  const bounds: number[] = []
  for (let k = 0; k < folds; k++) {
    let b = n - (folds - k) * testSize
    while (b > 0 && b < n && t(b) === t(b - 1)) b++
    bounds.push(b)
  }
  bounds.push(n)
  const splits: TimeSplit[] = []
  for (let k = 0; k < folds; k++) {
    const start = bounds[k] as number
    const end = Math.max(start, bounds[k + 1] as number)
    if (start >= n || end <= start) continue
    const testStart = t(start)
    // training: every row strictly before testStart − gap
    let trainCount = 0
    while (trainCount < start && t(trainCount) < testStart - gap) trainCount++
    if (trainCount === 0) continue
    splits.push({
      fold: splits.length,
      train: order.slice(0, trainCount),
      test: order.slice(start, end),
      trainEnd: t(trainCount - 1),
      testStart,
      testEnd: t(end - 1),
    })
  }
  return splits
}
