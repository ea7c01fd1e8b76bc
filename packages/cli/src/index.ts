// @modelgate/cli — the modelgate command line as functions (the bins are two lines over these).

export type { CommandContext, CommandSpec } from './Command.js'
export type { CliErrorCode } from './errors.js'
export { CLI_ERROR_CODES, CliError } from './errors.js'
export type { RunOptions } from './main.js'
export { runCommand, runMain } from './main.js'
export type { CommandGroup } from './registry.js'
export { COMMAND_GROUPS } from './registry.js'
