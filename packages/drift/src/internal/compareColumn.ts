import type { Chart, Verdict } from '@modelgate/core'
import { formatCount, formatNumber } from '@modelgate/core'
import type { TestResult } from '@modelgate/stats'
import {
  chiSquareTest,
  hellinger,
  jensenShannon,
  ksTest,
  ksTestFromSketches,
  proportionsZTest,
  psiFromCounts,
  totalVariation,
} from '@modelgate/stats'
import type { CategoricalColumnBaseline, ColumnBaseline, NumericColumnBaseline } from '../baseline.js'
import type { CategoricalAccumulator, ColumnAccumulator, NumericAccumulator } from '../DriftState.js'
import { DriftError } from '../errors.js'
import type { MethodChoice } from '../resolveMethods.js'
import { binnedWasserstein } from './binnedWasserstein.js'
import { sumBins } from './bins.js'
import { numericReference } from './referenceCache.js'
import { exactValues } from './sketch.js'

// One column of a window against its baseline column: the method's statistic (or why none), and the chart.

const COARSE_BINS = 10

export interface ColumnOutcome {
  readonly column: ColumnBaseline
  readonly choice: MethodChoice
  readonly result: TestResult | undefined
  /** Why no result: too few values, a type change, missing. */
  readonly skipped?: { readonly verdict: Verdict; readonly reason: string }
  readonly approximate: boolean
  readonly chart?: Chart
  adjustedP?: number | undefined
}

export function currentCount(acc: ColumnAccumulator): number {
  if (acc.kind === 'numeric' || acc.kind === 'pii') return acc.count
  if (acc.kind === 'categorical') return acc.counts.reduce((a, b) => a + b, 0)
  return acc.present - acc.nulls
}

export function compareColumn(
  column: ColumnBaseline,
  acc: ColumnAccumulator,
  choice: MethodChoice,
  minRows: number,
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
  if (column.kind === 'numeric' && acc.kind === 'numeric') return compareNumeric(column, acc, choice)
  if (column.kind === 'categorical' && acc.kind === 'categorical') return compareCategorical(column, acc, choice)
  return {
    ...base,
    result: undefined,
    skipped: { verdict: 'skip', reason: `${column.kind} columns are not tested for drift` },
  }
}

function compareNumeric(column: NumericColumnBaseline, acc: NumericAccumulator, choice: MethodChoice): ColumnOutcome {
  const reference = numericReference(column, COARSE_BINS)
  const starts = reference.coarseStarts
  const ref = reference.coarseCounts
  const cur = sumBins(acc.bins, starts)
  const chart = numericChart(column, ref, cur, starts)
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
    default:
      result = compareCounts(
        ref,
        cur,
        choice,
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
  const test = { alpha: choice.threshold }
  let result: TestResult
  switch (choice.method) {
    case 'z': {
      const refN = (ref[0] as number) + (ref[1] as number)
      const curN = (cur[0] as number) + (cur[1] as number) + (cur[2] as number)
      result = proportionsZTest(ref[0] as number, refN, cur[0] as number, curN, test)
      break
    }
    default:
      result = compareCounts(
        ref,
        cur,
        choice,
        `column "${column.name}": ${choice.method} does not fit a categorical column.`,
      )
  }
  return { column, choice, result, approximate: false, chart }
}

/** The methods on counts (bins or categories) that numeric and categorical columns share; else `unfit` as an error. */
function compareCounts(ref: Float64Array, cur: Float64Array, choice: MethodChoice, unfit: string): TestResult {
  const distance = { threshold: choice.threshold }
  switch (choice.method) {
    case 'psi':
      return psiFromCounts(ref, cur, distance)
    case 'jensenshannon':
      return jensenShannon(ref, cur, distance)
    case 'hellinger':
      return hellinger(ref, cur, distance)
    case 'tvd':
      return totalVariation(ref, cur, distance)
    case 'chisquare':
      return chiSquareTest(ref, cur, { alpha: choice.threshold })
    default:
      throw new DriftError('MG_DRIFT_BAD_OPTION', unfit)
  }
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
