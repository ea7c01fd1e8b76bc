import { writeFileAtomic } from '../io/writeFileAtomic.js'
import type { Report } from './Report.js'
import { renderHtml } from './renderHtml.js'
import { renderJUnit } from './renderJUnit.js'

export interface WriteReportTargets {
  /** Path of the JSON report. */
  readonly json?: string
  /** Path of the JUnit XML report. */
  readonly junit?: string
  /** Path of the self-contained HTML report. */
  readonly html?: string
}

/** Writes the report in each requested format, each atomically (temp file + rename). Returns the paths written. */
export async function writeReport(report: Report, targets: WriteReportTargets): Promise<string[]> {
  const jobs: [string, () => string][] = []
  if (targets.json !== undefined) jobs.push([targets.json, () => `${JSON.stringify(report, null, 2)}\n`])
  if (targets.junit !== undefined) jobs.push([targets.junit, () => renderJUnit(report)])
  if (targets.html !== undefined) jobs.push([targets.html, () => renderHtml(report)])
  // Render everything first, so that a rendering error leaves no file at all.
  const rendered = jobs.map(([path, render]) => [path, render()] as const)
  for (const [path, content] of rendered) await writeFileAtomic(path, content)
  return rendered.map(([path]) => path)
}
