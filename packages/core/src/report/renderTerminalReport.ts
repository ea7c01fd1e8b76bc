import { formatNumber } from '../format/formatNumber.js'
import { countVerdicts } from './createReport.js'
import { createPaint, padEnd } from './internal/format.js'
import type { CheckResult, Report, Verdict } from './Report.js'

export interface RenderTerminalOptions {
  /** ANSI colours (default false). */
  readonly color?: boolean
  /** Also list passing and skipped checks (default: only when there are at most 20 checks). */
  readonly showPassing?: boolean
}

const ORDER: Readonly<Record<Verdict, number>> = { fail: 0, warn: 1, skip: 2, pass: 3 }
const MARK: Readonly<Record<Verdict, string>> = { fail: 'FAIL', warn: 'WARN', skip: 'SKIP', pass: 'PASS' }

/** A terminal summary: verdict and headline figures, then failing and warning checks first, then counts. */
export function renderTerminalReport(report: Report, options: RenderTerminalOptions = {}): string {
  const paint = createPaint(options.color ?? false)
  const tint = (verdict: Verdict, text: string): string =>
    verdict === 'fail'
      ? paint.red(text)
      : verdict === 'warn'
        ? paint.yellow(text)
        : verdict === 'pass'
          ? paint.green(text)
          : paint.dim(text)
  const lines: string[] = [`${paint.bold(report.title)}  ${tint(report.verdict, MARK[report.verdict])}`]
  const summary = Object.entries(report.summary)
  if (summary.length > 0) {
    const width = Math.max(...summary.map(([key]) => key.length))
    for (const [key, value] of summary)
      lines.push(`  ${padEnd(key, width)}  ${typeof value === 'number' ? formatNumber(value) : value}`)
  }
  const showPassing = options.showPassing ?? report.checks.length <= 20
  const shown = report.checks
    .map((check, index) => ({ check, index }))
    .filter(({ check }) => showPassing || check.verdict === 'fail' || check.verdict === 'warn')
    .sort((a, b) => ORDER[a.check.verdict] - ORDER[b.check.verdict] || a.index - b.index)
  if (shown.length > 0) lines.push('')
  for (const { check } of shown) lines.push(`  ${tint(check.verdict, MARK[check.verdict])}  ${describe(check)}`)
  const hidden = report.checks.length - shown.length
  if (hidden > 0) lines.push(paint.dim(`  … ${hidden} passing or skipped check${hidden === 1 ? '' : 's'} not shown`))
  const counts = countVerdicts(report.checks)
  const parts = [
    counts.fail > 0 ? paint.red(`${counts.fail} failed`) : `${counts.fail} failed`,
    counts.warn > 0 ? paint.yellow(`${counts.warn} warned`) : `${counts.warn} warned`,
    `${counts.pass} passed`,
    ...(counts.skip > 0 ? [`${counts.skip} skipped`] : []),
  ]
  lines.push(
    '',
    `${report.checks.length} checks: ${parts.join(', ')}${report.durationMs === undefined ? '' : ` in ${formatDuration(report.durationMs)}`}`,
  )
  return `${lines.join('\n')}\n`
}

function describe(check: CheckResult): string {
  return check.message.includes(check.name)
    ? `[${check.group}] ${check.message}`
    : `[${check.group}] ${check.name}: ${check.message}`
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}
