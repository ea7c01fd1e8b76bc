import type { Column } from '@modelgate/core'
import { SkewError } from '../errors.js'

export type KeyArray = readonly (string | number)[]

/** The key of every row as a number or string; throws `MG_SKEW_NULL_KEY` on a null key. */
export function keyValues(column: Column, where: string): (string | number)[] {
  const n = column.kind === 'categorical' ? column.codes.length : column.values.length
  const out = new Array<string | number>(n)
  for (let i = 0; i < n; i++) {
    let v: string | number | null
    switch (column.kind) {
      case 'categorical': {
        const c = column.codes[i] ?? -1
        v = c < 0 ? null : (column.dictionary[c] ?? null)
        break
      }
      case 'text':
      case 'id':
        v = column.values[i] ?? null
        break
      default:
        v = column.valid !== null && column.valid[i] === 0 ? null : (column.values[i] as number)
    }
    if (v === null) {
      throw new SkewError(
        'MG_SKEW_NULL_KEY',
        `Key column "${column.name}" in ${where} row ${(i + 1).toLocaleString('en-US')} is null; every row needs a key.`,
        {
          location: { row: i + 1, column: column.name },
          hint: 'Pick a key column without nulls, or omit key to use a generated row key.',
        },
      )
    }
    out[i] = v
  }
  return out
}

function canon(v: string | number): string {
  return typeof v === 'number' ? String(v) : v
}

/**
 * For each input row, the index of the output row with the same key (-1 when the output lacks it).
 * Numbers and their decimal strings match (`7` and `"7"`), because CSV and JSON round-trips change key types.
 * Throws `MG_SKEW_DUPLICATE_KEY` when an output holds a key twice.
 */
export function alignKeys(input: KeyArray, output: KeyArray, side: string, keyName: string): Int32Array {
  const n = input.length
  const index = new Int32Array(n)
  // Fast path: same keys in the same order (most batch jobs and every online replay).
  if (output.length === n) {
    let same = true
    for (let i = 0; i < n; i++) {
      if (input[i] !== output[i]) {
        same = false
        break
      }
    }
    if (same) {
      // the input keys were checked to be unique, so the same sequence is unique too
      for (let i = 0; i < n; i++) index[i] = i
      return index
    }
  }
  const allNumbers = input.every((v) => typeof v === 'number') && output.every((v) => typeof v === 'number')
  const map = new Map<string | number, number>()
  for (let j = 0; j < output.length; j++) {
    const raw = output[j] as string | number
    const k = allNumbers ? raw : canon(raw)
    if (map.has(k)) duplicate(raw, `${side} output`, keyName, j)
    map.set(k, j)
  }
  for (let i = 0; i < n; i++) {
    const raw = input[i] as string | number
    index[i] = map.get(allNumbers ? raw : canon(raw)) ?? -1
  }
  return index
}

/** Throws `MG_SKEW_DUPLICATE_KEY` when a key repeats. Strictly increasing keys are checked in one pass. */
export function assertUniqueKeys(keys: KeyArray, side: string, keyName: string): void {
  let increasing = true
  for (let j = 1; j < keys.length; j++) {
    const a = keys[j - 1] as string | number
    const b = keys[j] as string | number
    if (typeof a !== typeof b || !(a < b)) {
      increasing = false
      break
    }
  }
  if (increasing) return
  const seen = new Set<string | number>()
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j] as string | number
    if (seen.has(k)) duplicate(k, side, keyName, j)
    seen.add(k)
  }
}

function duplicate(key: string | number, where: string, keyName: string, row: number): never {
  throw new SkewError(
    'MG_SKEW_DUPLICATE_KEY',
    `Key ${JSON.stringify(key)} appears more than once in the ${where} (column "${keyName}", row ${(row + 1).toLocaleString('en-US')}); rows cannot be joined.`,
    {
      location: { row: row + 1, column: keyName },
      hint: 'Each path must return one row per input key. Give key: a unique id column.',
    },
  )
}
