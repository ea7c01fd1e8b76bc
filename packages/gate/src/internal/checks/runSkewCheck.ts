import type { Report, Table } from '@modelgate/core'
import { readTable } from '@modelgate/core'
import { checkSkew, createPathFromSpec, toReport } from '@modelgate/skew'
import { sampleSynthModel } from '@modelgate/synth'
import type { SkewCheckConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'

/** `skew`: the same rows through the batch and the online feature paths, compared feature by feature. */
export async function runSkewCheck(check: SkewCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  let input: Table
  let inputName: string
  if (check.rows !== undefined || config.synth?.model === undefined) {
    const rows = required(check.rows ?? config.data?.reference, check, 'rows', 'data.reference')
    inputName = displayPath(config, rows)
    input = await readTable(rows, { displayName: inputName })
  } else {
    inputName = `${check.sampleRows} rows of ${displayPath(config, config.synth.model)}`
    input = await sampleSynthModel(config.synth.model, check.sampleRows, { seed: 1 })
  }
  const batch = await createPathFromSpec(check.batch, { role: 'batch', cwd: config.baseDir })
  // a spec starting with "/" is a path on the endpoint's host (the service that also serves /predict)
  const onlineSpec = check.online.startsWith('/')
    ? `${new URL(required(context.endpoint, check, 'online', 'endpoint')).origin}${check.online}`
    : check.online
  const online = await createPathFromSpec(onlineSpec, { role: 'online', cwd: config.baseDir })
  const report = await checkSkew({
    input,
    inputName,
    batch,
    online,
    ...(check.key === undefined ? {} : { key: check.key }),
    ...(check.features === undefined ? {} : { features: check.features }),
    ...(check.tolerance === undefined ? {} : { tolerance: check.tolerance }),
    ...(check.statistical === undefined ? {} : { statistical: check.statistical }),
    signal: context.signal,
    onProgress: (p) => context.progress(`${p.phase} ${p.path}: ${p.done}/${p.total}`),
  })
  return toReport(report)
}
