import type { Report } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import { checkDrift, loadBaseline } from '@modelgate/drift'
import type { DriftCheckConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'

/** `drift`: the candidate sample against the baseline (drift's `checkDrift`: per column, data quality, dataset). */
export async function runDriftCheck(check: DriftCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  const baselineFile = required(check.baseline ?? config.baseline, check, 'baseline', 'baseline')
  const currentFile = required(check.current ?? config.data?.candidate, check, 'current', 'data.candidate')
  const baseline = await loadBaseline(baselineFile, { source: displayPath(config, baselineFile) })
  context.progress(`reading ${displayPath(config, currentFile)}`)
  const current = await readTable(currentFile, { displayName: displayPath(config, currentFile) })
  context.signal.throwIfAborted()
  context.progress(`comparing ${current.numRows.toLocaleString('en-US')} rows with the baseline`)
  return checkDrift(baseline, current, {
    currentName: displayPath(config, currentFile),
    ...(check.methods === undefined ? {} : { methods: check.methods }),
    ...(check.columns === undefined ? {} : { columns: check.columns }),
    ...(check.failOn === undefined ? {} : { failOn: check.failOn }),
  })
}
