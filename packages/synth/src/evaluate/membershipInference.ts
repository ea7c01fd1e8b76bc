import { normalPpf, rocAuc } from '@modelgate/stats'
import type { AttackInput } from './attackInput.js'
import { sampleRows, shuffledRows } from './attackInput.js'
import type { AttackTable } from './encodeAttackTables.js'
import { nearestNeighbors, toNeighborMatrix } from './nearestNeighbors.js'

export interface MembershipResult {
  /** P(a training row is closer to the synthetic rows than a control row), ties counted half: 0.5 = no signal. */
  readonly auc: number
  readonly low: number
  readonly high: number
  /** Rows of each side (training rows are members, control rows are not). */
  readonly rows: number
  /** Calling every row closer than `threshold` a member: the share of training rows caught, at ≤ 5% false alarms. */
  readonly threshold: number
  readonly truePositiveRate: number
  readonly falsePositiveRate: number
  /** Rows whose closest synthetic row is an exact copy (distance 0), training vs control. */
  readonly exactTrain: number
  readonly exactControl: number
  /** Columns on which training rows agree with their closest synthetic row more often than control rows do. */
  readonly columns: readonly { readonly name: string; readonly train: number; readonly control: number }[]
}

/** The false-positive rate at which the threshold attack is read. */
const MEMBERSHIP_FPR = 0.05

/**
 * A distance-based membership-inference attack (the "distance to closest record" attacker of the synthetic-data
 * literature, e.g. Chen et al. 2020 "GAN-Leaks", read at a low false-positive rate as Carlini et al. 2022
 * recommend): the closer a real row's nearest synthetic row, the likelier it was trained on. The ROC AUC of that
 * score separates training rows from control rows (Mann–Whitney; its standard error by Hanley & McNeil 1982,
 * SE² = (A(1 − A) + (m − 1)(Q1 − A²) + (n − 1)(Q2 − A²)) / (mn) with Q1 = A/(2 − A), Q2 = 2A²/(1 + A)).
 */
export function membershipInference(input: AttackInput): MembershipResult {
  const { columns, random } = input
  const m = input.synthetic.rows === 0 ? 0 : Math.min(input.attacks, input.train.rows, input.control.rows)
  const all = Array.from({ length: columns.length }, (_, j) => j)
  const synth = toNeighborMatrix(input.synthetic, columns, all, shuffledRows(input.synthetic.rows, random))
  const side = (table: AttackTable): { distance: Float64Array; agree: Float64Array } => {
    const targets = sampleRows(table.rows, m, random)
    const { index, distance } = nearestNeighbors(toNeighborMatrix(table, columns, all, targets), synth, 1)
    const agree = new Float64Array(columns.length)
    targets.forEach((row, t) => {
      const s = index[t] as number
      if (s < 0) return
      for (let j = 0; j < columns.length; j++) {
        const a = (table.values[j] as Float64Array)[row] as number
        const b = (input.synthetic.values[j] as Float64Array)[s] as number
        if (a === b || (Number.isNaN(a) && Number.isNaN(b))) agree[j] = (agree[j] as number) + 1 / m
      }
    })
    return { distance, agree }
  }
  const members = side(input.train)
  const others = side(input.control)
  const scores = new Float64Array(2 * m)
  const labels = new Uint8Array(2 * m)
  for (let i = 0; i < m; i++) {
    scores[i] = -(members.distance[i] as number)
    labels[i] = 1
    scores[m + i] = -(others.distance[i] as number)
  }
  const auc = m === 0 ? 0.5 : rocAuc(scores, labels)
  const q1 = auc / (2 - auc)
  const q2 = (2 * auc * auc) / (1 + auc)
  const se = m === 0 ? 0.5 : Math.sqrt((auc * (1 - auc) + (m - 1) * (q1 - auc * auc + q2 - auc * auc)) / (m * m))
  const z = normalPpf(0.5 * (1 + input.confidence))
  const sortedOthers = Float64Array.from(others.distance).sort()
  const threshold = m === 0 ? 0 : (sortedOthers[Math.floor(MEMBERSHIP_FPR * m)] as number)
  const below = (d: Float64Array): number => (m === 0 ? 0 : d.filter((x) => x < threshold).length / m)
  const exact = (d: Float64Array): number => (m === 0 ? 0 : d.filter((x) => x === 0).length / m)
  return {
    auc,
    low: Math.max(0, auc - z * se),
    high: Math.min(1, auc + z * se),
    rows: m,
    threshold,
    truePositiveRate: below(members.distance),
    falsePositiveRate: below(others.distance),
    exactTrain: exact(members.distance),
    exactControl: exact(others.distance),
    columns: columns
      .map((c, j) => ({ name: c.name, train: members.agree[j] as number, control: others.agree[j] as number }))
      .filter((c) => c.train - c.control > 0.1)
      .sort((a, b) => b.train - b.control - (a.train - a.control)),
  }
}
