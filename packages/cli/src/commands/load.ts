import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseDuration, parseRate, parseSlo, tableToRows } from '@modelgate/core'
import type { ArrivalSchedule, LoadProgress, LoadResult, PayloadRow, ReplayTrace } from '@modelgate/traffic'
import {
  createArrivalSchedule,
  judgeLoad,
  loadResultFromReport,
  mergeLoadResults,
  parseStages,
  readPayloadFile,
  readReplayFile,
  readRequestTemplate,
  runLoad,
} from '@modelgate/traffic'
import type { CommandContext, CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import type { FileArg, OptionReader } from '../options.js'
import { readOptions } from '../options.js'

function readSchedule(read: OptionReader, replay: ReplayTrace | undefined): ArrivalSchedule {
  const rate = read.rate('rate')
  const duration = read.duration('duration')
  const stages = read.parse('stages', (text) => parseStages(text, { duration: parseDuration, rate: parseRate }))
  const arrivals = read.enum('arrivals', ['uniform', 'poisson']) ?? 'uniform'
  const seed = read.int('seed') ?? 1
  const chosen = [rate !== undefined || duration !== undefined, stages !== undefined, replay !== undefined].filter(
    Boolean,
  )
  if (chosen.length !== 1) throw read.usage('give one workload: --rate with --duration, --stages, or --replay.')
  if (replay !== undefined) {
    if (arrivals === 'poisson')
      throw read.usage('--arrivals poisson does not apply to --replay (the trace sets the times).')
    return createArrivalSchedule({
      kind: 'replay',
      offsetsMs: replay.offsetsMs,
      speed: read.number('speed', { above: 0 }) ?? 1,
    })
  }
  if (read.string('speed') !== undefined) throw read.usage('--speed applies to --replay only.')
  if (stages !== undefined) {
    return createArrivalSchedule(
      arrivals === 'poisson' ? { kind: 'poisson', stages, seed } : { kind: 'ramping', stages },
    )
  }
  if (rate === undefined || duration === undefined)
    throw read.usage('--rate and --duration go together (e.g. --rate 500/s --duration 60s).')
  return createArrivalSchedule(
    arrivals === 'poisson'
      ? { kind: 'poisson', rate, durationMs: duration, seed }
      : { kind: 'constant', rate, durationMs: duration },
  )
}

/** Payload rows: a file, or rows sampled from a synth model (the CLI wires synth in; traffic never imports it). */
async function readPayloads(read: OptionReader, expected: number): Promise<AsyncIterable<PayloadRow> | undefined> {
  const file = read.file('payloads')
  const model = read.file('model')
  if (file !== undefined && model !== undefined) throw read.usage('give --payloads or --model, not both.')
  if (file !== undefined) return readPayloadFile(file.path, { displayName: file.name })
  if (model === undefined) return undefined
  const rows = read.positiveInt('rows') ?? Math.max(1, Math.min(expected, 10_000))
  const { sampleSynthModel } = await import('@modelgate/synth')
  const table = await sampleSynthModel(model.path, rows, { seed: read.int('seed') ?? 1 })
  return (async function* () {
    yield* tableToRows(table) as PayloadRow[]
  })()
}

async function readReport(file: FileArg, read: OptionReader): Promise<LoadResult> {
  let json: unknown
  try {
    json = JSON.parse(await readFile(file.path, 'utf8'))
  } catch (cause) {
    throw read.usage(`${file.name} is not a readable JSON file (${(cause as Error).message}).`)
  }
  return loadResultFromReport(json, file.name)
}

function progressLine(ctx: CommandContext): (p: LoadProgress) => void {
  let warned = false
  let last = 0
  return (p) => {
    if (p.behind && !warned) {
      warned = true
      ctx.err(
        '⚠ THE LOAD GENERATOR IS FALLING BEHIND ITS SCHEDULE: its latencies would measure the client. Give it more CPU or split the load with --shard i/n.',
      )
    }
    // a line a second on a terminal, every 10 s otherwise (CI logs)
    if (!ctx.interactive && p.elapsedMs - last < 10_000) return
    last = p.elapsedMs
    const p99 = Number.isFinite(p.p99) ? `${p.p99.toFixed(1)} ms` : '–'
    ctx.err(
      `  ${(p.elapsedMs / 1000).toFixed(0)}/${(p.durationMs / 1000).toFixed(0)} s  ${Math.round(p.rate)}/s  in flight ${p.inFlight}${p.waiting > 0 ? ` (+${p.waiting} waiting)` : ''}  p99 ${p99}  errors ${p.errors}/${p.completed}`,
    )
  }
}

const load: CommandSpec = {
  name: 'load',
  summary: 'Send an open-model workload to an endpoint and judge latency SLOs (coordinated-omission corrected)',
  usage: `modelgate load --target <url> (--rate 500/s --duration 60s | --stages "30s:100/s,60s:800/s,30s:0/s" |
       --replay traffic.jsonl|access.log [--speed 2]) [--arrivals uniform|poisson] [--seed 1]
       [--payloads rows.jsonl | --model model.json [--rows N]] [--template request.yaml] [--warmup 5s]
       [--slo "p99<100ms" …] [--timeout 10s] [--connections 128] [--max-in-flight N] [--expect-field score]
       [--shard i/n] [--compare previous.json] [--late-threshold 5ms] [--late-share 1%] [--max-lateness 50ms]
       ${REPORT_USAGE}`,
  cancellable: true,
  options: {
    target: { type: 'string' },
    rate: { type: 'string' },
    duration: { type: 'string' },
    stages: { type: 'string' },
    replay: { type: 'string' },
    speed: { type: 'string' },
    arrivals: { type: 'string' },
    seed: { type: 'string' },
    payloads: { type: 'string' },
    model: { type: 'string' },
    rows: { type: 'string' },
    template: { type: 'string' },
    warmup: { type: 'string' },
    slo: { type: 'string', multiple: true },
    timeout: { type: 'string' },
    connections: { type: 'string' },
    'max-in-flight': { type: 'string' },
    'expect-field': { type: 'string', multiple: true },
    shard: { type: 'string' },
    compare: { type: 'string' },
    'late-threshold': { type: 'string' },
    'late-share': { type: 'string' },
    'max-lateness': { type: 'string' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const target = read.string('target', { required: true })
    const slos = read.slos('slo')
    const replayFile = read.file('replay')
    const replay =
      replayFile === undefined ? undefined : await readReplayFile(replayFile.path, { displayName: replayFile.name })
    const schedule = readSchedule(read, replay)
    const shard = read.shard('shard')
    const compareFile = read.file('compare')
    const compare = compareFile === undefined ? undefined : await readReport(compareFile, read)
    const templateFile = read.file('template')
    const template = templateFile === undefined ? undefined : await readRequestTemplate(templateFile.path)
    const payloads = await readPayloads(read, schedule.expectedCount)
    if (
      payloads === undefined &&
      replay !== undefined &&
      replay.withPayload < replay.offsetsMs.length &&
      replay.withPayload > 0
    )
      ctx.err(
        `note: ${replay.offsetsMs.length - replay.withPayload} arrivals of the trace carry no payload; they are sent without a body.`,
      )
    const connections = read.positiveInt('connections')
    const maxInFlight = read.positiveInt('max-in-flight')
    const warmupMs = read.duration('warmup')
    const timeoutMs = read.duration('timeout')
    const lateThresholdMs = read.duration('late-threshold')
    const maxLateShare = read.percent('late-share')
    const maxLatenessMs = read.duration('max-lateness')
    const fields = read.list('expect-field')
    ctx.err(
      `load: ${schedule.description}${shard === undefined ? '' : `, shard ${shard.index}/${shard.count}`} → ${target}`,
    )
    const result = await runLoad({
      target,
      schedule,
      ...(payloads === undefined ? {} : { payloads }),
      ...(replay === undefined || replay.withPayload === 0 ? {} : { replayPayloads: replay.payloads }),
      ...(template === undefined ? {} : { template }),
      ...(warmupMs === undefined ? {} : { warmupMs }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(connections === undefined ? {} : { connections }),
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
      ...(fields === undefined ? {} : { expectJsonFields: fields }),
      ...(shard === undefined ? {} : { shard }),
      ...(lateThresholdMs === undefined ? {} : { lateThresholdMs }),
      ...(maxLateShare === undefined ? {} : { maxLateShare }),
      ...(maxLatenessMs === undefined ? {} : { maxLatenessMs }),
      signal: ctx.signal,
      onProgress: progressLine(ctx),
    })
    return emitReport(ctx, judgeLoad(result, { slos, ...(compare === undefined ? {} : { compare }) }))
  },
}

const merge: CommandSpec = {
  name: 'load merge',
  summary: 'Merge the JSON reports of load shards (--shard i/n) into one verdict',
  usage: `modelgate load merge <shard.json> <shard.json> … [--slo "p99<100ms" …] [--compare previous.json]
       ${REPORT_USAGE}
  Without --slo, the SLOs of the first shard's report are judged.`,
  allowPositionals: true,
  options: { slo: { type: 'string', multiple: true }, compare: { type: 'string' }, ...REPORT_OPTIONS },
  run: async (ctx) => {
    const read = readOptions(ctx)
    if (ctx.positionals.length === 0) throw read.usage('give the JSON reports of the shards to merge.')
    const files = ctx.positionals.map((name) => ({ path: resolve(ctx.cwd, name), name }))
    const results = await Promise.all(files.map((f) => readReport(f, read)))
    let slos = read.slos('slo')
    if (slos.length === 0) {
      const first = JSON.parse(await readFile(files[0]?.path as string, 'utf8')) as {
        checks?: { id?: string; name?: string }[]
      }
      slos = (first.checks ?? [])
        .filter((c) => c.id?.startsWith('load.slo.') === true)
        .map((c) => parseSlo(c.name as string))
    }
    const compareFile = read.file('compare')
    const compare = compareFile === undefined ? undefined : await readReport(compareFile, read)
    return emitReport(
      ctx,
      judgeLoad(mergeLoadResults(results), { slos, ...(compare === undefined ? {} : { compare }) }),
    )
  },
}

export const commands: readonly CommandSpec[] = [load, merge]
