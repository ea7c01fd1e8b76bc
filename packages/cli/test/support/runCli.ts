import { runCommand } from '@modelgate/cli'

export interface CliResult {
  readonly code: number
  readonly out: string
  readonly err: string
}

/** Runs `modelgate <args>` in-process, capturing stdout and stderr, as a non-interactive terminal would. */
export async function runCli(args: readonly string[], cwd?: string): Promise<CliResult> {
  let out = ''
  let err = ''
  const code = await runCommand(args, {
    out: (text) => {
      out += `${text}\n`
    },
    err: (text) => {
      err += `${text}\n`
    },
    interactive: false,
    ...(cwd === undefined ? {} : { cwd }),
  })
  return { code, out, err }
}
