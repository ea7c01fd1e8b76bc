import { formatNumber, formatPercent } from '../format/formatNumber.js'
import { createPaint, padEnd, padStart, sparkline, truncate } from '../report/internal/format.js'
import type { ColumnProfile, TableProfile } from './Profile.js'

export interface RenderProfileOptions {
  /** Heading, e.g. the file name. */
  readonly title?: string
  /** ANSI colours (default false). */
  readonly color?: boolean
  /** Width of the summary column (default 60). */
  readonly summaryWidth?: number
}

/** A compact, aligned terminal table: one line per column with kind, nulls, distinct, summary and histogram. */
export function renderProfile(profile: TableProfile, options: RenderProfileOptions = {}): string {
  const paint = createPaint(options.color ?? false)
  const summaryWidth = options.summaryWidth ?? 60
  const heading = `${options.title === undefined ? 'Table' : options.title} — ${profile.numRows.toLocaleString('en-US')} rows × ${profile.numColumns} columns`
  const rows = profile.columns.map((c) => ({
    name: truncate(c.name, 28),
    kind: c.pii === undefined ? c.kind : `${c.kind} PII`,
    nulls: c.nulls === 0 ? '0' : formatPercent(c.nullRate),
    distinct: c.distinct === undefined ? '' : c.distinct.toLocaleString('en-US'),
    summary: truncate(summarize(c), summaryWidth),
    chart: chartOf(c),
    pii: c.pii !== undefined,
    highNulls: c.nullRate >= 0.05,
  }))
  const width = {
    name: Math.max(6, ...rows.map((r) => r.name.length)),
    kind: Math.max(4, ...rows.map((r) => r.kind.length)),
    nulls: Math.max(5, ...rows.map((r) => r.nulls.length)),
    distinct: Math.max(8, ...rows.map((r) => r.distinct.length)),
    summary: Math.max(7, ...rows.map((r) => [...r.summary].length)),
  }
  const header = [
    padEnd('column', width.name),
    padEnd('kind', width.kind),
    padStart('nulls', width.nulls),
    padStart('distinct', width.distinct),
    padEnd('summary', width.summary),
    'distribution',
  ].join('  ')
  const lines = [paint.bold(heading), '', paint.dim(header)]
  for (const r of rows) {
    lines.push(
      [
        paint.bold(padEnd(r.name, width.name)),
        r.pii ? paint.yellow(padEnd(r.kind, width.kind)) : paint.cyan(padEnd(r.kind, width.kind)),
        r.highNulls ? paint.yellow(padStart(r.nulls, width.nulls)) : padStart(r.nulls, width.nulls),
        padStart(r.distinct, width.distinct),
        r.pii ? paint.dim(padEnd(r.summary, width.summary)) : padEnd(r.summary, width.summary),
        r.chart,
      ]
        .join('  ')
        .trimEnd(),
    )
  }
  const pii = profile.columns.filter((c) => c.pii !== undefined)
  if (pii.length > 0 || profile.warnings.length > 0) lines.push('')
  for (const c of pii)
    lines.push(paint.yellow(`PII  ${c.name}: ${c.pii?.type}${c.pii?.reason === undefined ? '' : ` — ${c.pii.reason}`}`))
  for (const w of profile.warnings) lines.push(paint.yellow(`warn ${w.message}`))
  return `${lines.join('\n')}\n`
}

function summarize(c: ColumnProfile): string {
  if (c.pii !== undefined) return `${c.pii.type} — values not shown`
  if (c.datetime !== undefined) {
    const { min, max, p50 } = c.datetime
    const dateOnly = [min, max].every((t) => t.endsWith('T00:00:00.000Z'))
    const show = (iso: string): string => (dateOnly ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`)
    return `${show(min)} … ${show(max)}  p50 ${show(p50)}`
  }
  if (c.numeric !== undefined) {
    const n = c.numeric
    return `${formatNumber(n.min)} … ${formatNumber(n.max)}  mean ${formatNumber(n.mean)} ± ${formatNumber(n.std)}  p50 ${formatNumber(n.quantiles.p50)}`
  }
  if (c.boolean !== undefined) return `true ${formatPercent(c.boolean.trueRate)}`
  if (c.categories !== undefined) {
    return c.categories.top.map((t) => `${t.value} ${formatPercent(t.share, t.share >= 0.1 ? 0 : 1)}`).join(', ')
  }
  if (c.kind === 'id' && c.distinct !== undefined)
    return c.distinct === c.count - c.nulls
      ? 'unique'
      : `${formatPercent(c.distinct / Math.max(1, c.count - c.nulls))} distinct`
  if (c.text !== undefined)
    return `length mean ${formatNumber(c.text.meanLength)}, max ${c.text.maxLength.toLocaleString('en-US')}`
  return c.nulls === c.count ? 'all null' : ''
}

function chartOf(c: ColumnProfile): string {
  if (c.pii !== undefined) return ''
  if (c.numeric !== undefined) return sparkline(c.numeric.histogram.counts)
  if (c.categories !== undefined) return sparkline(c.categories.top.map((t) => t.count))
  return ''
}
