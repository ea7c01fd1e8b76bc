import type { CheckResult } from '@modelgate/core'
import { redactText } from '@modelgate/core'
import type { CanaryColumns, LabelColumn } from './canaryColumns.js'
import type { PowerRule } from './canaryPower.js'
import { shareCheck } from './canaryShare.js'

/** Labels shown by value only when a value was seen this often (the rare-category rule); others are `(rare)`. */
const RARE = 5

/**
 * Label agreement of one label field: the share of requests whose label flips (Diffy's noise rule with a secondary),
 * judged as a share; the flips are named by value pair, values seen fewer than RARE times as `(rare)`.
 */
export function labelCheck(
  field: string,
  column: LabelColumn,
  cols: CanaryColumns,
  maxShare: number,
  rule: PowerRule,
): CheckResult {
  const shown = (kind: string): string =>
    kind
      .split(' → ')
      .map((v) => ((column.values.get(v) ?? 0) >= RARE ? redactText(v, { maxLength: 40 }) : '(rare)'))
      .join(' → ')
  const kinds = new Map<string, number>()
  for (const [kind, count] of column.kinds) kinds.set(shown(kind), (kinds.get(shown(kind)) ?? 0) + count)
  const top = [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 5)
  const flipsText = top.map(([k, c]) => `${k} ${c.toLocaleString('en-US')}`).join(', ')
  const note = flipsText === '' ? '' : `flips: ${flipsText}`
  return shareCheck({
    id: `canary.label.${field}`,
    name: `${field}: label agreement`,
    group: `label ${field}`,
    what: `requests whose ${field} flips`,
    counts: {
      both: column.both,
      rawOnly: column.rawFlips - column.both,
      noiseOnly: column.noise - column.both,
      n: column.n,
    },
    withNoise: column.withSecondary > 0,
    allowance: maxShare,
    rule,
    emptyReason:
      cols.bothOk === 0
        ? 'no pair where both the primary and the candidate answered'
        : `the candidate's answers never carry ${field}`,
    ...(note === '' ? {} : { note }),
    metrics: { agreement: column.n === 0 ? 0 : 1 - column.rawFlips / column.n },
    details: { flips: Object.fromEntries(top) },
  })
}
