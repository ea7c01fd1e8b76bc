import type { ColumnSchema, TableSchema } from '@modelgate/core'
import type { SynthModelFile } from './modelFile.js'

/** What a model knows of one categorical column's values: the stored categories and the share it did not store. */
export interface ModelCategories {
  /** Categories the model stores (each seen at least k times in training). */
  readonly values: readonly string[]
  /** Share of non-null training values in categories the model did not store (0 when the model predates the count). */
  readonly otherShare: number
}

export interface SynthModelSchema {
  /** One column per model column: its kind, nullability (null in training) and PII type; no values. */
  readonly schema: TableSchema
  /** Per categorical column (not under DP, whose categories are noisy): stored categories and the unstored share. */
  readonly categories: Readonly<Record<string, ModelCategories>>
  /** Rows the model was trained on (under DP, a noisy count). */
  readonly trainingRows: number
}

/**
 * The schema a model file implies, for tools that need the columns without the training data (deriving payload
 * expectations from a model alone): every column's kind, whether it was ever null, its PII type; and per categorical
 * column the categories stored and the share of training values outside them (a share, never the values).
 */
export function synthModelSchema(file: SynthModelFile): SynthModelSchema {
  const categories: Record<string, ModelCategories> = {}
  const columns = file.columns.map((c): ColumnSchema => {
    const nullable = c.nullRate > 0
    switch (c.kind) {
      case 'numeric':
      case 'integer':
        return { name: c.name, kind: c.kind, nullable }
      case 'datetime':
        return { name: c.name, kind: 'datetime', nullable, ...(c.format === undefined ? {} : { format: c.format }) }
      case 'boolean':
        return { name: c.name, kind: 'boolean', nullable }
      case 'categorical':
        if (file.privacy.dp == null)
          categories[c.name] = { values: c.categories.map((x) => x.value), otherShare: c.rare.share ?? 0 }
        return { name: c.name, kind: 'categorical', nullable }
      case 'text':
        return { name: c.name, kind: c.outputKind, nullable, ...(c.unique ? { unique: true } : {}) }
      default:
        return {
          name: c.name,
          kind: c.outputKind,
          nullable,
          ...(c.unique ? { unique: true } : {}),
          ...(c.pii === 'id' ? {} : { pii: { type: c.pii } }),
        }
    }
  })
  return { schema: { version: 1, columns }, categories, trainingRows: file.trainingRows }
}
