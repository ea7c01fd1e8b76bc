import { proportionInterval } from '@modelgate/stats'

/** Paired 2×2 counts: `both` differ, `rawOnly` (candidate vs primary only), `noiseOnly` (secondary vs primary only). */
export interface PairedCounts {
  readonly both: number
  readonly rawOnly: number
  readonly noiseOnly: number
  readonly n: number
}

/**
 * Interval for the excess share p_raw − p_noise of paired binary outcomes (per request: the candidate differs from
 * the primary; the secondary differs from the primary) — Newcombe's (1998) method 10: Wilson intervals (l₁, u₁),
 * (l₂, u₂) of both shares combined with the phi coefficient of the 2×2 table,
 * L = d − √((p₁−l₁)² − 2φ(p₁−l₁)(u₂−p₂) + (u₂−p₂)²), U = d + √((u₁−p₁)² − 2φ(u₁−p₁)(p₂−l₂) + (p₂−l₂)²),
 * with Newcombe's continuity-corrected φ: (AD − BC − n/2)/√(margins) when AD − BC > n/2, 0 when 0 ≤ AD − BC ≤ n/2,
 * (AD − BC)/√(margins) when negative, and 0 when a margin is empty (as biostatUZH's confIntPairedProportion).
 * R. G. Newcombe, "Improved confidence intervals for the difference between binomial proportions based on paired
 * data", Statistics in Medicine 17 (1998) 2635–2650.
 */
export function excessShareInterval(
  counts: PairedCounts,
  confidence: number,
): { estimate: number; lower: number; upper: number; raw: number; noise: number } {
  const { both, rawOnly, noiseOnly, n } = counts
  const neither = n - both - rawOnly - noiseOnly
  const raw = proportionInterval(both + rawOnly, n, { confidence })
  const noise = proportionInterval(both + noiseOnly, n, { confidence })
  const p1 = raw.estimate
  const p2 = noise.estimate
  const margins = (both + rawOnly) * (noiseOnly + neither) * (both + noiseOnly) * (rawOnly + neither)
  const cross = both * neither - rawOnly * noiseOnly
  const corrected = cross > n / 2 ? cross - n / 2 : Math.min(cross, 0)
  const phi = margins === 0 ? 0 : corrected / Math.sqrt(margins)
  const dl = p1 - raw.lower
  const du = raw.upper - p1
  const el = p2 - noise.lower
  const eu = noise.upper - p2
  const d = p1 - p2
  const lower = d - Math.sqrt(Math.max(0, dl * dl - 2 * phi * dl * eu + eu * eu))
  const upper = d + Math.sqrt(Math.max(0, du * du - 2 * phi * du * el + el * el))
  return { estimate: d, lower: Math.max(-1, lower), upper: Math.min(1, upper), raw: p1, noise: p2 }
}
