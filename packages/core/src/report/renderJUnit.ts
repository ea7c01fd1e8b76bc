import { countVerdicts } from './createReport.js'
import { xmlText } from './internal/escape.js'
import type { CheckResult, Report } from './Report.js'

/**
 * JUnit XML (the Jenkins/GitLab/GitHub flavour): one `<testsuite>` per check group, one `<testcase>` per check,
 * `<failure message>` for failed checks, `<skipped>` for skipped ones; warnings pass with a `<system-out>` note.
 */
export function renderJUnit(report: Report): string {
  const groups = new Map<string, CheckResult[]>()
  for (const check of report.checks) {
    const list = groups.get(check.group)
    if (list === undefined) groups.set(check.group, [check])
    else list.push(check)
  }
  const total = countVerdicts(report.checks)
  const seconds = ((report.durationMs ?? 0) / 1000).toFixed(3)
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlText(report.title)}" tests="${report.checks.length}" failures="${total.fail}" errors="0" skipped="${total.skip}" time="${seconds}" timestamp="${xmlText(report.createdAt)}">`,
  ]
  let id = 0
  for (const [group, checks] of groups) {
    const counts = countVerdicts(checks)
    lines.push(
      `  <testsuite id="${id++}" name="${xmlText(group)}" package="${xmlText(report.kind)}" tests="${checks.length}" failures="${counts.fail}" errors="0" skipped="${counts.skip}" time="0" timestamp="${xmlText(report.createdAt)}">`,
    )
    for (const check of checks) {
      const open = `    <testcase name="${xmlText(check.name)}" classname="${xmlText(`${report.kind}.${group}`)}" time="0"`
      const body = caseBody(check)
      lines.push(
        body.length === 0 ? `${open}/>` : `${open}>`,
        ...body,
        ...(body.length === 0 ? [] : ['    </testcase>']),
      )
    }
    lines.push('  </testsuite>')
  }
  lines.push('</testsuites>')
  return `${lines.join('\n')}\n`
}

function caseBody(check: CheckResult): string[] {
  const metrics =
    check.metrics === undefined
      ? ''
      : Object.entries(check.metrics)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')
  const detail = [check.message, metrics === '' ? '' : `metrics: ${metrics}`, `id: ${check.id}`]
    .filter((s) => s !== '')
    .join('\n')
  switch (check.verdict) {
    case 'fail':
      return [
        `      <failure message="${xmlText(check.message)}" type="${xmlText(check.id)}">${xmlText(detail)}</failure>`,
      ]
    case 'skip':
      return [`      <skipped message="${xmlText(check.message)}"/>`]
    case 'warn':
      return [`      <system-out>${xmlText(`WARN ${detail}`)}</system-out>`]
    case 'pass':
      return []
  }
}
