import { cancelledError } from '@modelgate/core'
import { Pool } from 'undici'
import type { ArrivalSchedule } from './createArrivalSchedule.js'
import type { PreparedRequest, RequestTemplateSpec } from './createRequestTemplate.js'
import { createRequestTemplate } from './createRequestTemplate.js'
import { TrafficError } from './errors.js'
import type { ErrorClass } from './internal/classifyError.js'
import { classifyError, describeError } from './internal/classifyError.js'
import { collectPayloads } from './internal/collectPayloads.js'
import { LoadRecorder } from './internal/LoadRecorder.js'
import { parseTarget, redactUrl } from './internal/parseTarget.js'
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

export interface LoadProgress {
  readonly elapsedMs: number
  readonly durationMs: number
  readonly sent: number
  readonly completed: number
  readonly errors: number
  readonly inFlight: number
  /** Due requests waiting for a free slot (in-flight limit). */
  readonly waiting: number
  /** Requests sent per second over the last interval. */
  readonly rate: number
  /** Corrected p99 so far (ms), NaN before the first response. */
  readonly p99: number
  /** The generator-falls-behind rule is already broken. */
  readonly behind: boolean
}

/**
 * Runs an open-model load test: requests leave at the schedule's intended times whatever the server does, and each
 * latency is measured from its intended send time (coordinated omission corrected, as wrk2) as well as from its
 * actual send time. Throws `MG_LOAD_*` (exit 2) on bad input or an unusable target before the load starts; during the
 * run, failures are counted by class, never thrown.
 */
export async function runLoad(options: RunLoadOptions): Promise<LoadResult> {
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
  const prepared: PreparedRequest[] = rows === undefined ? [template(undefined)] : rows.map((row) => template(row))
  const replay = options.replayPayloads?.map((row) => (row === undefined ? undefined : template(row)))
  const requestFor = (k: number): PreparedRequest => replay?.[k] ?? (prepared[k % prepared.length] as PreparedRequest)

  const pool = new Pool(url.origin, {
    connections,
    pipelining: 1,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    connectTimeout: Math.min(timeoutMs, 10_000),
    keepAliveTimeout: 60_000,
  })
  try {
    if (options.probe ?? true) await probe(pool, requestFor(0), redactUrl(url), timeoutMs)
    if (options.signal?.aborted === true) throw cancelledError('the load run was cancelled before it started.')
    const recorder = new LoadRecorder(rule.lateThresholdMs, rule.maxLatenessMs)
    const startedAt = new Date().toISOString()
    await drive({
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
      rule,
      options,
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

interface DriveInput {
  readonly pool: Pool
  readonly schedule: ArrivalSchedule
  readonly requestFor: (k: number) => PreparedRequest
  readonly recorder: LoadRecorder
  readonly warmupMs: number
  readonly timeoutMs: number
  readonly maxInFlight: number
  readonly okStatus: (status: number) => boolean
  readonly fields: readonly string[][]
  readonly shard: { readonly index: number; readonly count: number } | undefined
  readonly rule: { readonly lateThresholdMs: number; readonly maxLateShare: number; readonly maxLatenessMs: number }
  readonly options: RunLoadOptions
}

/** The scheduler: sends each due request, then sleeps until the next one (a timer, then a spin of setImmediate for the last 2 ms). */
function drive(input: DriveInput): Promise<void> {
  const {
    pool,
    schedule,
    requestFor,
    recorder,
    warmupMs,
    timeoutMs,
    maxInFlight,
    okStatus,
    fields,
    shard,
    rule,
    options,
  } = input
  const signal = options.signal
  const needBody = fields.length > 0
  return new Promise<void>((resolve, reject) => {
    const t0 = performance.now()
    let k = -1
    let nextOffset = advance()
    let inFlight = 0
    // due requests waiting for a slot: arrival index and intended offset
    const waitingK: number[] = []
    const waitingAt: number[] = []
    let waitingHead = 0
    let finished = false
    let timer: NodeJS.Timeout | undefined
    let progressCompleted = 0

    function advance(): number {
      for (;;) {
        const offset = schedule.next()
        k++
        if (offset === Number.POSITIVE_INFINITY) return offset
        if (shard === undefined || k % shard.count === shard.index - 1) return offset
      }
    }
    const secondOf = (offset: number): number => Math.floor((offset - warmupMs) / 1000)

    const progress = setInterval(() => {
      const now = performance.now() - t0
      recorder.closeBefore(secondOf(now - timeoutMs))
      if (options.onProgress === undefined) return
      const completed = recorder.responses + recorder.errorCount
      const elapsedS = (options.progressIntervalMs ?? 1000) / 1000
      options.onProgress({
        elapsedMs: now,
        durationMs: schedule.durationMs,
        sent: recorder.sentCount + recorder.warmup,
        completed,
        errors: recorder.errorCount,
        inFlight,
        waiting: waitingK.length - waitingHead,
        rate: recorder.sentSinceTick / elapsedS,
        p99: recorder.latency.percentile(99),
        behind:
          recorder.veryLate > 0 ||
          (recorder.sentCount > 0 &&
            recorder.late / recorder.sentCount > rule.maxLateShare &&
            recorder.sentCount >= 100),
      })
      recorder.sentSinceTick = 0
      progressCompleted = completed
    }, options.progressIntervalMs ?? 1000)
    void progressCompleted

    const onAbort = (): void => {
      finish(cancelledError('the load run was cancelled; nothing was judged.'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    function finish(error?: unknown): void {
      if (finished) return
      finished = true
      clearInterval(progress)
      if (timer !== undefined) clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
      if (error === undefined) resolve()
      else reject(error)
    }

    function maybeDone(): void {
      if (nextOffset === Number.POSITIVE_INFINITY && inFlight === 0 && waitingHead === waitingK.length) finish()
    }

    function send(index: number, intended: number, measured: boolean): void {
      const req = requestFor(index)
      const sentAt = performance.now()
      const second = secondOf(intended)
      if (measured) recorder.sendOne(Math.floor((sentAt - t0 - warmupMs) / 1000))
      else recorder.warmup++
      inFlight++
      pool
        .request({ path: req.path, method: req.method as 'POST', headers: req.headers, body: req.body ?? null })
        .then(
          async ({ statusCode, body }) => {
            let failure: ErrorClass | undefined
            let message = ''
            if (needBody && okStatus(statusCode)) {
              const text = await body.text()
              const problem = checkFields(text, fields)
              if (problem !== undefined) {
                failure = problem.class
                message = problem.message
              }
            } else await body.dump()
            if (failure === undefined && !okStatus(statusCode)) {
              failure = 'http'
              message = `HTTP ${statusCode}`
            }
            const end = performance.now()
            if (measured) {
              recorder.response(second, statusCode, end - t0 - intended, end - sentAt, failure)
              if (failure !== undefined) recorder.sample(failure, message)
            }
          },
          (error: unknown) => {
            if (measured) recorder.failure(second, classifyError(error), describeError(error))
          },
        )
        .catch((error: unknown) => {
          // body read failed after the headers arrived
          if (measured)
            recorder.failure(second, classifyError(error) === 'timeout' ? 'timeout' : 'body', describeError(error))
        })
        .finally(() => {
          inFlight--
          drainWaiting()
          maybeDone()
        })
    }

    function drainWaiting(): void {
      while (waitingHead < waitingK.length && inFlight < maxInFlight) {
        const index = waitingK[waitingHead] as number
        const intended = waitingAt[waitingHead] as number
        waitingHead++
        const measured = intended >= warmupMs
        if (performance.now() - t0 - intended > timeoutMs) {
          if (measured)
            recorder.failure(
              secondOf(intended),
              'timeout',
              `no free connection within ${timeoutMs} ms of the intended send time`,
            )
          continue
        }
        send(index, intended, measured)
      }
      if (waitingHead > 4096 && waitingHead * 2 > waitingK.length) {
        waitingK.splice(0, waitingHead)
        waitingAt.splice(0, waitingHead)
        waitingHead = 0
      }
    }

    function tick(): void {
      timer = undefined
      if (finished) return
      let now = performance.now() - t0
      while (nextOffset <= now) {
        const intended = nextOffset
        const measured = intended >= warmupMs
        if (measured) {
          recorder.scheduleOne(secondOf(intended))
          recorder.dueOne(now - intended)
        }
        if (inFlight < maxInFlight && waitingHead === waitingK.length) send(k, intended, measured)
        else {
          // waits because the server holds every slot: counted in its latency, not against the generator
          waitingK.push(k)
          waitingAt.push(intended)
        }
        nextOffset = advance()
        now = performance.now() - t0
      }
      if (nextOffset === Number.POSITIVE_INFINITY) {
        maybeDone()
        return
      }
      const wait = nextOffset - now
      if (wait > 2) timer = setTimeout(tick, wait - 1.5)
      else setImmediate(tick)
    }
    tick()
  })
}

function checkFields(text: string, fields: readonly string[][]): { class: ErrorClass; message: string } | undefined {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return { class: 'body', message: 'the response body is not JSON' }
  }
  for (const path of fields) {
    let v: unknown = json
    for (const key of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined
    if (v === undefined) return { class: 'check', message: `the response lacks the field "${path.join('.')}"` }
  }
  return undefined
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
