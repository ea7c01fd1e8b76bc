import type { SynthModelFile } from '@modelgate/synth'
import { describeLostColumn } from '@modelgate/synth'

/** One `warn:` line per column the model generates with far more nulls than the data had, with what to do. */
export function lostColumnWarnings(file: SynthModelFile): string[] {
  return (file.lostColumns ?? []).map((lost) => {
    const model = file.columns.find((c) => c.name === lost.column)
    const text = describeLostColumn(lost, {
      k: file.privacy.k,
      trainingRows: file.trainingRows,
      nullRate: model?.nullRate ?? 1,
    })
    const name = lost.column
    const advice =
      lost.reason === 'quasi-identifier'
        ? `Tag "${name}" as PII or as an identifier in a schema (or --pii ${name}:id), or drop it.`
        : `If "${name}" is an identifier or free text, declare it kind "id" or "text" in a schema, so it is regenerated in its shape; if it holds dates, declare it kind "datetime" with its format; or pass --rare other to keep its rare values as one bucket.`
    return `warn: ${text}. ${advice}`
  })
}
