import type { Random } from '@modelgate/core'
import type { AttackColumn, AttackTable } from './encodeAttackTables.js'

/** What every attack gets: the encoded training, control and synthetic rows, and how hard to try. */
export interface AttackInput {
  readonly columns: readonly AttackColumn[]
  /** The rows the generator learned from. */
  readonly train: AttackTable
  /** Real rows from the same source that the generator never saw. */
  readonly control: AttackTable
  readonly synthetic: AttackTable
  /** Targets (or predicates) per attack. */
  readonly attacks: number
  readonly confidence: number
  readonly random: Random
}

/** `n` distinct row indices of `rows`, in random order (all of them, shuffled, when n ≥ rows). */
export function sampleRows(rows: number, n: number, random: Random): Uint32Array {
  const all = Uint32Array.from({ length: rows }, (_, i) => i)
  const m = Math.min(n, rows)
  for (let i = 0; i < m; i++) {
    const j = i + random.int(rows - i)
    const t = all[i] as number
    all[i] = all[j] as number
    all[j] = t
  }
  return all.subarray(0, m)
}

/** 0, 1, …, rows − 1 in random order: candidates laid out so that ties between them break at random. */
export function shuffledRows(rows: number, random: Random): Uint32Array {
  return sampleRows(rows, rows, random)
}
