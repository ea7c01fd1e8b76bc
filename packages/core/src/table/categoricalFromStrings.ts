import type { GrowingDictionary } from '../io/internal/ColumnPlan.js'
import { dictionaryCode } from '../io/internal/ColumnPlan.js'
import type { CategoricalColumn } from '../Table.js'

/** Dictionary-encodes strings (null stays null) into a categorical column, categories in order of first appearance. */
export function categoricalFromStrings(
  name: string,
  values: readonly (string | null | undefined)[],
): CategoricalColumn {
  const labels: GrowingDictionary = { dictionary: [], index: new Map() }
  const codes = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const s = values[i]
    codes[i] = s === null || s === undefined ? -1 : dictionaryCode(labels, s)
  }
  return { kind: 'categorical', name, codes, dictionary: labels.dictionary }
}
