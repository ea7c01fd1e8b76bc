import type { ParseArgsConfig } from 'node:util'

/** What a command receives. Commands never call process.exit or write to process.stdout directly. */
export interface CommandContext {
  /** The command being run: its name and usage line (for usage errors). */
  readonly command: Pick<CommandSpec, 'name' | 'usage'>
  /** Parsed option values (strings, booleans, or arrays for `multiple: true`). */
  readonly values: Readonly<Record<string, string | boolean | readonly string[] | undefined>>
  readonly positionals: readonly string[]
  /** Terminal output (stdout). */
  readonly out: (text: string) => void
  /** Progress and diagnostics (stderr); progress bars go here. */
  readonly err: (text: string) => void
  /** Whether stderr is a TTY (draw live progress bars only then). */
  readonly interactive: boolean
  readonly cwd: string
  /**
   * Aborted on the first Ctrl-C (SIGINT) or SIGTERM while a `cancellable` command runs: the command stops at
   * its next check, removes what it was writing and returns. A second Ctrl-C ends the process at once.
   */
  readonly signal: AbortSignal
}

export interface CommandSpec {
  /** e.g. `synth train`. */
  readonly name: string
  readonly summary: string
  /** Usage line(s) printed by --help and on usage errors. */
  readonly usage: string
  readonly options: NonNullable<ParseArgsConfig['options']>
  readonly allowPositionals?: boolean
  /**
   * The command honours `ctx.signal`. Only then does the CLI catch Ctrl-C; other commands keep the default (the
   * process ends at once), which would otherwise leave them running to the end.
   */
  readonly cancellable?: boolean
  /** What a cancellable command does when stopped, printed on Ctrl-C (default: "removing what it was writing"). */
  readonly stopping?: string
  /** Returns the exit code: 0 ok, 1 failed check. Throws ModelGateError for bad input (exit 2). */
  readonly run: (ctx: CommandContext) => Promise<number>
}
