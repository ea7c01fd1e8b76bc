import type { Report } from '@modelgate/core'
import { judgeLoad, runLoad } from '@modelgate/traffic'
import type { LoadCheckConfig } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'
import { trafficSource } from './trafficSource.js'

/** `load`: the SLOs under a replayed traffic shape (or a constant rate), open model, coordinated omission corrected. */
export async function runLoadCheck(check: LoadCheckConfig, context: CheckContext): Promise<Report> {
  const target = required(check.target ?? context.endpoint, check, 'target', 'endpoint')
  const traffic = await trafficSource(context.config, check, check)
  const result = await runLoad({
    target,
    ...traffic,
    ...(check.warmup === undefined ? {} : { warmupMs: check.warmup }),
    ...(check.connections === undefined ? {} : { connections: check.connections }),
    ...(check.generator?.lateThreshold === undefined ? {} : { lateThresholdMs: check.generator.lateThreshold }),
    ...(check.generator?.maxLateShare === undefined ? {} : { maxLateShare: check.generator.maxLateShare }),
    ...(check.generator?.maxLateness === undefined ? {} : { maxLatenessMs: check.generator.maxLateness }),
    signal: context.signal,
    onProgress: (p) =>
      context.progress(
        `${Math.round(p.elapsedMs / 1000)}/${Math.round(p.durationMs / 1000)} s, ${Math.round(p.rate)}/s, p99 ${Number.isNaN(p.p99) ? '–' : `${p.p99.toFixed(1)} ms`}${p.behind ? ' (generator behind)' : ''}`,
      ),
  })
  return judgeLoad(result, { slos: check.slos, title: `Load: ${traffic.schedule.description}` })
}
