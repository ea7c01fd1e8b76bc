import { formatNumber } from '../format/formatNumber.js'
import { allChecks, countVerdicts } from './createReport.js'
import { describeMetric } from './internal/describeMetric.js'
import { escapeXml as esc } from './internal/escape.js'
import { renderChartSvg } from './internal/svgCharts.js'
import { byVerdict } from './internal/verdictOrder.js'
import type { CheckResult, Report } from './Report.js'

const CSS = `
:root{--fail:#c62828;--inconclusive:#6a1b9a;--warn:#9a5b00;--pass:#2e7d32;--skip:#6b7280;--bg:#f7f7f8;--card:#fff;--ink:#1f2328;--muted:#57606a;--line:#d8dee4}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 10px}
.meta{color:var(--muted);font-size:12px}.badge{display:inline-block;padding:2px 10px;border-radius:999px;color:#fff;font-weight:600;font-size:12px;text-transform:uppercase;letter-spacing:.04em;vertical-align:middle}
.badge.fail{background:var(--fail)}.badge.inconclusive{background:var(--inconclusive)}.badge.warn{background:var(--warn)}.badge.pass{background:var(--pass)}.badge.skip{background:var(--skip)}
tr.fail{background:#fdf2f2}tr.inconclusive{background:#f7f0fa}tr.warn{background:#fdf8ee}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px;margin-top:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px}.card .k{color:var(--muted);font-size:12px}.card .v{font-size:20px;font-weight:600;overflow-wrap:anywhere}.card .v.s{font-size:13px;font-weight:500}
.card.f .v{color:var(--fail)}.card.i .v{color:var(--inconclusive)}.card.w .v{color:var(--warn)}.card.p .v{color:var(--pass)}
table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}th{background:#eef1f4;font-size:12px;color:var(--muted)}
tr.fail td:first-child{border-left:4px solid var(--fail)}tr.inconclusive td:first-child{border-left:4px solid var(--inconclusive)}tr.warn td:first-child{border-left:4px solid var(--warn)}tr.pass td:first-child{border-left:4px solid var(--pass)}tr.skip td:first-child{border-left:4px solid var(--skip)}
details{margin-top:6px}summary{cursor:pointer;color:var(--muted);font-size:12px}
.chart{margin:8px 0;background:var(--card);display:inline-block;border:1px solid var(--line);border-radius:8px;padding:8px;max-width:100%;overflow-x:auto}.chart figcaption{font-weight:600;font-size:13px;margin-bottom:4px}
svg text{font:11px system-ui,sans-serif;fill:#333}svg text.cv{font-size:10px}svg .ax{stroke:#888}svg .gr{stroke:#e5e7eb}svg text.lg{font-size:12px}
section.report{margin-top:32px;padding-top:8px;border-top:2px solid var(--line)}
table.mt{border:0;background:none;width:auto}table.mt th,table.mt td{border:0;padding:1px 6px 1px 0;background:none;font-size:12px}table.mt th{color:var(--muted);font-weight:500;white-space:nowrap}table.mt td{color:var(--ink);font-family:ui-monospace,SFMono-Regular,Menlo,monospace;white-space:nowrap}
@media print{body{background:#fff}details::details-content{content-visibility:visible;display:block}main{max-width:none;padding:0}.chart,tr,section.cards{break-inside:avoid}summary{display:none}a{color:inherit;text-decoration:none}}
`

/** Metrics shown in a check's row; the rest sit behind "n more" (the first ones are the check's headline figures). */
const SHOWN_METRICS = 5

/**
 * One self-contained HTML page: inline CSS, inline SVG charts (bars, heat map, line, scatter) with text alternatives,
 * no scripts, fonts or external URLs (printing shows collapsed charts too where the browser supports
 * `::details-content`, Chromium 131+). Summary cards,
 * a table of checks (failures first) with verdict colours, metrics as a small labelled table with units, per-check
 * charts in `<details>` — open for a check that did not pass, so a failure opens with its evidence. Sub-reports follow
 * as sections, failing ones first, after an overview table of their verdicts.
 */
export function renderHtml(report: Report): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(report.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<h1>${esc(report.title)} <span class="badge ${report.verdict}">${report.verdict}</span></h1>
<div class="meta">${meta(report)}</div>
${body(report, 2)}
</main>
</body>
</html>
`
}

function meta(report: Report): string {
  return `${esc(report.kind)} · ${esc(report.createdAt)}${report.durationMs === undefined ? '' : ` · ${esc(formatNumber(report.durationMs))} ms`}`
}

/** Cards, charts, the checks table and the sub-report sections of one report; `level` is its headings' level. */
function body(report: Report, level: number): string {
  const h = `h${Math.min(level, 6)}`
  const counts = countVerdicts(allChecks(report))
  const cards = [
    ...Object.entries(report.summary).map(([key, value]) => {
      const shown =
        typeof value === 'number' ? describeMetric(key, value) : { label: describeMetric(key, 0).label, value }
      return card(shown.label, shown.value, '')
    }),
    card('failed', String(counts.fail), counts.fail > 0 ? 'f' : ''),
    ...(counts.inconclusive > 0 ? [card('inconclusive', String(counts.inconclusive), 'i')] : []),
    card('warned', String(counts.warn), counts.warn > 0 ? 'w' : ''),
    card('passed', String(counts.pass), 'p'),
    ...(counts.skip > 0 ? [card('skipped', String(counts.skip), '')] : []),
  ]
  const charts = (report.charts ?? []).map(renderChartSvg)
  const subs = byVerdict(report.reports ?? [])
  const parts = [`<section class="cards">${cards.join('')}</section>`]
  if (subs.length > 0) {
    parts.push(
      `<${h}>Reports (${subs.length})</${h}>`,
      '<table>',
      '<thead><tr><th>verdict</th><th>report</th><th>kind</th><th>checks</th></tr></thead>',
      '<tbody>',
      ...subs.map(overviewRow),
      '</tbody>',
      '</table>',
    )
  }
  if (charts.length > 0) parts.push(`<${h}>Charts</${h}>`, `<section>${charts.join('\n')}</section>`)
  if (report.checks.length > 0 || subs.length === 0) {
    parts.push(
      `<${h}>Checks (${report.checks.length})</${h}>`,
      '<table>',
      '<thead><tr><th>verdict</th><th>group</th><th>name</th><th>result</th><th>metrics</th></tr></thead>',
      '<tbody>',
      ...byVerdict(report.checks).map(row),
      '</tbody>',
      '</table>',
    )
  }
  for (const sub of subs) {
    parts.push(
      `<section class="report" id="${anchor(sub)}">`,
      `<${h}><span class="badge ${sub.verdict}">${sub.verdict}</span> ${esc(sub.title)}</${h}>`,
      `<div class="meta">${meta(sub)}</div>`,
      body(sub, level + 1),
      '</section>',
    )
  }
  return parts.join('\n')
}

function overviewRow(sub: Report): string {
  const counts = countVerdicts(allChecks(sub))
  const figures = [
    `${counts.fail} failed`,
    ...(counts.inconclusive > 0 ? [`${counts.inconclusive} inconclusive`] : []),
    `${counts.warn} warned`,
    `${counts.pass} passed`,
  ].join(', ')
  return `<tr class="${sub.verdict}"><td><span class="badge ${sub.verdict}">${sub.verdict}</span></td><td><a href="#${anchor(sub)}">${esc(sub.title)}</a></td><td>${esc(sub.kind)}</td><td>${figures}</td></tr>`
}

function anchor(report: Report): string {
  return esc(`report-${report.kind}-${report.title}`.replace(/\s+/g, '-'))
}

function card(key: string, value: string, tone: string): string {
  // Long text values (paths, URLs) get a smaller type so that number cards stay readable at a glance.
  const size = value.length > 14 ? ' s' : ''
  return `<div class="card${tone === '' ? '' : ` ${tone}`}"><div class="k">${esc(key)}</div><div class="v${size}">${esc(value)}</div></div>`
}

function row(check: CheckResult): string {
  const charts = check.charts ?? []
  const open = check.verdict === 'pass' || check.verdict === 'skip' ? '' : ' open'
  const details =
    charts.length === 0
      ? ''
      : `<details${open}><summary>${charts.length} chart${charts.length === 1 ? '' : 's'}</summary>${charts.map(renderChartSvg).join('')}</details>`
  return `<tr class="${check.verdict}" id="${esc(check.id.replace(/\s+/g, '-'))}"><td><span class="badge ${check.verdict}">${check.verdict}</span></td><td>${esc(check.group)}</td><td>${esc(check.name)}</td><td>${esc(check.message)}${details}</td><td>${metricsTable(check.metrics)}</td></tr>`
}

function metricsTable(metrics: CheckResult['metrics']): string {
  if (metrics === undefined) return ''
  const rows = Object.entries(metrics).map(([key, value]) => {
    const shown = describeMetric(key, value)
    return `<tr><th scope="row" title="${esc(key)}">${esc(shown.label)}</th><td>${esc(shown.value)}</td></tr>`
  })
  if (rows.length === 0) return ''
  const head = `<table class="mt">${rows.slice(0, SHOWN_METRICS).join('')}</table>`
  const rest = rows.slice(SHOWN_METRICS)
  return rest.length === 0
    ? head
    : `${head}<details><summary>${rest.length} more</summary><table class="mt">${rest.join('')}</table></details>`
}
