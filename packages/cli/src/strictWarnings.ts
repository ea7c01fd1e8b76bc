import { CliError } from './errors.js'

/** Under `--strict`, prints each warning and refuses the run (exit 2) naming the columns; nothing is written. */
export function refuseWarningsUnderStrict(options: {
  readonly command: string
  readonly warnings: readonly { readonly message: string; readonly column?: string }[]
  readonly err: (text: string) => void
  /** What was not done, e.g. `schema.json was not written`. */
  readonly consequence?: string
  readonly hint: string
}): void {
  const { warnings } = options
  if (warnings.length === 0) return
  for (const warning of warnings) options.err(`warn ${warning.message}`)
  const columns = [...new Set(warnings.flatMap((w) => (w.column === undefined ? [] : [w.column])))]
  const count = `${warnings.length} warning${warnings.length === 1 ? '' : 's'}`
  throw new CliError(
    'MG_CLI_STRICT',
    `${options.command} --strict: ${count}${columns.length > 0 ? ` (${columns.join(', ')})` : ''}${options.consequence === undefined ? '.' : `; ${options.consequence}.`}`,
    { hint: options.hint },
  )
}
