import { expect } from 'vitest'

/**
 * Which needles occur anywhere in text (substring search, indexed by each needle's first 6 characters). Needles
 * shorter than 6 characters are refused: they would match by chance.
 */
export function occurrences(text: string, needles: readonly string[]): Set<string> {
  const P = 6
  const byPrefix = new Map<string, string[]>()
  for (const needle of needles) {
    expect(needle.length).toBeGreaterThanOrEqual(P)
    const list = byPrefix.get(needle.slice(0, P)) ?? []
    list.push(needle)
    byPrefix.set(needle.slice(0, P), list)
  }
  const hits = new Set<string>()
  for (let i = 0; i + P <= text.length; i++) {
    const candidates = byPrefix.get(text.slice(i, i + P))
    if (candidates !== undefined) for (const c of candidates) if (text.startsWith(c, i)) hits.add(c)
  }
  return hits
}

/** Splits one line of a CSV file without quoted fields (the fixtures here have none). */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...lines] = text.trimEnd().split('\n')
  const names = (header as string).split(',')
  return lines.map((line) => {
    const fields = line.split(',')
    expect(fields.length).toBe(names.length)
    return Object.fromEntries(names.map((n, i) => [n, fields[i] as string]))
  })
}
