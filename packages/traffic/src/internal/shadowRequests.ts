import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { Random } from '@modelgate/core'
import type { LatencyHistogram } from '@modelgate/stats'
import type { Dispatcher, Pool } from 'undici'
import { forwardToPrimary } from './shadowForward.js'
import { endToEndHeaders } from './shadowHeaders.js'
import type { ProxyMetrics } from './shadowMetrics.js'
import type { ExchangeOutcome } from './shadowMirror.js'
import type { MirrorSide } from './shadowMirrorSide.js'
import { teeBody } from './shadowOptions.js'

/** What the proxy's request path works with (createShadowProxy's state). */
export interface RequestPathSettings {
  readonly primaryPool: Pool
  /** The primary URL's path without its trailing slash ('' for the root). */
  readonly primaryBasePath: string
  readonly primaryTimeoutMs: number
  readonly maxBodyBytes: number
  readonly sample: number
  readonly random: Random
  readonly mirrorMethods: ReadonlySet<string>
  readonly matchPath: (path: string) => boolean
  readonly routeOf: (path: string) => string
  readonly mirror: MirrorSide
  readonly metrics: ProxyMetrics
  /** The primary's latency of every forwarded request (the status's figures). */
  readonly primaryLatency: LatencyHistogram
  /** Requests forwarded and chosen for mirroring (counted here). */
  readonly counts: { requests: number; mirrored: number }
  /** A request chosen for mirroring whose body was longer than the limit. */
  readonly onSkipped: () => void
}

/**
 * The proxy's request path: every request to the primary, its answer streamed back untouched, and a sample handed to
 * the mirror side. Its helpers take what they need as arguments (no closures made per request beyond the body's and
 * the outcome's): the proxy's own allocation per request is what its collector pays for at 1,000 requests a second.
 */
export function createRequestPath(settings: RequestPathSettings): (req: IncomingMessage, res: ServerResponse) => void {
  const { primaryPool, primaryTimeoutMs, maxBodyBytes, sample, random, mirrorMethods, matchPath, routeOf } = settings
  const { mirror, metrics, primaryLatency, counts } = settings
  /** The mirrored request handed to the mirror side; its number, for the primary's outcome (-1: dropped). */
  const handOver = (req: IncomingMessage, headers: string[], at: number, body: Buffer | null): number => {
    counts.mirrored++
    metrics.countMirrored()
    const path = req.url ?? '/'
    // the mirror side adds its mark to a copy of its own (on a thread, the list is cloned to it)
    return mirror.submit({
      method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
      path,
      route: routeOf(path),
      headers,
      at,
      body,
    })
  }
  /** The primary's outcome: its latency and the proxy's own time recorded; `id`'s pair told (timed where it happens). */
  const primaryDone = (receivedAt: number, id: number, outcome: ExchangeOutcome): void => {
    if (Number.isFinite(outcome.latencyMs)) {
      primaryLatency.record(outcome.latencyMs)
      metrics.observePrimary(outcome.latencyMs / 1000)
      metrics.observeOverhead(Math.max(0, performance.now() - receivedAt - outcome.latencyMs) / 1000)
    }
    if (id >= 0) mirror.primaryDone(id, outcome)
  }
  /** Forwards to the primary; `finish` gets its outcome; a copy of the answer is kept when it is mirrored. */
  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    headers: string[],
    body: Buffer | Readable | null,
    mirrored: boolean,
    finish: (outcome: ExchangeOutcome) => void,
  ): void =>
    forwardToPrimary(
      primaryPool,
      {
        method: (req.method ?? 'GET') as Dispatcher.HttpMethod,
        path: settings.primaryBasePath + (req.url ?? '/'),
        headers,
        body,
      },
      res,
      { timeoutMs: primaryTimeoutMs, captureLimit: mirrored ? maxBodyBytes : 0 },
      finish,
    )

  /**
   * A body read whole (or none): handed to the mirror side when wanted, then forwarded to the primary. (Dispatching the
   * primary first, so that its write would go out before the mirror's in the turn both are written, was measured
   * (bench/RESULTS.md, "Shadow proxy: per-request cost"): its effect on the primary's latency was within the noise,
   * and it made an identical candidate look one write slower than the primary — not kept.)
   */
  const forwardWhole = (
    req: IncomingMessage,
    res: ServerResponse,
    headers: string[],
    body: Buffer | null,
    wanted: boolean,
    receivedAt: number,
    at: number,
  ): void => {
    const id = wanted ? handOver(req, headers, at, body) : -1
    send(req, res, headers, body, id >= 0, (outcome) => primaryDone(receivedAt, id, outcome))
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const receivedAt = performance.now()
    counts.requests++
    metrics.countRequest()
    const path = req.url ?? '/'
    const method = req.method ?? 'GET'
    const wanted = mirrorMethods.has(method) && matchPath(path) && (sample >= 1 || random.uniform() < sample)
    const headers = endToEndHeaders(req.rawHeaders, 'request')
    const address = req.socket.remoteAddress
    if (address !== undefined) headers.push('x-forwarded-for', address)
    const at = Date.now()
    const length = req.headers['content-length']
    const hasBody = length !== undefined || req.headers['transfer-encoding'] !== undefined

    if (!hasBody) {
      forwardWhole(req, res, headers, null, wanted, receivedAt, at)
      return
    }
    if (length !== undefined && Number(length) <= maxBodyBytes) {
      // a body of known, bounded length is read whole first (one packet, for an inference request): the primary
      // gets it as one buffer, and the mirror the same bytes
      let first: Buffer | undefined
      let rest: Buffer[] | undefined
      req.on('data', (chunk: Buffer) => {
        if (first === undefined) first = chunk
        else if (rest === undefined) rest = [first, chunk]
        else rest.push(chunk)
      })
      req.once('end', () => {
        const body = rest !== undefined ? Buffer.concat(rest) : (first ?? Buffer.alloc(0))
        forwardWhole(req, res, headers, body, wanted, receivedAt, at)
      })
      return
    }
    if (!wanted) {
      send(req, res, headers, req, false, (outcome) => primaryDone(receivedAt, -1, outcome))
      return
    }
    // a chunked or long body streams to the primary; a copy is kept up to the limit and mirrored when the body
    // ended within it (else the request is counted as skipped: body_too_large)
    const skip = () => {
      settings.onSkipped()
      metrics.skipped.inc({ reason: 'body_too_large' })
    }
    if (length !== undefined) {
      skip()
      send(req, res, headers, req, false, (outcome) => primaryDone(receivedAt, -1, outcome))
      return
    }
    // the primary may answer before the body has ended: its outcome waits for the hand-over
    let id = -1
    let early: ExchangeOutcome | undefined
    const copy = teeBody(req, maxBodyBytes, (body) => {
      if (body === null) return skip()
      id = handOver(req, headers, at, body)
      if (early !== undefined) mirror.primaryDone(id, early)
    })
    send(req, res, headers, Readable.from(copy, { objectMode: false }), true, (outcome) => {
      primaryDone(receivedAt, -1, outcome)
      if (id >= 0) mirror.primaryDone(id, outcome)
      else early = outcome
    })
  }
}
