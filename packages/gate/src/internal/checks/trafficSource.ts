import type { ArrivalSchedule, PayloadRow } from '@modelgate/traffic'
import { createArrivalSchedule, readPayloadFile, readReplayFile } from '@modelgate/traffic'
import { GateError } from '../../errors.js'
import type { GateCheck, GateConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'

export interface TrafficSpec {
  readonly replay?: string | undefined
  readonly speed?: number | undefined
  readonly rate?: number | undefined
  readonly duration?: number | undefined
  readonly payloads?: string | undefined
}

export interface TrafficSource {
  readonly schedule: ArrivalSchedule
  readonly payloads?: AsyncIterable<PayloadRow>
  readonly replayPayloads?: readonly (PayloadRow | undefined)[]
}

/** The arrivals and payloads of a load or shadow run: a replayed trace, or a constant rate for a duration. */
export async function trafficSource(config: GateConfig, check: GateCheck, spec: TrafficSpec): Promise<TrafficSource> {
  let schedule: ArrivalSchedule
  let replayPayloads: readonly (PayloadRow | undefined)[] | undefined
  if (spec.replay !== undefined) {
    const trace = await readReplayFile(spec.replay, { displayName: displayPath(config, spec.replay) })
    schedule = createArrivalSchedule({ kind: 'replay', offsetsMs: trace.offsetsMs, speed: spec.speed ?? 1 })
    if (trace.withPayload > 0) replayPayloads = trace.payloads
  } else if (spec.rate !== undefined && spec.duration !== undefined) {
    schedule = createArrivalSchedule({ kind: 'constant', rate: spec.rate, durationMs: spec.duration })
  } else {
    throw new GateError(
      'MG_GATE_INPUT_MISSING',
      `Check "${check.id}" (${check.type}) needs its traffic: \`replay\`, or \`rate\` and \`duration\`.`,
    )
  }
  const payloadFile = spec.payloads ?? config.data?.reference
  return {
    schedule,
    ...(payloadFile === undefined
      ? {}
      : { payloads: readPayloadFile(payloadFile, { displayName: displayPath(config, payloadFile) }) }),
    ...(replayPayloads === undefined ? {} : { replayPayloads }),
  }
}
