/** Counts per category, as a Map or a plain object. */
export type CategoryCounts = ReadonlyMap<string, number> | Readonly<Record<string, number>>
