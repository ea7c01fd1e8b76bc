import type { Random } from '@modelgate/core'
import { createRandom, hashSeed } from '@modelgate/core'
import type { TextShape, TextSlot } from '../modelFile.js'
import type { RegenerationSlot } from './RegenerationSlot.js'
import { charClass, drawWeighted, extendChain } from './textClasses.js'

export interface GenerateTextOptions extends RegenerationSlot {
  readonly shape: TextShape
  /** Identifiers: no value repeats across chunks and shards (while the shape has room for the rows asked). */
  readonly unique: boolean
}

type Pattern = Extract<TextShape, { mode: 'patterns' }>['patterns'][number]

/**
 * Fresh values written like the column's (see `fitTextShape`): each starts with one of the model's absent
 * prefixes, so none is a training value. Seeded per chunk and column; unique values are a keyed bijection of the
 * global row index onto the shape's values (prefix × remaining positions), so they never repeat across chunks.
 */
export function generateText(options: GenerateTextOptions): (string | null)[] {
  const { rows, isNull, shape } = options
  const out: (string | null)[] = new Array(rows)
  const random = createRandom(options.seed, options.chunk, options.column, 0x7e47)
  const draw =
    shape.mode === 'chain'
      ? chainDrawer(shape, random)
      : options.unique
        ? uniqueDrawer(shape.patterns, hashSeed(options.seed, options.column, 0x1d7))
        : (): string =>
            patternValue(
              shape.patterns[
                drawWeighted(
                  shape.patterns.map((p) => p.p),
                  random,
                )
              ] as Pattern,
              random,
            )
  for (let r = 0; r < rows; r++) out[r] = isNull !== null && isNull[r] === 1 ? null : draw(options.rowOffset + r)
  return out
}

function patternValue(pattern: Pattern, random: Random): string {
  const prefix = pattern.prefixes[random.int(pattern.prefixes.length)] as string
  let s = prefix
  for (let i = Array.from(prefix).length; i < pattern.slots.length; i++) {
    const slot = pattern.slots[i] as TextSlot
    s += slot.chars[drawWeighted(slot.weights, random)] as string
  }
  return s
}

function chainDrawer(shape: Extract<TextShape, { mode: 'chain' }>, random: Random): () => string {
  const q = shape.lengths
  return () => {
    const prefix = Array.from(shape.prefixes[random.int(shape.prefixes.length)] as string)
    const pos = random.uniform() * (q.length - 1)
    const lo = Math.floor(pos)
    const a = q[lo] as number
    const length = Math.max(prefix.length, Math.round(a + ((q[lo + 1] ?? a) - a) * (pos - lo)))
    extendChain(shape, charClass(prefix[prefix.length - 1] as string), length - prefix.length, random, prefix)
    return prefix.join('')
  }
}

/** Row index → a distinct value: the pattern from a hash of the index, then an affine bijection of its value space. */
function uniqueDrawer(patterns: readonly Pattern[], key: number): (index: number) => string {
  const spaces = patterns.map((p) => {
    const prefixLength = Array.from(p.prefixes[0] as string).length
    let size = BigInt(p.prefixes.length)
    for (let i = prefixLength; i < p.slots.length; i++) size *= BigInt((p.slots[i] as TextSlot).chars.length)
    let a = (BigInt(hashSeed(key, 'a', p.slots.length)) << 20n) | 1n
    while (gcd(a % size || size, size) !== 1n) a += 2n
    return { pattern: p, prefixLength, size, a, b: BigInt(hashSeed(key, 'b')) }
  })
  const cumulative: number[] = []
  let total = 0
  for (const p of patterns) {
    total += p.p
    cumulative.push(total)
  }
  const largest = spaces.reduce((m, s) => (s.size > m.size ? s : m))
  return (index) => {
    const u = ((hashSeed(key, index) >>> 0) / 4294967296) * total
    let chosen = spaces[cumulative.findIndex((c) => u < c)] ?? largest
    const g = BigInt(index)
    // A pattern too small for this many rows hands the row to the largest one.
    if (g >= chosen.size) chosen = largest
    let idx = (chosen.a * g + chosen.b) % chosen.size
    const p = chosen.pattern
    let s = p.prefixes[Number(idx % BigInt(p.prefixes.length))] as string
    idx /= BigInt(p.prefixes.length)
    for (let i = chosen.prefixLength; i < p.slots.length; i++) {
      const chars = (p.slots[i] as TextSlot).chars
      s += chars[Number(idx % BigInt(chars.length))] as string
      idx /= BigInt(chars.length)
    }
    return s
  }
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a
  let y = b
  while (y !== 0n) [x, y] = [y, x % y]
  return x
}
