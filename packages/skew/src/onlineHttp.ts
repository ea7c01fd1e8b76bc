import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ArgumentShape } from '@modelgate/core'
import { cancelledError, checkArgument, getColumn, redactUrl } from '@modelgate/core'
import { z } from 'zod'
import { SkewError } from './errors.js'
import { onlineHttpShape } from './internal/arguments.js'
import { compileBodyTemplate, followPath } from './internal/bodyTemplate.js'
import { buildOnlineOutput, failuresOf } from './internal/buildOnlineOutput.js'
import { describeErrorBody } from './internal/describeErrorBody.js'
import { keyValues } from './internal/keys.js'
import { bodyColumns, createRowReader } from './internal/rowReader.js'
import { runPool } from './internal/runPool.js'
import type { FeaturePath, FeatureRecord } from './types.js'

export interface OnlineHttpOptions {
  /** Default POST. */
  readonly method?: 'POST' | 'PUT'
  /** Request body with `{{column}}` / `{{row}}` placeholders; default: the row as a JSON object. */
  readonly bodyTemplate?: string
  /** Dot path to the object holding the features in the response JSON (default: the response itself). */
  readonly responsePath?: string
  readonly headers?: Readonly<Record<string, string>>
  /** Requests in flight at once (default 32); also the keep-alive socket pool size. */
  readonly concurrency?: number
  /** Retries after the first attempt for network errors, timeouts, 429 and 5xx (default 3). */
  readonly retries?: number
  /** Per-attempt timeout (default 5000 ms). */
  readonly timeoutMs?: number
  /** First retry delay; doubles on each retry (default 25 ms). */
  readonly backoffMs?: number
  /** Largest response body read (default 1 MiB); a larger one stops the run with `MG_SKEW_RESPONSE_TOO_LARGE`. */
  readonly maxResponseBytes?: number
  /** Deadline for all the rows (default 30 minutes); past it the run stops with `MG_SKEW_ONLINE_DEADLINE`. */
  readonly deadlineMs?: number
  /**
   * Circuit breaker: after this many consecutive failed rows (each after its retries; default 20) the run stops at
   * once with `MG_SKEW_ONLINE_CIRCUIT_OPEN` instead of trying every remaining row against a dead endpoint.
   */
  readonly maxConsecutiveFailures?: number
  readonly name?: string
}

/** Defaults of the online HTTP path (documented in the README). */
const ONLINE_HTTP_DEFAULTS = {
  concurrency: 32,
  retries: 3,
  timeoutMs: 5000,
  backoffMs: 25,
  maxResponseBytes: 1024 * 1024,
  deadlineMs: 30 * 60_000,
  maxConsecutiveFailures: 20,
} as const

class RetryableError extends Error {}

/** Why the whole run stopped early (the first reason wins). */
class StopRun extends Error {
  constructor(readonly error: Error) {
    super(error.message)
  }
}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504])

const optionsArgument = z.object(onlineHttpShape satisfies ArgumentShape<OnlineHttpOptions>)

/**
 * An online path that calls a real HTTP endpoint once per row, with keep-alive sockets, bounded
 * concurrency, retries with exponential backoff and a per-attempt timeout. Rows that still fail are
 * reported as failed rows; if every row fails the check stops with `MG_SKEW_ONLINE_UNREACHABLE`. Bounded: a response
 * larger than `maxResponseBytes`, a run past `deadlineMs` and `maxConsecutiveFailures` failed rows in a row each stop
 * the run at once (in-flight calls aborted) with their own error; so does the context's `signal` (`MG_CANCELLED`).
 */
export function onlineHttp(url: string, options: OnlineHttpOptions = {}): FeaturePath {
  checkArgument(z.string(), url, { call: 'onlineHttp(url, options)', name: 'url' })
  checkArgument(optionsArgument, options, { call: 'onlineHttp(url, options)', name: 'options' })
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch (cause) {
    throw new SkewError('MG_SKEW_BAD_URL', `"${redactUrl(url)}" is not a valid URL.`, {
      cause,
      hint: 'Write it like http://127.0.0.1:8080/features.',
    })
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new SkewError('MG_SKEW_BAD_URL', `"${redactUrl(url)}" must use http: or https:, not ${parsed.protocol}`)
  }
  const secure = parsed.protocol === 'https:'
  const concurrency = options.concurrency ?? ONLINE_HTTP_DEFAULTS.concurrency
  const retries = options.retries ?? ONLINE_HTTP_DEFAULTS.retries
  const timeoutMs = options.timeoutMs ?? ONLINE_HTTP_DEFAULTS.timeoutMs
  const backoffMs = options.backoffMs ?? ONLINE_HTTP_DEFAULTS.backoffMs
  const maxResponseBytes = options.maxResponseBytes ?? ONLINE_HTTP_DEFAULTS.maxResponseBytes
  const deadlineMs = options.deadlineMs ?? ONLINE_HTTP_DEFAULTS.deadlineMs
  const maxConsecutiveFailures = options.maxConsecutiveFailures ?? ONLINE_HTTP_DEFAULTS.maxConsecutiveFailures
  const method = options.method ?? 'POST'
  // The URL as reports and errors show it: without `user:password@` or credential-like query values.
  const shownUrl = redactUrl(url)
  const name = options.name ?? shownUrl
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency })
    : new HttpAgent({ keepAlive: true, maxSockets: concurrency })
  const request = secure ? httpsRequest : httpRequest

  const tooLarge = (): SkewError =>
    new SkewError(
      'MG_SKEW_RESPONSE_TOO_LARGE',
      `A response from ${shownUrl} is larger than ${maxResponseBytes.toLocaleString('en-US')} bytes; the run stopped without reading it.`,
      { hint: 'Check that the URL points at the feature endpoint (it answers one small JSON object per row).' },
    )

  const send = (body: string, signal: AbortSignal): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason)
      const headers: OutgoingHttpHeaders = {
        'content-type': 'application/json',
        accept: 'application/json',
        ...options.headers,
        'content-length': Buffer.byteLength(body),
      }
      // A hard deadline for the whole attempt (connect, send, wait, read), not just socket idleness.
      let timer: NodeJS.Timeout | undefined
      const onAbort = (): void => {
        req.destroy(signal.reason instanceof Error ? signal.reason : new Error('stopped'))
      }
      const settle = (): void => {
        clearTimeout(timer)
        signal.removeEventListener('abort', onAbort)
      }
      const req = request(parsed, { method, agent, headers }, (res: IncomingMessage) => {
        // A body is read up to maxResponseBytes, never further: a huge answer cannot exhaust the memory.
        const declared = Number(res.headers['content-length'])
        if (Number.isFinite(declared) && declared > maxResponseBytes) {
          settle()
          req.destroy()
          return reject(new StopRun(tooLarge()))
        }
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size > maxResponseBytes) {
            settle()
            req.destroy()
            reject(new StopRun(tooLarge()))
            return
          }
          chunks.push(c)
        })
        res.on('end', () => {
          settle()
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks, size).toString('utf8') })
        })
        res.on('error', (e) => {
          settle()
          reject(signal.aborted ? signal.reason : new RetryableError(e.message))
        })
      })
      timer = setTimeout(() => req.destroy(new RetryableError(`timed out after ${timeoutMs} ms`)), timeoutMs)
      signal.addEventListener('abort', onAbort, { once: true })
      req.on('error', (e) => {
        settle()
        if (signal.aborted) reject(signal.reason)
        else reject(e instanceof RetryableError ? e : new RetryableError(e.message))
      })
      req.end(body)
    })

  // A response body may echo the request's row or hold values the service looked up: see describeErrorBody.
  const excerpt = (text: string, row: object, maxLength: number): string => describeErrorBody(text, { row, maxLength })

  const call = async (row: object, body: string, signal: AbortSignal): Promise<FeatureRecord> => {
    let lastError = ''
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1), undefined, { signal }).catch(() => undefined)
      if (signal.aborted) throw signal.reason
      let response: { status: number; text: string }
      try {
        response = await send(body, signal)
      } catch (error) {
        if (!(error instanceof RetryableError)) throw error
        lastError = error.message
        continue
      }
      if (RETRY_STATUS.has(response.status)) {
        lastError = `HTTP ${response.status}`
        continue
      }
      if (response.status < 200 || response.status >= 300) {
        throw new Error(`HTTP ${response.status}: ${excerpt(response.text, row, 200)}`)
      }
      let json: unknown
      try {
        json = JSON.parse(response.text)
      } catch {
        throw new Error(`response is not JSON: ${excerpt(response.text, row, 80)}`)
      }
      const features = followPath(json, options.responsePath)
      if (features === null || typeof features !== 'object' || Array.isArray(features)) {
        throw new Error(
          `response${options.responsePath === undefined ? '' : ` at "${options.responsePath}"`} is not a JSON object of features`,
        )
      }
      return features as FeatureRecord
    }
    throw new Error(`${lastError} (after ${retries + 1} attempts)`)
  }

  return {
    kind: 'online',
    name,
    compute: async (input, context) => {
      const columns = input.columns.map((c) => c.name)
      const read = createRowReader(input, bodyColumns(input, context))
      const render =
        options.bodyTemplate === undefined
          ? (row: object) => JSON.stringify(row)
          : compileBodyTemplate(options.bodyTemplate, columns)
      const n = input.numRows
      const records: (FeatureRecord | null)[] = new Array<FeatureRecord | null>(n).fill(null)
      const errors: (string | null)[] = new Array<string | null>(n).fill(null)
      const every = Math.max(1, Math.floor(n / 100))
      let done = 0
      // One controller stops every call at once: the first of a too-large response, the deadline, the circuit
      // breaker or the caller's signal.
      const stop = new AbortController()
      const halt = (error: Error): void => {
        if (!stop.signal.aborted) stop.abort(new StopRun(error))
      }
      const deadline = setTimeout(() => {
        halt(
          new SkewError(
            'MG_SKEW_ONLINE_DEADLINE',
            `The online calls to ${shownUrl} did not finish within ${formatMs(deadlineMs)}: ${done.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} rows done.`,
            { hint: 'Raise the deadline, or replay fewer rows.' },
          ),
        )
      }, deadlineMs)
      const onCancel = (): void =>
        halt(
          cancelledError(
            `Stopped: ${done.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} rows sent to ${shownUrl}.`,
          ),
        )
      context.signal?.addEventListener('abort', onCancel, { once: true })
      if (context.signal?.aborted === true) onCancel()
      let consecutive = 0
      let succeeded = 0
      try {
        await runPool(n, concurrency, async (i) => {
          if (stop.signal.aborted) return
          try {
            const row = read(i)
            records[i] = await call(row, render(row), stop.signal)
            consecutive = 0
            succeeded++
          } catch (error) {
            if (error instanceof StopRun) return halt(error.error)
            if (stop.signal.aborted) return
            errors[i] = error instanceof Error ? error.message : String(error)
            if (++consecutive >= maxConsecutiveFailures && done + 1 < n) {
              const stopped = `so the run stopped after ${(done + 1).toLocaleString('en-US')} of ${n.toLocaleString('en-US')} rows`
              halt(
                succeeded === 0
                  ? new SkewError(
                      'MG_SKEW_ONLINE_UNREACHABLE',
                      `The first ${consecutive} calls to ${shownUrl} all failed, ${stopped}; the last error: ${errors[i]}.`,
                      { hint: 'Check that the service is running and that the URL points at its feature endpoint.' },
                    )
                  : new SkewError(
                      'MG_SKEW_ONLINE_CIRCUIT_OPEN',
                      `${consecutive} rows in a row failed against ${shownUrl}, ${stopped}; the last error: ${errors[i]}.`,
                      { hint: 'Check that the service is up and healthy, then run again.' },
                    ),
              )
            }
          }
          done++
          if (done % every === 0 || done === n)
            context.onProgress?.({ phase: context.phase ?? 'online', path: name, done, total: n })
        })
      } finally {
        clearTimeout(deadline)
        context.signal?.removeEventListener('abort', onCancel)
      }
      if (stop.signal.aborted) throw (stop.signal.reason as StopRun).error
      const failed = errors.reduce((s, e) => s + (e === null ? 0 : 1), 0)
      if (n > 0 && failed === n) {
        throw new SkewError(
          'MG_SKEW_ONLINE_UNREACHABLE',
          `Every call to ${shownUrl} failed; the first error: ${errors[0] ?? ''}.`,
          {
            hint: 'Check that the service is running and that the URL points at its feature endpoint.',
          },
        )
      }
      const keyColumn = getColumn(input, context.key)
      return {
        table: buildOnlineOutput(records, keyColumn, context.key),
        failures: failuresOf(keyValues(keyColumn, 'input'), errors),
      }
    },
    close: async () => {
      agent.destroy()
    },
  }
}

function formatMs(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`
}
