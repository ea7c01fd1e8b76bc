import { ModelGateError } from '../../errors.js'

/** Indexes of the requested columns in `names` (all when `wanted` is undefined); `MG_TABLE_NO_COLUMN` for unknown ones. */
export function selectedIndexes(
  names: readonly string[],
  wanted: readonly string[] | undefined,
  file: string,
): number[] {
  if (wanted === undefined) return names.map((_, i) => i)
  return wanted.map((w) => {
    const i = names.indexOf(w)
    if (i === -1) {
      throw new ModelGateError(
        'MG_TABLE_NO_COLUMN',
        `${file} has no column "${w}". Available columns: ${names.map((n) => `"${n}"`).join(', ')}.`,
        {
          location: { file, column: w },
        },
      )
    }
    return i
  })
}
