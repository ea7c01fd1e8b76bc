import type { CategoricalColumn } from '../Table.js'

/** Dictionary-encodes strings (null stays null) into a categorical column, categories in order of first appearance. */
export function categoricalFromStrings(name: string, values: readonly (string | null | undefined)[]): CategoricalColumn {
  const index = new Map<string, number>()
  const dictionary: string[] = []
  const codes = new Int32Array(values.length)
  for (let i = 0; i < values.length; i++) {
    const s = values[i]
    if (s === null || s === undefined) {
      codes[i] = -1
      continue
    }
    let code = index.get(s)
    if (code === undefined) {
      code = dictionary.length
      dictionary.push(s)
      index.set(s, code)
    }
    codes[i] = code
  }
  return { kind: 'categorical', name, codes, dictionary }
}
