import type { ReadOptions } from '@modelgate/core'
import { DEFAULT_NULL_VALUES } from '@modelgate/core'
import type { CommandContext } from './Command.js'

/** The `--na` option shared by every command that reads data: extra texts that mean "missing" (comma-separated). */
export const NA_OPTION = { na: { type: 'string' } } as const

export function naOption(ctx: CommandContext): Pick<ReadOptions, 'nullValues'> {
  const na = ctx.values.na
  if (typeof na !== 'string') return {}
  return { nullValues: [...DEFAULT_NULL_VALUES, ...na.split(',').map((s) => s.trim())] }
}
