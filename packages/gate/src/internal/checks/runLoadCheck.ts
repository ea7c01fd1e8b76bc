import type { Report } from '@modelgate/core'
import type { ArrivalSchedule, PayloadRow } from '@modelgate/traffic'
import { createArrivalSchedule, judgeLoad, readPayloadFile, readReplayFile, runLoad } from '@modelgate/traffic'
import type { LoadCheckConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'

/** `load`: the SLOs under a replayed traffic shape (or a constant rate), open model, coordinated omission corrected. */
export async function runLoadCheck(check: LoadCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  const target = required(check.target ?? context.endpoint, check, 'target', 'endpoint')
  let schedule: ArrivalSchedule
  let replayPayloads: readonly (PayloadRow | undefined)[] | undefined
  if (check.replay !== undefined) {
    const trace = await readReplayFile(check.replay, { displayName: displayPath(config, check.replay) })
    schedule = createArrivalSchedule({ kind: 'replay', offsetsMs: trace.offsetsMs, speed: check.speed })
    if (trace.withPayload > 0) replayPayloads = trace.payloads
  } else {
    // the schema's refinement guarantees rate and duration without a replay
    schedule = createArrivalSchedule({
      kind: 'constant',
      rate: check.rate as number,
      durationMs: check.duration as number,
    })
  }
  const payloadFile = check.payloads ?? config.data?.reference
  const result = await runLoad({
    target,
    schedule,
    ...(payloadFile === undefined
      ? {}
      : { payloads: readPayloadFile(payloadFile, { displayName: displayPath(config, payloadFile) }) }),
    ...(replayPayloads === undefined ? {} : { replayPayloads }),
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
  return judgeLoad(result, { slos: check.slos, title: `Load: ${schedule.description}` })
}
