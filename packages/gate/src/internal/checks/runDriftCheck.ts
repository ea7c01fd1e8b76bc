import { readFile } from 'node:fs/promises'
import type { Report } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import { baselineFromJSON, checkDrift } from '@modelgate/drift'
import type { DriftCheckConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'

/** `drift`: the candidate sample against the baseline (drift's `checkDrift`: per column, data quality, dataset). */
export async function runDriftCheck(check: DriftCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  const baselineFile = required(check.baseline ?? config.baseline, check, 'baseline', 'baseline')
  const currentFile = required(check.current ?? config.data?.candidate, check, 'current', 'data.candidate')
  const baseline = baselineFromJSON(await readFile(baselineFile, 'utf8'), { source: displayPath(config, baselineFile) })
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
