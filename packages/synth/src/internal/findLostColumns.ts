import type { LostColumn } from '../modelFile.js'
import type { ColumnProfile } from './profileColumn.js'

/** A column whose generated null rate exceeds the data's by this much (absolute) is named as lost. */
export const LOST_NULL_RATE_GAP = 0.05

/**
 * Columns the model will generate with far more nulls than the data had: every value a rare category, every value
 * folded as a quasi-identifier, or too few values for a marginal. `fold` marks each column's folded rows; with `dp`
 * only the column and the reason are kept (the share is an exact statistic of the data).
 */
export function findLostColumns(
  profiles: readonly ColumnProfile[],
  fold: ReadonlyMap<string, Uint8Array>,
  dp: boolean,
): LostColumn[] {
  const lost: LostColumn[] = []
  for (const p of profiles) {
    const model = p.model
    if (model.kind === 'pii' || model.kind === 'boolean') continue
    const n = p.isNull.length
    let nulls = 0
    for (let i = 0; i < n; i++) nulls += p.isNull[i] as number
    const values = n - nulls
    if (values === 0) continue
    const dataNullRate = nulls / n
    const gap = model.nullRate - dataNullRate
    if (!(gap >= LOST_NULL_RATE_GAP || (model.nullRate === 1 && dataNullRate < 1))) continue
    const folded = fold.get(model.name)
    let foldedValues = 0
    if (folded !== undefined) for (let i = 0; i < n; i++) if (p.isNull[i] === 0) foldedValues += folded[i] as number
    const reason: LostColumn['reason'] =
      foldedValues > 0 && foldedValues >= values / 2
        ? 'quasi-identifier'
        : model.kind === 'categorical'
          ? 'rare-categories'
          : 'too-few-values'
    lost.push({
      column: model.name,
      reason,
      ...(dp ? {} : { share: Math.min(1, gap / (1 - dataNullRate)), values }),
    })
  }
  return lost
}

/** Library wording of what to do about a lost column (no CLI flags; the CLI says it with its own). */
export function lostColumnAdvice(lost: LostColumn): string {
  return lost.reason === 'quasi-identifier'
    ? `Tag "${lost.column}" as PII or as an identifier (kind "id") in the schema, or drop it.`
    : `If "${lost.column}" is an identifier or free text, declare it kind "id" or "text" in the schema (regenerated in its shape, not learned); if it holds dates, declare it kind "datetime" with its format; or collapse rare categories into one bucket.`
}
