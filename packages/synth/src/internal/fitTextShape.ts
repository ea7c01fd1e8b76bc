import type { Random } from '@modelgate/core'
import type { TextShape, TextSlot } from '../modelFile.js'
import { CHAIN_CLASSES, charClass, drawWeighted, sampleChainPrefix } from './textClasses.js'

export interface FitTextShapeOptions {
  /** Characters, shapes and lengths seen fewer than k times are never stored. */
  readonly k: number
  readonly random: Random
}

/** Shapes covering at least this share of the values make a column code-like (patterns); otherwise free text. */
const PATTERN_COVERAGE = 0.9
/** Prefix length is the shortest whose generated prefixes are at least this often absent from the data. */
const ABSENT_SHARE = 0.5
const CANDIDATES = 2048
const MAX_PREFIXES = 256
const MAX_PREFIX_LENGTH = 8
const SAMPLE = 20_000

/**
 * Learns how a text or identifier column's values are written, never the values: for code-like columns (most
 * values share a few shapes such as `AAA` or `PT-99999`) each shape's per-position characters, a position becoming
 * a literal when every value of the shape has the same character there (prefixes like `PT-`); for free text, a
 * first-order chain over character classes (upper, lower, digit, space, other) with each class's characters, and
 * the distribution of lengths. Only aggregates over at least k values are kept: shapes, position characters and
 * class characters seen fewer than k times are dropped.
 *
 * So that no generated value is a training value, each value starts with a prefix that no training value has:
 * prefixes are drawn from the generator itself at fitting time and kept only when absent from the data (the model
 * stores at most 256 such absent prefixes, which say only that no training value begins that way). The prefix
 * length is the shortest at which at least half of the drawn prefixes are absent; when none is, values one
 * character longer than any training value are generated.
 * (The shape notation follows the "word shape" features of named-entity recognisers, e.g. Finkel et al.,
 * "Incorporating Non-local Information into Information Extraction Systems by Gibbs Sampling", ACL 2005.)
 */
export function fitTextShape(values: readonly string[], options: FitTextShapeOptions): TextShape {
  // Shapes and characters from a sample (a character seen k times in it is seen k times in the column); the
  // absent prefixes are checked against every value.
  const sample =
    values.length <= SAMPLE
      ? values
      : Array.from({ length: SAMPLE }, () => values[options.random.int(values.length)] as string)
  const chars = sample.map((v) => Array.from(v))
  const seen = new PrefixIndex(values)
  let longest = 0
  for (const v of values) longest = Math.max(longest, v.length)
  return fitPatterns(chars, seen, options) ?? fitChain(chars, seen, longest, options)
}

/** The prefixes of every value, by length, built once per length asked for. */
class PrefixIndex {
  readonly #values: readonly string[]
  readonly #byLength = new Map<number, Set<string>>()
  constructor(values: readonly string[]) {
    this.#values = values
  }
  of(length: number): Set<string> {
    let set = this.#byLength.get(length)
    if (set !== undefined) return set
    set = new Set()
    for (const v of this.#values) {
      // ASCII strings (the common case) are cut directly; others by code point.
      if (v.length < length) continue
      if (isAscii(v)) set.add(v.slice(0, length))
      else {
        const cps = Array.from(v)
        if (cps.length >= length) set.add(cps.slice(0, length).join(''))
      }
    }
    this.#byLength.set(length, set)
    return set
  }
}

function isAscii(v: string): boolean {
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 0x7f) return false
  return true
}

function shapeKey(chars: readonly string[]): string {
  let key = ''
  for (const c of chars) {
    const cls = charClass(c)
    key += cls === 0 ? 'A' : cls === 1 ? 'a' : cls === 2 ? '9' : cls === 3 ? ' ' : `\\${c}`
  }
  return key
}

function fitPatterns(values: readonly string[][], seen: PrefixIndex, options: FitTextShapeOptions): TextShape | null {
  const groups = new Map<string, string[][]>()
  for (const v of values) {
    if (v.length === 0) continue
    const key = shapeKey(v)
    const group = groups.get(key)
    if (group === undefined) groups.set(key, [v])
    else group.push(v)
  }
  const kept = [...groups.values()].filter((g) => g.length >= options.k)
  const covered = kept.reduce((s, g) => s + g.length, 0)
  if (values.length === 0 || covered < PATTERN_COVERAGE * values.length) return null
  const classAlphabets = classSlots(values, options.k)
  const patterns: Extract<TextShape, { mode: 'patterns' }>['patterns'][number][] = []
  for (const group of kept) {
    const length = (group[0] as string[]).length
    const slots: TextSlot[] = []
    for (let i = 0; i < length; i++) {
      const counts = new Map<string, number>()
      for (const v of group) counts.set(v[i] as string, (counts.get(v[i] as string) ?? 0) + 1)
      const frequent = [...counts].filter(([, n]) => n >= options.k).sort((a, b) => (a[0] < b[0] ? -1 : 1))
      if (frequent.length > 0) slots.push({ chars: frequent.map(([c]) => c), weights: frequent.map(([, n]) => n) })
      else slots.push(classAlphabets[charClass(group[0]?.[i] as string)] as TextSlot)
    }
    const prefixesOf = (slots: readonly TextSlot[]): string[] | null =>
      absentPrefixes(
        seen,
        (random, j) => {
          let s = ''
          for (let i = 0; i < j; i++) {
            const slot = slots[i] as TextSlot
            s += slot.chars[drawWeighted(slot.weights, random)] as string
          }
          return s
        },
        length,
        options.random,
      )
    let prefixes = prefixesOf(slots)
    if (prefixes === null) {
      // The data fills the shape as learned (sequential ids 100000–104999): positions that vary take any character
      // of their class, so new values exist (105000…); literal positions (prefixes such as `tx-`) stay.
      for (let i = 0; i < length; i++) {
        const cls = charClass(group[0]?.[i] as string)
        if ((slots[i] as TextSlot).chars.length > 1 && cls <= 2) slots[i] = classAlphabets[cls] as TextSlot
      }
      prefixes = prefixesOf(slots)
    }
    if (prefixes === null) continue
    patterns.push({ p: group.length, slots, prefixes })
  }
  if (patterns.length === 0) return null
  const total = patterns.reduce((s, p) => s + p.p, 0)
  return { mode: 'patterns', patterns: patterns.map((p) => ({ ...p, p: p.p / total })) }
}

/** Per class, the characters seen at least k times in the column (a default alphabet when none is). */
function classSlots(values: readonly string[][], k: number): TextSlot[] {
  const counts = CHAIN_CLASSES.map(() => new Map<string, number>())
  for (const v of values) for (const c of v) counts[charClass(c)]?.set(c, (counts[charClass(c)]?.get(c) ?? 0) + 1)
  return counts.map((m, cls) => {
    const frequent = [...m].filter(([, n]) => n >= k).sort((a, b) => (a[0] < b[0] ? -1 : 1))
    if (frequent.length > 0) return { chars: frequent.map(([c]) => c), weights: frequent.map(([, n]) => n) }
    const fallback = Array.from(CHAIN_CLASSES[cls]?.fallback ?? '')
    return { chars: fallback, weights: fallback.map(() => 1) }
  })
}

function fitChain(
  values: readonly string[][],
  seen: PrefixIndex,
  longestValue: number,
  options: FitTextShapeOptions,
): TextShape {
  const { k } = options
  const classes = classSlots(values, k)
  const startCounts = new Array<number>(CHAIN_CLASSES.length).fill(0)
  const nextCounts = CHAIN_CLASSES.map(() => new Array<number>(CHAIN_CLASSES.length).fill(0))
  const lengths: number[] = []
  for (const v of values) {
    lengths.push(v.length)
    let prev = -1
    for (const c of v) {
      const cls = charClass(c)
      if (prev < 0) startCounts[cls] = (startCounts[cls] as number) + 1
      else (nextCounts[prev] as number[])[cls] = ((nextCounts[prev] as number[])[cls] as number) + 1
      prev = cls
    }
  }
  // Transitions seen fewer than k times are dropped; a class with no way on falls back to lower-case letters.
  const start = normalise(
    startCounts.map((n) => (n >= k ? n : 0)),
    1,
  )
  const next = nextCounts.map((row) =>
    normalise(
      row.map((n) => (n >= k ? n : 0)),
      1,
    ),
  )
  const lengthQuantiles = quantilesOf(lengths, k)
  const generator = (random: Random, j: number): string => sampleChainPrefix({ classes, start, next }, j, random)
  const longest = Math.ceil(lengthQuantiles[lengthQuantiles.length - 1] as number)
  const prefixes = absentPrefixes(seen, generator, Math.min(MAX_PREFIX_LENGTH, Math.max(1, longest)), options.random)
  return {
    mode: 'chain',
    lengths: lengthQuantiles,
    classes,
    start,
    next,
    // Fallback: a value longer than any training value (in UTF-16 units, so in characters too) is none of them.
    prefixes: prefixes ?? [generator(options.random, longestValue + 1)],
  }
}

/** Normalised weights; all-zero rows put everything on `fallback`. */
function normalise(counts: readonly number[], fallback: number): number[] {
  const total = counts.reduce((s, n) => s + n, 0)
  if (total === 0) return counts.map((_, i) => (i === fallback ? 1 : 0))
  return counts.map((n) => n / total)
}

/** 101 quantiles of the lengths with the k−1 shortest and longest left out (like the numeric marginals' bounds). */
function quantilesOf(lengths: number[], k: number): number[] {
  const sorted = Float64Array.from(lengths).sort()
  const drop = Math.min(k - 1, Math.floor((sorted.length - 1) / 2))
  const lo = drop
  const hi = sorted.length - 1 - drop
  const out: number[] = []
  for (let q = 0; q <= 100; q++) {
    const pos = lo + ((hi - lo) * q) / 100
    const a = sorted[Math.floor(pos)] as number
    const b = sorted[Math.ceil(pos)] as number
    out.push(a + (b - a) * (pos - Math.floor(pos)))
  }
  return out
}

/**
 * Prefixes the generator draws that no training value starts with, at the shortest length (up to `maxLength`) where
 * at least half of the draws are such; null when even whole-length draws are always training values.
 */
function absentPrefixes(
  index: PrefixIndex,
  generate: (random: Random, length: number) => string,
  maxLength: number,
  random: Random,
): string[] | null {
  let best: { share: number; prefixes: Map<string, number> } | null = null
  for (let j = 1; j <= maxLength; j++) {
    const seen = index.of(j)
    const absent = new Map<string, number>()
    let hits = 0
    for (let i = 0; i < CANDIDATES; i++) {
      const candidate = generate(random, j)
      if (seen.has(candidate)) continue
      hits++
      absent.set(candidate, (absent.get(candidate) ?? 0) + 1)
    }
    const share = hits / CANDIDATES
    if (absent.size > 0 && (best === null || share > best.share)) best = { share, prefixes: absent }
    if (share >= ABSENT_SHARE) break
  }
  if (best === null) return null
  // The most often drawn first, so the stored ones follow the generator's own distribution as far as they can.
  return [...best.prefixes]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, MAX_PREFIXES)
    .map(([p]) => p)
}
