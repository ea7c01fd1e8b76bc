import { normalPpf } from '@modelgate/stats'

/**
 * The power rules of the canary judge, in one place (the README states them too).
 *
 * Shares (requests whose |Δscore| passes the tolerance, label flips, the candidate's error rate): a share passes only
 * when the upper end of its two-sided Wilson interval at the judge's confidence is within the allowance, and fails
 * when the lower end is above it. With no difference at all that needs n ≥ z²(1 − m)/m pairs (Wilson's upper bound
 * for 0 of n is z²/(n + z²)): 536 pairs for an allowance m of 1% at 98% (z = 2.326). Fewer pairs, or an interval
 * that straddles the allowance, is `inconclusive` with the number of pairs that would settle it.
 *
 * Shifts (paired Hodges–Lehmann shift of the scores, unpaired Hodges–Lehmann shift of latencies and scores): a shift
 * is judged only when its confidence interval is narrow enough that a true shift of the tolerance would be detected
 * with the stated power (80% by default): with the estimate roughly normal with sd σ = half-width / z, a one-sided
 * detection of a shift δ has power Φ(δ/σ − z), so the rule is half-width ≤ δ · z / (z + z_power) — 0.73 δ at 98%
 * confidence and 80% power. Wider intervals are `inconclusive`, with the pairs needed (the width shrinks as 1/√n).
 */
export interface PowerRule {
  /** Two-sided confidence of every interval (Kayenta's judge: 0.98). */
  readonly confidence: number
  /** Power to detect a shift of the tolerance (0.8). */
  readonly power: number
}

/** z of the two-sided interval at `confidence`. */
function zOf(confidence: number): number {
  return normalPpf(1 - (1 - confidence) / 2)
}

/** The widest half-width an interval may have for a shift of `tolerance` to be detected with the rule's power. */
export function maxHalfWidth(tolerance: number, rule: PowerRule): number {
  const z = zOf(rule.confidence)
  return (tolerance * z) / (z + normalPpf(rule.power))
}

/** Pairs needed to bring a half-width down to `target` from `halfWidth` measured on `n` (width ∝ 1/√n). */
export function pairsForHalfWidth(n: number, halfWidth: number, target: number): number {
  if (!(target > 0) || !Number.isFinite(halfWidth)) return Number.POSITIVE_INFINITY
  return Math.ceil(n * (halfWidth / target) ** 2)
}

/**
 * Pairs needed for a share's interval to clear the allowance m when the share is p (normal approximation,
 * n ≥ z²·p(1−p)/(p − m)², and for p = 0 Wilson's z²(1 − m)/m). Infinity when p = m.
 */
export function pairsForShare(p: number, allowance: number, confidence: number): number {
  const z = zOf(confidence)
  if (p === 0) return Math.ceil((z * z * (1 - allowance)) / allowance)
  if (p === allowance) return Number.POSITIVE_INFINITY
  return Math.ceil((z * z * p * (1 - p)) / (p - allowance) ** 2)
}
