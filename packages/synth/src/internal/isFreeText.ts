/** Repeated values (each seen at least k times) must cover at least this share of a text column to be learned. */
const REPEATED_SHARE = 0.5

/**
 * Whether a text column is free text or codes, regenerated from its shape rather than learned as categories: its
 * values seen at least k times cover less than half of its values, or are more than `maxCategories`. The same rule
 * decides what training regenerates and what evaluation leaves out of the quality score.
 */
export function isFreeText(values: Iterable<string>, k: number, maxCategories: number): boolean {
  const counts = new Map<string, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  return isFreeTextCounts(counts.values(), k, maxCategories)
}

/** `isFreeText` from the count of each distinct value. */
export function isFreeTextCounts(counts: Iterable<number>, k: number, maxCategories: number): boolean {
  let total = 0
  let repeated = 0
  let kept = 0
  for (const n of counts) {
    total += n
    if (n < k) continue
    repeated += n
    kept++
  }
  if (total === 0) return false
  return kept > maxCategories || repeated < REPEATED_SHARE * total
}
