import type { QuantileSketchJSON } from '@modelgate/stats'

/** A sketch as stored in a baseline (mutable arrays, as zod infers them). */
export interface StoredSketch {
  type: 'kll'
  version: 2
  k: number
  count: number
  min: number | null
  max: number | null
  rngState: number[]
  levels: number[][]
}

/**
 * A sketch's JSON with every retained item clamped to [lo, hi] and min/max set to them: the exact extremes of single
 * records never reach a baseline (quantiles beyond the trimmed range read as its ends).
 */
export function clampSketch(json: QuantileSketchJSON, lo: number, hi: number): StoredSketch {
  return {
    ...json,
    rngState: [...json.rngState],
    min: json.count === 0 ? null : lo,
    max: json.count === 0 ? null : hi,
    levels: json.levels.map((level) => level.map((v) => (v < lo ? lo : Math.min(v, hi)))),
  }
}

/** The values a sketch holds when it never compacted (every item at weight 1), else undefined. */
export function exactValues(json: QuantileSketchJSON | StoredSketch): number[] | undefined {
  if (json.levels.slice(1).some((level) => level.length > 0)) return undefined
  return [...(json.levels[0] ?? [])]
}
