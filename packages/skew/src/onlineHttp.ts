import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http'
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import { getColumn, redactText, redactUrl } from '@modelgate/core'
import { SkewError } from './errors.js'
import { compileBodyTemplate, followPath } from './internal/bodyTemplate.js'
import { buildOnlineOutput, failuresOf } from './internal/buildOnlineOutput.js'
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
  readonly name?: string
}

class RetryableError extends Error {}

const RETRY_STATUS = new Set([408, 429, 500, 502, 503, 504])

/**
 * An online path that calls a real HTTP endpoint once per row, with keep-alive sockets, bounded
 * concurrency, retries with exponential backoff and a per-attempt timeout. Rows that still fail are
 * reported as failed rows; if every row fails the check stops with `MG_SKEW_ONLINE_UNREACHABLE`.
 */
export function onlineHttp(url: string, options: OnlineHttpOptions = {}): FeaturePath {
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
  const concurrency = options.concurrency ?? 32
  const retries = options.retries ?? 3
  const timeoutMs = options.timeoutMs ?? 5000
  const backoffMs = options.backoffMs ?? 25
  const method = options.method ?? 'POST'
  // The URL as reports and errors show it: without `user:password@` or credential-like query values.
  const shownUrl = redactUrl(url)
  const name = options.name ?? shownUrl
  const agent = secure
    ? new HttpsAgent({ keepAlive: true, maxSockets: concurrency })
    : new HttpAgent({ keepAlive: true, maxSockets: concurrency })
  const request = secure ? httpsRequest : httpRequest

  const send = (body: string): Promise<{ status: number; text: string }> =>
    new Promise((resolve, reject) => {
      const headers: OutgoingHttpHeaders = {
        'content-type': 'application/json',
        accept: 'application/json',
        ...options.headers,
        'content-length': Buffer.byteLength(body),
      }
      // A hard deadline for the whole attempt (connect, send, wait, read), not just socket idleness.
      let timer: NodeJS.Timeout | undefined
      const req = request(parsed, { method, agent, headers }, (res: IncomingMessage) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          text += c
        })
        res.on('end', () => {
          clearTimeout(timer)
          resolve({ status: res.statusCode ?? 0, text })
        })
        res.on('error', (e) => {
          clearTimeout(timer)
          reject(new RetryableError(e.message))
        })
      })
      timer = setTimeout(() => req.destroy(new RetryableError(`timed out after ${timeoutMs} ms`)), timeoutMs)
      req.on('error', (e) => {
        clearTimeout(timer)
        reject(e instanceof RetryableError ? e : new RetryableError(e.message))
      })
      req.end(body)
    })

  // A response body may echo the request's row: only a short excerpt without its values or personal-looking text.
  const excerpt = (text: string, row: object, maxLength: number): string =>
    redactText(text, { secrets: Object.values(row), maxLength })

  const call = async (row: object, body: string): Promise<FeatureRecord> => {
    let lastError = ''
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1))
      let response: { status: number; text: string }
      try {
        response = await send(body)
      } catch (error) {
        lastError = error instanceof Error ? error.message : String(error)
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
      await runPool(n, concurrency, async (i) => {
        try {
          const row = read(i)
          records[i] = await call(row, render(row))
        } catch (error) {
          errors[i] = error instanceof Error ? error.message : String(error)
        }
        done++
        if (done % every === 0 || done === n)
          context.onProgress?.({ phase: context.phase ?? 'online', path: name, done, total: n })
      })
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
