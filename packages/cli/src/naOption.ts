import type { ReadOptions } from '@modelgate/core'
import { DEFAULT_NULL_VALUES } from '@modelgate/core'
import type { CommandContext } from './Command.js'

/**
 * The reading options shared by every command that reads data: `--na` (extra texts that mean "missing",
 * comma-separated) and `--day-first` (read `01/02/2000` as 1 February when the data does not prove the order).
 */
export const NA_OPTION = { na: { type: 'string' }, 'day-first': { type: 'boolean' } } as const

export function naOption(ctx: CommandContext): Pick<ReadOptions, 'nullValues' | 'dayFirst'> {
  const na = ctx.values.na
  const dayFirst = ctx.values['day-first'] === true ? { dayFirst: true } : {}
  if (typeof na !== 'string') return dayFirst
  return { nullValues: [...DEFAULT_NULL_VALUES, ...na.split(',').map((s) => s.trim())], ...dayFirst }
}
