import type { AttackInput } from './attackInput.js'
import { sampleRows, shuffledRows } from './attackInput.js'
import type { AttackTable } from './encodeAttackTables.js'
import { nearestNeighbors, toNeighborMatrix } from './nearestNeighbors.js'
import type { PrivacyRisk, SuccessRate } from './privacyRisk.js'
import { privacyRisk, successRate } from './privacyRisk.js'

export interface LinkabilityResult {
  readonly risk: PrivacyRisk
  /** Random links (the paper's sanity check). */
  readonly baseline: SuccessRate
  /** The two halves of a record the attacker holds in two separate data sets. */
  readonly columns: readonly [readonly string[], readonly string[]]
  readonly neighbors: number
}

/**
 * Linkability as the Anonymeter paper measures it: the attacker holds two data sets that share no column — the
 * `split` halves of each target row — and links two records when their k nearest synthetic rows (on the columns
 * each has) include a common row. Success is the share of target rows whose two halves are linked; targets are
 * drawn from the training rows, and in the control attack from the control rows.
 */
export function linkabilityRisk(
  input: AttackInput,
  options: { split: readonly [readonly number[], readonly number[]]; neighbors?: number },
): LinkabilityResult {
  const { columns, random } = input
  const k = Math.max(1, options.neighbors ?? 1)
  const [a, b] = options.split
  const n = Math.min(input.attacks, input.train.rows, input.control.rows)
  const order = shuffledRows(input.synthetic.rows, random)
  const synthA = toNeighborMatrix(input.synthetic, columns, a, order)
  const synthB = toNeighborMatrix(input.synthetic, columns, b, order)
  const links = (table: AttackTable): number => {
    const targets = sampleRows(table.rows, n, random)
    const na = nearestNeighbors(toNeighborMatrix(table, columns, a, targets), synthA, k).index
    const nb = nearestNeighbors(toNeighborMatrix(table, columns, b, targets), synthB, k).index
    const kk = na.length / Math.max(1, targets.length)
    let linked = 0
    for (let t = 0; t < targets.length; t++) {
      const left = new Set(na.subarray(t * kk, (t + 1) * kk))
      for (let p = 0; p < kk; p++) {
        const s = nb[t * kk + p] as number
        if (s >= 0 && left.has(s)) {
          linked++
          break
        }
      }
    }
    return linked
  }
  const trainLinks = links(input.train)
  const controlLinks = links(input.control)
  // Baseline: two random sets of k synthetic rows per target.
  let randomLinks = 0
  const m = input.synthetic.rows
  const pick = (): Set<number> => {
    const out = new Set<number>()
    while (out.size < Math.min(k, m)) out.add(random.int(m))
    return out
  }
  for (let t = 0; t < n && m > 0; t++) {
    const left = pick()
    if ([...pick()].some((s) => left.has(s))) randomLinks++
  }
  return {
    risk: privacyRisk(successRate(trainLinks, n, input.confidence), successRate(controlLinks, n, input.confidence)),
    baseline: successRate(randomLinks, n, input.confidence),
    columns: [a.map((j) => columns[j]?.name ?? ''), b.map((j) => columns[j]?.name ?? '')],
    neighbors: k,
  }
}
