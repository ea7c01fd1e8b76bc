import type { Report } from '@modelgate/core'
import { renderTerminalReport, verdictExitCode, writeReport } from '@modelgate/core'
import type { CommandContext } from './Command.js'
import { readOptions } from './options.js'

/** The report flags of every command that produces a Report (spread into its `options`). */
export const REPORT_OPTIONS = {
  json: { type: 'boolean' },
  'json-out': { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
  'allow-inconclusive': { type: 'boolean' },
} as const

/** Their usage text, for a command's usage line. */
export const REPORT_USAGE = '[--json] [--json-out <file>] [--junit <file>] [--html <file>] [--allow-inconclusive]'

export interface EmitReportOptions {
  /** Text after the terminal summary (not with --json): the rows behind a failure, say. */
  readonly details?: string
}

/**
 * Emits a report the one way every command does: `--json` prints the JSON report on stdout (and nothing else goes
 * there), otherwise the terminal summary; then `--json-out`, `--junit` and `--html` are written (all rendered before
 * any is written, each atomically). Returns the exit code from core's `verdictExitCode`, honouring
 * `--allow-inconclusive` and, where the command has it, `--strict`.
 */
export async function emitReport(
  ctx: CommandContext,
  report: Report,
  options: EmitReportOptions = {},
): Promise<number> {
  const read = readOptions(ctx)
  if (read.flag('json')) ctx.out(JSON.stringify(report, null, 2))
  else ctx.out(renderTerminalReport(report, { color: ctx.interactive }).trimEnd() + (options.details ?? ''))
  const json = read.file('json-out')
  const junit = read.file('junit')
  const html = read.file('html')
  await writeReport(report, {
    ...(json === undefined ? {} : { json: json.path }),
    ...(junit === undefined ? {} : { junit: junit.path }),
    ...(html === undefined ? {} : { html: html.path }),
  })
  for (const file of [json, junit, html]) if (file !== undefined) ctx.err(`wrote ${file.name}`)
  return verdictExitCode(report.verdict, {
    allowInconclusive: read.flag('allow-inconclusive'),
    strict: read.flag('strict'),
  })
}
