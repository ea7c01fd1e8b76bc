import type { CategoryCounts } from '../CategoryCounts.js'
import { StatsError } from '../errors.js'
import { assertSameLength, toCounts } from './validate.js'

function entriesOf(counts: CategoryCounts): Array<[string, number]> {
  return counts instanceof Map ? [...(counts as ReadonlyMap<string, number>).entries()] : Object.entries(counts)
}

/** Aligns two category → count maps on the union of their keys. */
export function alignCategoryCounts(
  first: CategoryCounts,
  second: CategoryCounts,
): { readonly keys: string[]; readonly a: Float64Array; readonly b: Float64Array } {
  const index = new Map<string, number>()
  const e1 = entriesOf(first)
  const e2 = entriesOf(second)
  for (const [key] of e1) if (!index.has(key)) index.set(key, index.size)
  for (const [key] of e2) if (!index.has(key)) index.set(key, index.size)
  const a = new Float64Array(index.size)
  const b = new Float64Array(index.size)
  for (const [key, v] of e1) a[index.get(key) as number] = (a[index.get(key) as number] as number) + v
  for (const [key, v] of e2) b[index.get(key) as number] = (b[index.get(key) as number] as number) + v
  return { keys: [...index.keys()], a, b }
}

export function toAlignedCounts(
  first: ArrayLike<number> | CategoryCounts,
  second: ArrayLike<number> | CategoryCounts,
  what: string,
): { readonly a: Float64Array; readonly b: Float64Array; readonly keys?: readonly string[] } {
  if (isArrayLike(first) && isArrayLike(second)) {
    assertSameLength(first, second, `${what}: reference and current counts`)
    return { a: toCounts(first, `${what}: reference counts`), b: toCounts(second, `${what}: current counts`) }
  }
  if (isArrayLike(first) || isArrayLike(second)) {
    // an array's positions and a map's category names share nothing: aligning them would compare disjoint tables
    throw new StatsError(
      'MG_STATS_BAD_COUNTS',
      `${what}: the reference counts are ${isArrayLike(first) ? 'an array' : 'a category map'} and the current counts ${isArrayLike(second) ? 'an array' : 'a category map'}; expected both arrays (the same bins in the same order) or both maps (category → count).`,
    )
  }
  const { keys, a, b } = alignCategoryCounts(first, second)
  return { a: toCounts(a, `${what}: reference counts`), b: toCounts(b, `${what}: current counts`), keys }
}

function isArrayLike(v: ArrayLike<number> | CategoryCounts): v is ArrayLike<number> {
  return !(v instanceof Map) && typeof (v as { length?: unknown }).length === 'number'
}
