import type { CategoryCounts } from '../CategoryCounts.js'
import { StatsError } from '../errors.js'
import { toAlignedCounts } from './counts.js'

/** Two aligned probability vectors from counts or probabilities (each normalised to sum 1). */
export function toDistributions(
  p: ArrayLike<number> | CategoryCounts,
  q: ArrayLike<number> | CategoryCounts,
  what: string,
): { readonly p: Float64Array; readonly q: Float64Array } {
  const { a, b } = toAlignedCounts(p, q, what)
  return { p: normalise(a, `${what}: p`), q: normalise(b, `${what}: q`) }
}

function normalise(v: Float64Array, what: string): Float64Array {
  let s = 0
  for (let i = 0; i < v.length; i++) s += v[i] as number
  if (s === 0) {
    throw new StatsError(
      'MG_STATS_EMPTY_SAMPLE',
      `${what}: all counts are 0; expected a distribution with positive mass.`,
    )
  }
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / s
  return v
}
