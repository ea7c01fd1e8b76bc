import { createRandom, fakePii, hashSeed } from '@modelgate/core'
import type { PiiKind } from '../types.js'
import type { RegenerationSlot } from './RegenerationSlot.js'

export interface GeneratePiiOptions extends RegenerationSlot {
  readonly kind: PiiKind
  readonly unique: boolean
}

/**
 * Fresh fake values for a PII column, from core's `fakePii` (values from reserved ranges where they exist, so none
 * is a real person's), seeded per chunk and column so output is reproducible. Ids, and the values of unique
 * columns, are a keyed bijection of the global row index, so they never repeat across chunks and shards.
 */
export function generatePii(options: GeneratePiiOptions): (string | null)[] {
  const { rows, isNull, kind } = options
  const out: (string | null)[] = new Array(rows)
  const random = createRandom(options.seed, options.chunk, options.column, 0x9111)
  const key = hashSeed(options.seed, options.column, 0x1d)
  const unique = options.unique || kind === 'id'
  for (let r = 0; r < rows; r++) {
    if (isNull !== null && isNull[r] === 1) {
      out[r] = null
      continue
    }
    out[r] = unique ? fakePii(kind, random, { unique: { index: options.rowOffset + r, key } }) : fakePii(kind, random)
  }
  return out
}
