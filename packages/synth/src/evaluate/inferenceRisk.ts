import type { AttackInput } from './attackInput.js'
import { sampleRows, shuffledRows } from './attackInput.js'
import type { AttackColumn, AttackTable } from './encodeAttackTables.js'
import { nearestLeavingOneOut, toNeighborMatrix } from './nearestNeighbors.js'
import type { PrivacyRisk, SuccessRate } from './privacyRisk.js'
import { privacyRisk, successRate } from './privacyRisk.js'

export interface InferenceColumnResult {
  /** The secret the attacker guesses; every other column is what they know. */
  readonly column: string
  readonly risk: PrivacyRisk
  /** Guessing the value of a random synthetic row (the paper's sanity check). */
  readonly baseline: SuccessRate
}

export interface InferenceResult {
  readonly columns: readonly InferenceColumnResult[]
  readonly targets: number
}

/** Relative tolerance of a numeric guess (Anonymeter's default); datetimes: this share of the column's range. */
const INFERENCE_TOLERANCE = 0.05

/**
 * Attribute inference as the Anonymeter paper measures it, for every column in turn as the secret: the attacker
 * knows all the other columns of a target row, takes the nearest synthetic row on them and guesses its value of
 * the secret. A guess is right when equal (categories; two nulls agree), or for numbers within 5% of the true
 * value (datetimes: within 5% of the column's range). Targets are training rows, and control rows in the control
 * attack.
 */
export function inferenceRisk(input: AttackInput): InferenceResult {
  const { columns, random } = input
  const p = columns.length
  const all = Array.from({ length: p }, (_, j) => j)
  const n = Math.min(input.attacks, input.train.rows, input.control.rows)
  const synth = toNeighborMatrix(input.synthetic, columns, all, shuffledRows(input.synthetic.rows, random))
  const correct = (secret: number, guess: number, j: number): boolean => {
    const col = columns[j] as AttackColumn
    if (!col.numeric) return guess === secret
    if (Number.isNaN(secret) || Number.isNaN(guess)) return Number.isNaN(secret) && Number.isNaN(guess)
    const tolerance = col.datetime ? INFERENCE_TOLERANCE * col.range : INFERENCE_TOLERANCE * Math.abs(secret)
    return Math.abs(guess - secret) <= tolerance
  }
  const attack = (table: AttackTable): Int32Array => {
    const successes = new Int32Array(p)
    if (n === 0 || synth.count === 0) return successes
    const targets = sampleRows(table.rows, n, random)
    const guesses = nearestLeavingOneOut(toNeighborMatrix(table, columns, all, targets), synth)
    for (let t = 0; t < targets.length; t++) {
      const row = targets[t] as number
      for (let pos = 0; pos < p; pos++) {
        const j = synth.columns[pos] as number
        const s = guesses[t * p + pos] as number
        if (s < 0) continue
        const v = input.synthetic.values[j] as Float64Array
        if (correct((table.values[j] as Float64Array)[row] as number, v[s] as number, j))
          successes[j] = (successes[j] as number) + 1
      }
    }
    return successes
  }
  const onTrain = attack(input.train)
  const onControl = attack(input.control)
  const baseline = new Int32Array(p)
  const trainTargets = sampleRows(input.train.rows, n, random)
  for (const row of trainTargets) {
    if (input.synthetic.rows === 0) break
    const s = random.int(input.synthetic.rows)
    for (let j = 0; j < p; j++)
      if (
        correct(
          (input.train.values[j] as Float64Array)[row] as number,
          (input.synthetic.values[j] as Float64Array)[s] as number,
          j,
        )
      )
        baseline[j] = (baseline[j] as number) + 1
  }
  return {
    targets: n,
    columns: columns.map((col, j) => ({
      column: col.name,
      risk: privacyRisk(
        successRate(onTrain[j] as number, n, input.confidence),
        successRate(onControl[j] as number, n, input.confidence),
      ),
      baseline: successRate(baseline[j] as number, n, input.confidence),
    })),
  }
}
