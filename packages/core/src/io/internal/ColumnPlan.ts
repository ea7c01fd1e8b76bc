import type { ColumnKind } from '../../Table.js'
import type { ReadOptions } from '../ReadOptions.js'

/**
 * How one column of a file is read, fixed for a whole stream: its kind (from a schema or inferred from the first
 * chunk), its datetime format, and the categorical dictionary that grows across chunks so codes stay stable.
 * `unresolved` = every value so far was null (readTable resolves it later; streams read it as text).
 */
export interface ColumnPlan {
  readonly name: string
  kind: ColumnKind | 'unresolved'
  format: string
  readonly fromSchema: boolean
  readonly dictionary: string[]
  readonly index: Map<string, number>
  /** The last copy handed out with a chunk; reused while the dictionary has not grown. */
  snapshot?: readonly string[]
}

export function createColumnPlan(
  name: string,
  kind: ColumnKind | 'unresolved',
  format: string,
  fromSchema: boolean,
  values?: readonly string[],
): ColumnPlan {
  const plan: ColumnPlan = { name, kind, format, fromSchema, dictionary: [], index: new Map() }
  if (values !== undefined) for (const v of values) dictionaryCode(plan, v)
  return plan
}

/** A read-only copy of the dictionary for a chunk (the same array again while nothing was added). */
export function dictionarySnapshot(plan: ColumnPlan): readonly string[] {
  if (plan.snapshot === undefined || plan.snapshot.length !== plan.dictionary.length)
    plan.snapshot = plan.dictionary.slice()
  return plan.snapshot
}

/** A growing categorical dictionary: labels in order of first appearance, and the code of each. */
export interface GrowingDictionary {
  readonly dictionary: string[]
  readonly index: Map<string, number>
}

/** The code of `value`, added to the dictionary when it is new. */
export function dictionaryCode(plan: GrowingDictionary, value: string): number {
  let code = plan.index.get(value)
  if (code === undefined) {
    code = plan.dictionary.length
    plan.dictionary.push(value)
    plan.index.set(value, code)
  }
  return code
}

/** Context of a chunk conversion, for error messages and widening. */
export interface ConvertContext {
  readonly file: string
  /** Data rows before this chunk (row numbers in errors are 1-based data rows). */
  readonly rowOffset: number
  readonly allowNonFinite: boolean
  /** readTable mode: integer widens to numeric and all-null columns resolve later instead of failing. */
  readonly widen: boolean
  /** Rows the kinds were inferred from, for the hint. */
  readonly inferredFromRows: number
  /** Read ambiguous numeric dates day first when a column's kind is inferred late (all-null first chunk). */
  readonly dayFirst?: boolean | undefined
}

/** The context of converting one chunk of a stream: where it stands, and the read options' choices (defaults here). */
export function chunkContext(
  options: Pick<ReadOptions, 'allowNonFinite' | 'dayFirst'>,
  at: { readonly file: string; readonly rowOffset: number; readonly widen: boolean; readonly inferredFromRows: number },
): ConvertContext {
  return { ...at, allowNonFinite: options.allowNonFinite ?? false, dayFirst: options.dayFirst }
}
