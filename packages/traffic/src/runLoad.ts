import type { ArgumentShape } from '@modelgate/core'
import { cancelledError, checkArgument } from '@modelgate/core'
import { Pool } from 'undici'
import { z } from 'zod'
import type { ArrivalSchedule } from './createArrivalSchedule.js'
import type { PreparedRequest, RequestTemplateSpec } from './createRequestTemplate.js'
import { createRequestTemplate } from './createRequestTemplate.js'
import { TrafficError } from './errors.js'
import { classifyError, describeError } from './internal/classifyError.js'
import { collectPayloads } from './internal/collectPayloads.js'
import type { WireRequest } from './internal/LoadDriver.js'
import { driveLoad, toWire } from './internal/LoadDriver.js'
import { LoadRecorder } from './internal/LoadRecorder.js'
import { parseTarget, redactUrl } from './internal/parseTarget.js'
import type { LoadProgress } from './LoadProgress.js'
import type { LoadResult } from './LoadResult.js'

export type PayloadRow = Readonly<Record<string, unknown>>

export interface RunLoadOptions {
  /** The endpoint, e.g. `http://127.0.0.1:8080/predict` (HTTP/1.1). */
  readonly target: string
  readonly schedule: ArrivalSchedule
  /** Payload rows (a file's rows, synthetic rows …); read before the run (up to `maxPayloads`) and cycled. */
  readonly payloads?: AsyncIterable<PayloadRow> | Iterable<PayloadRow>
  /** Per-arrival payloads of a replay (arrival k gets `replayPayloads[k]`, else the k-th of `payloads`). */
  readonly replayPayloads?: readonly (PayloadRow | undefined)[]
  readonly template?: RequestTemplateSpec
  /** Requests intended before this offset are sent but not measured. Default 0. */
  readonly warmupMs?: number
  /** A request without a full response this long after it was due is a timeout. Default 10,000 ms. */
  readonly timeoutMs?: number
  /** Keep-alive HTTP/1.1 connections in the pool. Default 128. */
  readonly connections?: number
  /** Requests in flight at most; due requests beyond it wait (their latency still counts from when they were due). Default `connections`. */
  readonly maxInFlight?: number
  /** Payload rows read at most. Default 100,000. */
  readonly maxPayloads?: number
  /** Statuses counted as success. Default: below 400. */
  readonly okStatus?: (status: number) => boolean
  /** Response check: the JSON body must hold these (dotted) fields, else the request counts as a `check` error. */
  readonly expectJsonFields?: readonly string[]
  /** This process's share of the schedule: arrivals k with k mod count = index − 1 (1-based index). */
  readonly shard?: { readonly index: number; readonly count: number }
  /** The generator-falls-behind rule: more than `maxLateShare` of requests sent over `lateThresholdMs` late, or any over `maxLatenessMs`. Defaults 5 ms, 1%, 50 ms. */
  readonly lateThresholdMs?: number
  readonly maxLateShare?: number
  readonly maxLatenessMs?: number
  /** Send one request before the run and refuse an unreachable target or one that resets connections. Default true. */
  readonly probe?: boolean
  readonly signal?: AbortSignal
  readonly onProgress?: (progress: LoadProgress) => void
  readonly progressIntervalMs?: number
}

const iterable = z.custom<Iterable<unknown> | AsyncIterable<unknown>>(
  (v) => typeof v === 'object' && v !== null && (Symbol.iterator in v || Symbol.asyncIterator in v),
  { message: 'expected an iterable of rows (an array, a generator, an async iterable)' },
)

const optionsArgument = z.object({
  target: z.string(),
  schedule: z.object({ next: z.function(), durationMs: z.number() }).passthrough(), // createArrivalSchedule(…)
  payloads: iterable.optional(),
  replayPayloads: z.array(z.unknown()).optional(),
  template: z
    .object({ method: z.string().optional(), path: z.string().optional(), headers: z.record(z.string()).optional() })
    .passthrough()
    .optional(),
  warmupMs: z.number().optional(),
  timeoutMs: z.number().optional(),
  connections: z.number().optional(),
  maxInFlight: z.number().optional(),
  maxPayloads: z.number().optional(),
  okStatus: z.function().optional(),
  expectJsonFields: z.array(z.string()).optional(),
  shard: z.object({ index: z.number(), count: z.number() }).optional(),
  lateThresholdMs: z.number().optional(),
  maxLateShare: z.number().optional(),
  maxLatenessMs: z.number().optional(),
  probe: z.boolean().optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'expected an AbortSignal' }).optional(),
  onProgress: z.function().optional(),
  progressIntervalMs: z.number().optional(),
} satisfies ArgumentShape<RunLoadOptions>)

/**
 * Runs an open-model load test: requests leave at the schedule's intended times whatever the server does, and each
 * latency is measured from its intended send time (coordinated omission corrected, as wrk2) as well as from its
 * actual send time. Throws `MG_LOAD_*` (exit 2) on bad input or an unusable target before the load starts; during the
 * run, failures are counted by class, never thrown.
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
  checkArgument(optionsArgument, options, {
    call: 'runLoad(options)',
    name: 'options',
    hint: 'schedule comes from createArrivalSchedule(…); payloads are rows (an array or an async iterable)',
  })
  const url = parseTarget(options.target)
  const template = createRequestTemplate(url, options.template)
  const timeoutMs = positive(options.timeoutMs ?? 10_000, 'timeoutMs')
  const connections = Math.floor(positive(options.connections ?? 128, 'connections'))
  const maxInFlight = Math.floor(positive(options.maxInFlight ?? connections, 'maxInFlight'))
  const warmupMs = options.warmupMs ?? 0
  if (!(warmupMs >= 0)) throw badOption(`warmupMs must be ≥ 0, got ${warmupMs}`)
  const shard = options.shard
  if (
    shard !== undefined &&
    !(
      Number.isInteger(shard.count) &&
      shard.count >= 1 &&
      Number.isInteger(shard.index) &&
      shard.index >= 1 &&
      shard.index <= shard.count
    )
  )
    throw badOption(`shard must be i/n with 1 ≤ i ≤ n, got ${shard.index}/${shard.count}`)
  const rule = {
    lateThresholdMs: options.lateThresholdMs ?? 5,
    maxLateShare: options.maxLateShare ?? 0.01,
    maxLatenessMs: options.maxLatenessMs ?? 50,
  }
  const okStatus = options.okStatus ?? ((status: number) => status < 400)
  const fields = (options.expectJsonFields ?? []).map((f) => f.split('.'))

  const rows =
    options.payloads === undefined ? undefined : await collectPayloads(options.payloads, options.maxPayloads ?? 100_000)
  if (rows !== undefined && rows.length === 0)
    throw new TrafficError('MG_LOAD_NO_PAYLOADS', 'the payload source has no rows; a load run needs at least one.')
  // bodies are built once, before the run: nothing is serialized on the timed path
  const prepared = rows === undefined ? [template(undefined)] : rows.map((row) => template(row))
  const wire = prepared.map(toWire)
  const replay = options.replayPayloads?.map((row) => (row === undefined ? undefined : toWire(template(row))))
  const requestFor = (k: number): WireRequest => replay?.[k] ?? (wire[k % wire.length] as WireRequest)

  const pool = new Pool(url.origin, {
    connections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
    keepAliveTimeout: 60_000,
  })
  try {
    const first = options.replayPayloads?.[0]
    if (options.probe ?? true)
      await probe(
        pool,
        first === undefined ? (prepared[0] as PreparedRequest) : template(first),
        redactUrl(url),
        timeoutMs,
      )
    if (options.signal?.aborted === true) throw cancelledError('the load run was cancelled before it started.')
    const recorder = new LoadRecorder(rule.lateThresholdMs, rule.maxLatenessMs)
    const startedAt = new Date().toISOString()
    await driveLoad({
      pool,
      schedule: options.schedule,
      requestFor,
      recorder,
      warmupMs,
      timeoutMs,
      maxInFlight,
      okStatus,
      fields,
      shard,
      maxLateShare: rule.maxLateShare,
      signal: options.signal,
      onProgress: options.onProgress,
      progressIntervalMs: options.progressIntervalMs ?? 1000,
    })
    return recorder.result({
      target: redactUrl(url),
      schedule: {
        description: options.schedule.description,
        durationMs: options.schedule.durationMs,
        expectedCount: options.schedule.expectedCount,
      },
      shards: shard === undefined ? [] : [{ index: shard.index, count: shard.count }],
      startedAt,
      warmupMs,
      measuredMs: Math.max(0, options.schedule.durationMs - warmupMs),
      scheduleRule: rule,
    })
  } finally {
    await pool.destroy().catch(() => undefined)
  }
}

async function probe(pool: Pool, req: PreparedRequest, target: string, timeoutMs: number): Promise<void> {
  try {
    const { body } = await pool.request({
      path: req.path,
      method: req.method as 'POST',
      headers: req.headers,
      body: req.body ?? null,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    })
    await body.dump()
  } catch (error) {
    const errorClass = classifyError(error)
    if (errorClass === 'reset')
      throw new TrafficError(
        'MG_LOAD_CONNECTION_RESET',
        `${target} reset the connection of the first request (${describeError(error)}).`,
        {
          hint: 'Check that the target speaks HTTP/1.1 on this port and accepts the request.',
          cause: error,
        },
      )
    throw new TrafficError(
      'MG_LOAD_UNREACHABLE',
      `${target} is unreachable: the first request failed before any load was sent (${describeError(error)}).`,
      { hint: 'Check the URL and that the service is running.', cause: error },
    )
  }
}

function positive(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) throw badOption(`${name} must be a number > 0, got ${String(value)}`)
  return value
}

function badOption(message: string): TrafficError {
  return new TrafficError('MG_LOAD_BAD_OPTION', `runLoad: ${message}.`)
}
