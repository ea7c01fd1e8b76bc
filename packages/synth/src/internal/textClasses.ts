import type { Random } from '@modelgate/core'
import type { TextSlot } from '../modelFile.js'

/** The character classes of the free-text chain, in index order, with the alphabet used when the data has none. */
export const CHAIN_CLASSES = [
  { name: 'upper', fallback: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' },
  { name: 'lower', fallback: 'abcdefghijklmnopqrstuvwxyz' },
  { name: 'digit', fallback: '0123456789' },
  { name: 'space', fallback: ' ' },
  { name: 'other', fallback: '-' },
] as const

const UPPER = /\p{Lu}/u
const LOWER = /\p{L}/u
const DIGIT = /\p{Nd}/u
const SPACE = /\s/u

/** 0 upper-case letter, 1 other letter, 2 digit, 3 white space, 4 anything else. */
export function charClass(c: string): number {
  if (c >= 'A' && c <= 'Z') return 0
  if (c >= 'a' && c <= 'z') return 1
  if (c >= '0' && c <= '9') return 2
  if (c === ' ') return 3
  if (UPPER.test(c)) return 0
  if (LOWER.test(c)) return 1
  if (DIGIT.test(c)) return 2
  if (SPACE.test(c)) return 3
  return 4
}

/** An index drawn with probability proportional to its weight. */
export function drawWeighted(weights: readonly number[], random: Random): number {
  let total = 0
  for (const w of weights) total += w
  let u = random.uniform() * total
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number
    if (u < 0) return i
  }
  return weights.length - 1
}

export interface Chain {
  readonly classes: readonly TextSlot[]
  readonly start: readonly number[]
  readonly next: readonly (readonly number[])[]
}

/** Appends `count` characters to `out` following the chain from class `from` (−1: the start of a value). */
export function extendChain(chain: Chain, from: number, count: number, random: Random, out: string[]): void {
  let cls = from
  for (let i = 0; i < count; i++) {
    cls = drawWeighted(cls < 0 ? chain.start : (chain.next[cls] as readonly number[]), random)
    const slot = chain.classes[cls] as TextSlot
    out.push(slot.chars[drawWeighted(slot.weights, random)] as string)
  }
}

/** The first `length` characters of a value drawn from the chain. */
export function sampleChainPrefix(chain: Chain, length: number, random: Random): string {
  const out: string[] = []
  extendChain(chain, -1, length, random, out)
  return out.join('')
}
