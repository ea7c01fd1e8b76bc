import type { Verdict } from '../Report.js'

/** Verdicts first: how checks and sub-reports are ordered in the terminal and HTML reports. */
const VERDICT_ORDER: Readonly<Record<Verdict, number>> = { fail: 0, inconclusive: 1, warn: 2, skip: 3, pass: 4 }

/** A stable sort of items by verdict, failures first. */
export function byVerdict<T extends { readonly verdict: Verdict }>(items: readonly T[]): T[] {
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => VERDICT_ORDER[a.item.verdict] - VERDICT_ORDER[b.item.verdict] || a.index - b.index)
    .map(({ item }) => item)
}
