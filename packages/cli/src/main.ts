import { parseArgs } from 'node:util'
import { describeLocation, isModelGateError, ModelGateError } from '@modelgate/core'
import type { CommandContext, CommandSpec } from './Command.js'
import { cliHint } from './cliHint.js'
import { COMMAND_GROUPS } from './registry.js'

export interface RunOptions {
  readonly out?: (text: string) => void
  readonly err?: (text: string) => void
  readonly interactive?: boolean
  readonly cwd?: string
  /** Cancels a cancellable command (default: one aborted by the first SIGINT or SIGTERM while it runs). */
  readonly signal?: AbortSignal
}

const VERSION = '0.1.0'

/**
 * Runs one CLI invocation and returns its exit code: 0 success, 1 failed check, 2 usage error or bad input.
 * Never exits the process; tests call this in-process.
 */
export async function runCommand(argv: readonly string[], options: RunOptions = {}): Promise<number> {
  const out = options.out ?? ((text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`))
  const err = options.err ?? ((text: string) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`))
  const [groupName, ...rest] = argv
  if (groupName === undefined) {
    // no command is a usage error: the help goes to stderr, as every usage error's text does
    err(await mainHelp())
    return 2
  }
  if (groupName === '--help' || groupName === '-h' || groupName === 'help') {
    out(await mainHelp())
    return 0
  }
  if (groupName === '--version' || groupName === '-v') {
    out(VERSION)
    return 0
  }
  const group = COMMAND_GROUPS.find((g) => g.name === groupName)
  if (group === undefined) {
    err(`modelgate: unknown command "${groupName}". Run \`modelgate --help\` to list commands.`)
    return 2
  }
  try {
    const commands = await group.load()
    const { command, args } = pickCommand(group.name, commands, rest)
    if (command === undefined) {
      ;(args.includes('--help') || args.includes('-h') ? out : err)(groupHelp(group.name, commands))
      return args.includes('--help') || args.includes('-h') ? 0 : 2
    }
    if (args.includes('--help') || args.includes('-h')) {
      out(commandHelp(command))
      return 0
    }
    const parsed = parseCommandArgs(command, args)
    const controller = new AbortController()
    const ctx: CommandContext = {
      command,
      values: parsed.values as CommandContext['values'],
      positionals: parsed.positionals,
      out,
      err,
      interactive: options.interactive ?? process.stderr.isTTY === true,
      cwd: options.cwd ?? process.cwd(),
      signal: options.signal ?? controller.signal,
    }
    if (command.cancellable === true && options.signal === undefined)
      return await runCancellable(command, ctx, controller, err)
    return await command.run(ctx)
  } catch (error) {
    return reportError(error, err)
  }
}

/**
 * Runs a cancellable command with the first SIGINT/SIGTERM turned into `ctx.signal`. The handlers are `once`:
 * a second Ctrl-C gets the default action and ends the process at once.
 */
async function runCancellable(
  command: CommandSpec,
  ctx: CommandContext,
  controller: AbortController,
  err: (text: string) => void,
): Promise<number> {
  const onSignal = (signal: NodeJS.Signals): void => {
    err(
      `${signal === 'SIGINT' ? 'Ctrl-C' : signal}: stopping ${command.name} and ${command.stopping ?? 'removing what it was writing'} (Ctrl-C again to quit at once)…`,
    )
    process.off(signal === 'SIGINT' ? 'SIGTERM' : 'SIGINT', onSignal)
    controller.abort()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    return await command.run(ctx)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** The process entry point: runs the command and sets the exit code. Only this function touches `process.exitCode`. */
export async function runMain(argv: readonly string[]): Promise<void> {
  process.exitCode = await runCommand(argv)
}

function pickCommand(
  groupName: string,
  commands: readonly CommandSpec[],
  args: readonly string[],
): { command: CommandSpec | undefined; args: readonly string[] } {
  // `skew` may be both a group and a command (`modelgate skew --rows …` and `modelgate skew leakage …`).
  const sub = args[0]
  const bySub =
    sub !== undefined && !sub.startsWith('-') ? commands.find((c) => c.name === `${groupName} ${sub}`) : undefined
  if (bySub !== undefined) return { command: bySub, args: args.slice(1) }
  const bare = commands.find((c) => c.name === groupName)
  return { command: bare, args }
}

function parseCommandArgs(command: CommandSpec, args: readonly string[]): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({
      args: [...args],
      options: command.options,
      allowPositionals: command.allowPositionals ?? false,
      strict: true,
    })
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ModelGateError('MG_CLI_USAGE', `modelgate ${command.name}: ${reason}`, {
      hint: `Usage: ${command.usage}`,
    })
  }
}

function reportError(error: unknown, err: (text: string) => void): number {
  if (isModelGateError(error)) {
    // Most messages already say where; prefix the location only when the message names neither file nor column.
    const location = error.location
    const named =
      location === undefined ||
      [location.file, location.column].some((part) => part !== undefined && error.message.includes(part))
    const message = named || location === undefined ? error.message : `${describeLocation(location)}: ${error.message}`
    err(`error ${error.code}: ${message}`)
    if (error.hint !== undefined) err(`hint: ${error.hint}`)
    const onCommandLine = cliHint(error)
    if (onCommandLine !== undefined) err(`hint: ${onCommandLine}`)
    return error.exitCode
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error)
  err(`internal error: ${message}`)
  err('hint: this is a bug in ModelGate; please report it with the command you ran.')
  return 2
}

async function mainHelp(): Promise<string> {
  const width = Math.max(...COMMAND_GROUPS.map((g) => g.name.length))
  const lines = COMMAND_GROUPS.map((g) => `  ${g.name.padEnd(width)}  ${g.summary}`)
  return [
    `modelgate ${VERSION} — test ML inference endpoints before and after they ship, without production PII`,
    '',
    'Usage: modelgate <command> [options]   (modelgate <command> --help for details)',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 pass or warn · 1 a check failed or is inconclusive (see --allow-inconclusive) · 2 usage error or bad input',
  ].join('\n')
}

function groupHelp(groupName: string, commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    `Usage: modelgate ${groupName} <command> [options]`,
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
  ].join('\n')
}

function commandHelp(command: CommandSpec): string {
  const opts = Object.entries(command.options).map(([name, o]) => {
    const flag = `--${name}${o.type === 'string' ? ' <value>' : ''}${o.multiple === true ? ' (repeatable)' : ''}`
    return `  ${flag}`
  })
  return [`${command.summary}`, '', `Usage: ${command.usage}`, '', 'Options:', ...opts].join('\n')
}
