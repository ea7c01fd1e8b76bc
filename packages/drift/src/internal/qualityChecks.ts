import type { CheckResult, Verdict } from '@modelgate/core'
import { formatCount, formatPercent, formatStatistic } from '@modelgate/core'
import { proportionsZTest } from '@modelgate/stats'
import type { ColumnBaseline } from '../baseline.js'
import type { ColumnAccumulator, EvaluateOptions } from '../DriftState.js'

// The data-quality checks of one column of a window: missing, type change, null rate, and the shares outside the
// baseline (unseen categories, out of the trimmed range, invalid PII format).

export interface QualityOptions extends EvaluateOptions {
  readonly alpha: number
  readonly minRows: number
}

export function qualityChecks(
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
      why = ` — more than ${ratio}× the reference (one-sided z-test p = ${formatStatistic(z.pValue as number)})`
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
  const share = (signal: ShareSignal): void => {
    out.push(shareCheck(name, signal, judged))
  }
  if (column.kind === 'categorical' && acc.kind === 'categorical') {
    const total = acc.counts.reduce((a, b) => a + b, 0)
    if (total > 0) {
      share({
        signal: 'unseen',
        current: (acc.counts[acc.counts.length - 1] as number) / total,
        reference: column.count === 0 ? 0 : column.other / column.count,
        bound: options.unseenShare ?? 0.05,
        fails: 'rise',
        what: "outside the baseline's categories",
        referenceWhat: ' rare',
        metrics: ['unseenShare', 'referenceShare'],
      })
    }
  }
  if (column.kind === 'numeric' && acc.kind === 'numeric' && acc.count > 0) {
    share({
      signal: 'out_of_range',
      current: (acc.below + acc.above) / acc.count,
      reference: column.count === 0 ? 0 : (column.below + column.above) / column.count,
      bound: options.outOfRangeShare ?? 0.05,
      fails: 'rise',
      what: "outside the reference's trimmed range",
      metrics: ['outOfRangeShare', 'referenceShare'],
    })
  }
  if (column.kind === 'pii' && acc.kind === 'pii' && acc.count > 0) {
    share({
      signal: 'format',
      current: acc.valid / acc.count,
      reference: column.count === 0 ? 1 : column.valid / column.count,
      bound: 0.05,
      fails: 'fall',
      what: `have a valid ${column.piiType} format`,
      metrics: ['validShare', 'referenceValidShare'],
    })
  }
  return out
}

/** A share of the window's values that is judged against the reference's share (the rise or fall that fails). */
interface ShareSignal {
  /** The check id's signal: `drift.quality.<signal>.<column>`. */
  readonly signal: 'unseen' | 'out_of_range' | 'format'
  readonly current: number
  readonly reference: number
  readonly bound: number
  /** `rise`: fails when the share rises by more than the bound (bad values); `fall`: when it falls (good values). */
  readonly fails: 'rise' | 'fall'
  /** What the share counts, after "of values". */
  readonly what: string
  /** After the reference's share in the message. */
  readonly referenceWhat?: string
  /** The metric names of the current and the reference share. */
  readonly metrics: readonly [string, string]
}

function shareCheck(name: string, s: ShareSignal, judged: (fail: boolean) => Verdict): CheckResult {
  const change = s.fails === 'rise' ? s.current - s.reference : s.reference - s.current
  const fail = change > s.bound
  const why = fail ? ` — ${s.fails === 'rise' ? 'up' : 'down'} more than ${formatPercent(s.bound)}` : ''
  return {
    id: `drift.quality.${s.signal}.${name}`,
    name,
    group: 'Data quality',
    verdict: judged(fail),
    message: `${name}: ${formatPercent(s.current)} of values ${s.what} (reference ${formatPercent(s.reference)}${s.referenceWhat ?? ''})${why}`,
    metrics: { [s.metrics[0]]: s.current, [s.metrics[1]]: s.reference },
  }
}
