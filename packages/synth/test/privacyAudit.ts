import type { Table } from '@modelgate/core'
import { proportionInterval } from '@modelgate/stats'
import type { SynthModelFile } from '@modelgate/synth'

/**
 * An empirical differential-privacy audit (Jagielski, Ullman & Oprea 2020; Nasr et al. 2021; Tramèr et al. 2022,
 * "Debugging differential privacy"): train many times on a table and on a neighbour of it (one row added), count how
 * often an event happens to the model, and turn the two frequencies into a lower bound on the privacy loss that
 * holds with the stated confidence. An (ε, δ)-DP mechanism satisfies P[E | D′] ≤ e^ε · P[E | D] + δ for every event E
 * and both orders (and for the complement of E), so ε ≥ ln((P[E | D′] − δ) / P[E | D]); the bound uses the
 * Clopper–Pearson lower limit of the numerator and upper limit of the denominator. An audit can refute a privacy
 * claim (a lower bound above the claimed ε), never certify one: it only sees the events it looks at.
 */
export interface AuditCase {
  readonly name: string
  readonly table: Table
  /** The table with one row added. */
  readonly neighbour: Table
  /** The event looked for in each trained model. */
  readonly event: (file: SynthModelFile) => boolean
}

export interface AuditOutcome {
  readonly name: string
  readonly trials: number
  /** Models (of `trials`) in which the event happened, trained on the table and on its neighbour. */
  readonly inTable: number
  readonly inNeighbour: number
  /** The lower confidence bound on ε (−∞ when the counts give no evidence of any loss). */
  readonly epsilonLower: number
}

export interface AuditOptions {
  readonly trials: number
  /** Probability that the bound is wrong, split over the four orders of event/complement and table/neighbour. Default 0.05. */
  readonly alpha?: number
  /** The δ of the claim being audited. Default 0. */
  readonly delta?: number
}

export function auditPrivacy(
  train: (table: Table, seed: number) => SynthModelFile,
  audit: AuditCase,
  options: AuditOptions,
): AuditOutcome {
  const { trials } = options
  const alpha = options.alpha ?? 0.05
  const delta = options.delta ?? 0
  let inTable = 0
  let inNeighbour = 0
  for (let t = 0; t < trials; t++) {
    if (audit.event(train(audit.table, t))) inTable++
    if (audit.event(train(audit.neighbour, trials + t))) inNeighbour++
  }
  // Each of the four ratios uses two one-sided bounds; a two-sided interval at 1 − α/4 gives each side α/8.
  const confidence = 1 - alpha / 4
  const interval = (successes: number) =>
    proportionInterval(successes, trials, { confidence, method: 'clopper-pearson' })
  const a = interval(inTable)
  const b = interval(inNeighbour)
  const ac = interval(trials - inTable)
  const bc = interval(trials - inNeighbour)
  const bound = (num: number, den: number): number =>
    num - delta > 0 && den > 0 ? Math.log((num - delta) / den) : Number.NEGATIVE_INFINITY
  const epsilonLower = Math.max(
    bound(b.lower, a.upper),
    bound(a.lower, b.upper),
    bound(bc.lower, ac.upper),
    bound(ac.lower, bc.upper),
  )
  return { name: audit.name, trials, inTable, inNeighbour, epsilonLower }
}

/** Every finite number anywhere in a JSON value (for events such as "the model stores a value above 1,000"). */
export function numbersIn(value: unknown): number[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [value] : []
  if (Array.isArray(value)) return value.flatMap(numbersIn)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(numbersIn)
  return []
}
