import type { Chart, CheckResult } from '@modelgate/core'
import { redactText } from '@modelgate/core'
import { deltaHistogram } from './canaryCharts.js'
import type { CanaryColumns, ScoreColumn } from './canaryColumns.js'
import { distributionCheck } from './canaryDistribution.js'
import { pairedShiftCheck, signed } from './canaryPairedShift.js'
import type { PowerRule } from './canaryPower.js'
import { shareCheck } from './canaryShare.js'

/** Pairs shown as examples per score field with differences. */
const EXAMPLES = 5

/**
 * The three checks of one score field — the share of requests past the tolerance (Diffy's noise rule with a
 * secondary), the paired shift, the unpaired distribution — and its Δ histogram.
 */
export function scoreChecksOf(
  field: string,
  column: ScoreColumn,
  cols: CanaryColumns,
  tolerance: number,
  maxShare: number,
  rule: PowerRule,
): { checks: CheckResult[]; chart?: Chart } {
  const n = column.primary.length
  const d = new Float64Array(n)
  let both = 0
  let raw = 0
  let noise = 0
  let withSecondary = 0
  let up = 0
  let sum = 0
  for (let i = 0; i < n; i++) {
    const p = column.primary[i] as number
    const delta = (column.candidate[i] as number) - p
    d[i] = delta
    const s = column.secondary[i] as number
    const gap = Number.isNaN(s) ? 0 : Math.abs(s - p)
    const noisy = !Number.isNaN(s) && gap > tolerance
    if (!Number.isNaN(s)) withSecondary++
    if (noisy) noise++
    if (Math.abs(delta) > tolerance) {
      raw++
      if (noisy) both++
      sum += delta
      if (delta > 0) up++
    }
  }
  const emptyReason =
    cols.bothOk === 0
      ? 'no pair where both the primary and the candidate answered'
      : column.primaryCarried === 0
        ? `no answered pair carries ${field}`
        : `the candidate's answers never carry ${field} (the primary's do in ${column.primaryCarried.toLocaleString('en-US')} pairs)`
  const sparse =
    n > 0 && n < column.primaryCarried
      ? `${n.toLocaleString('en-US')} of the ${column.primaryCarried.toLocaleString('en-US')} pairs whose primary carries it`
      : ''
  const moved =
    raw === 0
      ? ''
      : `those moved by ${signed(sum / raw)} on average (${up.toLocaleString('en-US')} up, ${(raw - up).toLocaleString('en-US')} down)`
  const secondaries =
    withSecondary === 0 || withSecondary === n
      ? ''
      : `${withSecondary.toLocaleString('en-US')} of the pairs had a secondary answer`
  const noiseNote = [moved, secondaries, sparse].filter((x) => x !== '').join('; ')
  const share = shareCheck({
    id: `canary.score.${field}.share`,
    name: `${field}: requests that differ`,
    group: `score ${field}`,
    what: `requests whose |Δ${field}| > ${tolerance}`,
    counts: { both, rawOnly: raw - both, noiseOnly: noise - both, n },
    withNoise: withSecondary > 0,
    allowance: maxShare,
    rule,
    emptyReason,
    ...(noiseNote === '' ? {} : { note: noiseNote }),
    metrics: { withSecondary, tolerance, meanDelta: raw === 0 ? 0 : sum / raw },
    ...(raw > 0 ? { details: { examples: examples(field, column, d, cols, tolerance) } } : {}),
  })
  const shift = pairedShiftCheck({
    id: `canary.score.${field}.shift`,
    name: `${field}: paired shift`,
    group: `score ${field}`,
    differences: d,
    tolerance,
    rule,
  })
  const distribution = distributionCheck({
    id: `canary.score.${field}.distribution`,
    name: `${field}: distribution (unpaired)`,
    group: `score ${field}`,
    primary: Float64Array.from(column.primary),
    candidate: Float64Array.from(column.candidate),
    band: tolerance,
    bandText: 'the score tolerance',
    direction: 'either',
    unit: '',
    rule,
    // the paired checks judge the scores; the unpaired comparison is shown beside them (what a distribution-only
    // judge would say) and is not precise enough alone on the same pairs: it does not hold the verdict back
    cannotJudge: 'skip',
    tieShareAllowance: maxShare,
  })
  return {
    checks: [share, shift, distribution],
    ...(n > 0 ? { chart: deltaHistogram(field, d, tolerance) } : {}),
  }
}

/** The pairs with the largest |Δ|, with their route redacted (a route may hold an id): numbers only otherwise. */
function examples(
  field: string,
  column: ScoreColumn,
  d: Float64Array,
  cols: CanaryColumns,
  tolerance: number,
): Record<string, number | string>[] {
  const order: number[] = []
  for (let i = 0; i < d.length; i++) if (Math.abs(d[i] as number) > tolerance) order.push(i)
  order.sort((a, b) => Math.abs(d[b] as number) - Math.abs(d[a] as number))
  return order.slice(0, EXAMPLES).map((i) => {
    const s = column.secondary[i] as number
    return {
      at: new Date(column.at[i] as number).toISOString(),
      path: redactText(cols.paths[column.pairIndex[i] as number] ?? '', { maxLength: 80 }),
      [`primary ${field}`]: column.primary[i] as number,
      [`candidate ${field}`]: column.candidate[i] as number,
      ...(Number.isNaN(s) ? {} : { [`secondary ${field}`]: s }),
      delta: d[i] as number,
    }
  })
}
