import type { LeakageReport } from './checkLeakage.js'
import type { FeatureSkew, SkewReport } from './types.js'

/**
 * The rows behind each failure, for the terminal after the report summary: per failing feature its worst rows (key,
 * batch → online, the difference, the input row, with redacted columns already masked by `checkSkew`), per failing
 * leakage check its offending rows. Empty when nothing failed.
 */
export function renderSkewDetails(report: SkewReport | LeakageReport): string {
  const lines = report.kind === 'skew' ? worstRows(report.features) : offendingRows(report)
  if (lines.length > 0 && report.redactedColumns.length > 0)
    lines.push('', `  redacted (PII): ${report.redactedColumns.map((c) => `${c.column} (${c.reason})`).join(', ')}`)
  return lines.length === 0 ? '' : `\n${lines.join('\n')}`
}

function worstRows(features: readonly FeatureSkew[]): string[] {
  const lines: string[] = []
  for (const f of features) {
    if (f.verdict !== 'fail' || f.worstRows.length === 0) continue
    lines.push('', `  ${f.feature}: worst rows (batch → online)`)
    for (const w of f.worstRows) {
      const diff = w.difference === null ? '' : `  Δ ${cell(w.difference)}`
      const input = Object.entries(w.input)
        .map(([k, v]) => `${k}=${cell(v)}`)
        .join(' ')
      lines.push(`    key ${cell(w.key)}: ${cell(w.batch)} → ${cell(w.online)}${diff}`, `      input: ${input}`)
    }
  }
  return lines
}

function offendingRows(report: LeakageReport): string[] {
  const lines: string[] = []
  for (const c of report.checks) {
    if (c.verdict !== 'fail') continue
    lines.push('', `  ${c.name}: offending rows`)
    for (const e of c.examples)
      lines.push(
        `    row ${e.row.toLocaleString('en-US')} (${e.split}${e.entity === undefined ? '' : `, entity ${e.entity}`}): ${e.reason}`,
      )
  }
  return lines
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)))
  return typeof v === 'string' ? v : JSON.stringify(v)
}
