import { normalPpf } from '@modelgate/stats'

/**
 * An attack's success rate as Anonymeter estimates it (Giomi et al., "A Unified Framework for Quantifying Privacy
 * Risk in Synthetic Data", PoPETs 2023): the centre of the Wilson score interval (Wilson 1927) and its
 * half-width at the chosen confidence. Successes may be fractional (a size-corrected count).
 */
export interface SuccessRate {
  readonly successes: number
  readonly trials: number
  /** Wilson centre (s + z²/2) / (n + z²). */
  readonly value: number
  /** Wilson half-width z / (n + z²) · √(s(n − s)/n + z²/4). */
  readonly error: number
}

/** A privacy risk in [0, 1] with its confidence interval, and the two rates it came from. */
export interface PrivacyRisk {
  readonly value: number
  readonly low: number
  readonly high: number
  readonly attack: SuccessRate
  readonly control: SuccessRate
}

export function successRate(successes: number, trials: number, confidence = 0.95): SuccessRate {
  if (trials <= 0) return { successes: 0, trials: 0, value: 0, error: 1 }
  const z = normalPpf(0.5 * (1 + confidence))
  const z2 = z * z
  const s = Math.min(Math.max(successes, 0), trials)
  const denominator = trials + z2
  return {
    successes: s,
    trials,
    value: (s + z2 / 2) / denominator,
    error: (z / denominator) * Math.sqrt((s * (trials - s)) / trials + z2 / 4),
  }
}

/**
 * The paper's risk: the attack's success on training rows beyond its success on control rows (real rows the
 * generator never saw), over the room the control attack left: R = (r_train − r_control) / (1 − r_control).
 * The error is propagated to first order, √((e_t ∂R/∂r_t)² + (e_c ∂R/∂r_c)²) with ∂R/∂r_t = 1/(1 − r_c) and
 * ∂R/∂r_c = (r_t − 1)/(1 − r_c)², and value and interval are clipped to [0, 1], as Anonymeter does.
 */
export function privacyRisk(attack: SuccessRate, control: SuccessRate): PrivacyRisk {
  const room = 1 - control.value
  const residual = (attack.value - control.value) / room
  const error = Math.sqrt((attack.error / room) ** 2 + ((control.error * (attack.value - 1)) / (room * room)) ** 2)
  return {
    value: clip01(residual),
    low: clip01(residual - error),
    high: clip01(residual + error),
    attack,
    control,
  }
}

function clip01(x: number): number {
  return Math.min(1, Math.max(0, x))
}
