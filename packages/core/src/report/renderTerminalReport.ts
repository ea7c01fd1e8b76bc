import { formatNumber } from '../format/formatNumber.js'
import { allChecks, countVerdicts } from './createReport.js'
import type { Paint } from './internal/format.js'
import { createPaint, padEnd } from './internal/format.js'
import { byVerdict } from './internal/verdictOrder.js'
import type { CheckResult, Report, Verdict } from './Report.js'

export interface RenderTerminalOptions {
  /** ANSI colours (default false). */
  readonly color?: boolean
  /** Also list passing and skipped checks (default: only when there are at most 20 checks). */
  readonly showPassing?: boolean
}

const MARK: Readonly<Record<Verdict, string>> = {
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
  warn: 'WARN',
  skip: 'SKIP',
  pass: 'PASS',
}

/**
 * A terminal summary: verdict and headline figures, then failing, inconclusive and warning checks first, then
 * counts. Sub-reports follow as indented sections, failing ones first, each with its verdict in its heading.
 */
export function renderTerminalReport(report: Report, options: RenderTerminalOptions = {}): string {
  const paint = createPaint(options.color ?? false)
  const lines = section(report, paint, options, '')
  const checks = allChecks(report)
  const counts = countVerdicts(checks)
  const parts = [
    counts.fail > 0 ? paint.red(`${counts.fail} failed`) : `${counts.fail} failed`,
    ...(counts.inconclusive > 0 ? [paint.magenta(`${counts.inconclusive} inconclusive`)] : []),
    counts.warn > 0 ? paint.yellow(`${counts.warn} warned`) : `${counts.warn} warned`,
    `${counts.pass} passed`,
    ...(counts.skip > 0 ? [`${counts.skip} skipped`] : []),
  ]
  const reports = countReports(report)
  lines.push(
    '',
    `${checks.length} check${checks.length === 1 ? '' : 's'}${reports === 0 ? '' : ` in ${reports + 1} reports`}: ${parts.join(', ')}${report.durationMs === undefined ? '' : ` in ${formatDuration(report.durationMs)}`}`,
  )
  return `${lines.join('\n')}\n`
}

function section(report: Report, paint: Paint, options: RenderTerminalOptions, indent: string): string[] {
  const tint = (verdict: Verdict, text: string): string => tintVerdict(paint, verdict, text)
  const lines: string[] = [`${indent}${paint.bold(report.title)}  ${tint(report.verdict, MARK[report.verdict])}`]
  const summary = Object.entries(report.summary)
  if (summary.length > 0) {
    const width = Math.max(...summary.map(([key]) => key.length))
    for (const [key, value] of summary)
      lines.push(`${indent}  ${padEnd(key, width)}  ${typeof value === 'number' ? formatNumber(value) : value}`)
  }
  const showPassing = options.showPassing ?? report.checks.length <= 20
  const shown = byVerdict(report.checks).filter((check) => showPassing || !['pass', 'skip'].includes(check.verdict))
  if (shown.length > 0) lines.push('')
  const width = Math.max(0, ...shown.map((check) => MARK[check.verdict].length))
  for (const check of shown)
    lines.push(`${indent}  ${tint(check.verdict, padEnd(MARK[check.verdict], width))}  ${describe(check)}`)
  const hidden = report.checks.length - shown.length
  if (hidden > 0)
    lines.push(paint.dim(`${indent}  … ${hidden} passing or skipped check${hidden === 1 ? '' : 's'} not shown`))
  for (const sub of byVerdict(report.reports ?? [])) {
    const counts = countVerdicts(sub.checks)
    lines.push('', ...section(sub, paint, options, `${indent}  `))
    if ((sub.reports ?? []).length === 0 && sub.checks.length > 0) {
      lines.push(
        paint.dim(
          `${indent}    ${sub.checks.length} check${sub.checks.length === 1 ? '' : 's'}: ${counts.fail} failed${counts.inconclusive > 0 ? `, ${counts.inconclusive} inconclusive` : ''}, ${counts.warn} warned, ${counts.pass} passed${counts.skip > 0 ? `, ${counts.skip} skipped` : ''}`,
        ),
      )
    }
  }
  return lines
}

function tintVerdict(paint: Paint, verdict: Verdict, text: string): string {
  switch (verdict) {
    case 'fail':
      return paint.red(text)
    case 'inconclusive':
      return paint.magenta(text)
    case 'warn':
      return paint.yellow(text)
    case 'pass':
      return paint.green(text)
    case 'skip':
      return paint.dim(text)
  }
}

function countReports(report: Report): number {
  return (report.reports ?? []).reduce((n, sub) => n + 1 + countReports(sub), 0)
}

function describe(check: CheckResult): string {
  return check.message.includes(check.name)
    ? `[${check.group}] ${check.message}`
    : `[${check.group}] ${check.name}: ${check.message}`
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
