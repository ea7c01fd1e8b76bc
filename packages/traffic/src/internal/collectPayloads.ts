/** Reads up to `max` rows from a sync or async iterable (before a run, so that no I/O happens while it is timed). */
export async function collectPayloads<T>(source: AsyncIterable<T> | Iterable<T>, max: number): Promise<T[]> {
  const rows: T[] = []
  if (max <= 0) return rows
  for await (const row of source) {
    rows.push(row)
    if (rows.length >= max) break
  }
  return rows
}
