import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { Readable } from 'node:stream'
import type { ArgumentShape, Report } from '@modelgate/core'
import { checkArgument, createRandom } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import { createLatencyHistogram } from '@modelgate/stats'
import type { Dispatcher } from 'undici'
import { Pool } from 'undici'
import { z } from 'zod'
import { canaryAnalysisResult } from './canaryAnalysisResult.js'
import { TrafficError } from './errors.js'
import { ShadowAnalysis } from './internal/shadowAnalysis.js'
import type { AnswerFields } from './internal/shadowAnswer.js'
import { readAnswer, withFieldDiff } from './internal/shadowAnswer.js'
import { serveReserved } from './internal/shadowEndpoints.js'
import { forwardToPrimary } from './internal/shadowForward.js'
import { endToEndHeaders } from './internal/shadowHeaders.js'
import { createShadowMetrics, VERDICT_CODE } from './internal/shadowMetrics.js'
import type { ExchangeOutcome, MirrorJob } from './internal/shadowMirror.js'
import { MirrorQueue } from './internal/shadowMirror.js'
import { optionsShape, teeBody, upstream } from './internal/shadowOptions.js'
import { createPathMatcher, createRouter } from './internal/shadowPaths.js'
import { buildShadowStatus } from './internal/shadowStatus.js'
import { ShadowStore } from './internal/shadowStore.js'
import { tunnelUpgrade } from './internal/shadowUpgrade.js'
import type { JudgeCanaryOptions } from './judgeCanary.js'
import { judgeCanary } from './judgeCanary.js'
import type { ShadowDriftReports } from './ShadowDriftReports.js'
import type { ShadowCounts, ShadowPair } from './ShadowPair.js'
import type { ShadowStatus } from './ShadowStatus.js'

/** The header every mirrored request carries (Istio's mirror does not mark its copies: istio#11093). */
export const SHADOW_HEADER = 'x-modelgate-shadow'
/** The drift rows go to the analysis thread (which evaluates drift and pushes the reports) this often. */
const DRIFT_INTERVAL_MS = 2_000
/** A canary verdict is reused for this long even when new pairs came in. */
const VERDICT_MIN_INTERVAL_MS = 1_000
/** The path prefix the proxy answers itself (never forwarded). */
export const RESERVED_PREFIX = '/_modelgate/'

export interface ShadowProxyOptions {
  /** The model in production: every request goes to it and its answer goes back to the client untouched. */
  readonly primary: string
  /** The model under test: a sample of requests is mirrored to it and its answers are compared. */
  readonly candidate: string
  /** A second instance of the primary: a difference counts only beyond the primary's own (Diffy's noise rule). */
  readonly secondary?: string
  /** Interface to listen on (default 127.0.0.1). */
  readonly host?: string
  /** Port (default 0: any free port; `url` says which). */
  readonly port?: number
  /** Share of eligible requests mirrored, 0–1 (default 1). */
  readonly sample?: number
  /** Globs of mirrored paths (`*` within a segment, `**` across; the query string is ignored). Default: every path. */
  readonly mirrorPaths?: readonly string[]
  /** Methods mirrored (default `['POST']`: inference is a POST; other methods may have side effects). */
  readonly mirrorMethods?: readonly string[]
  /** Dotted paths of the score fields compared (default: every finite number in the primary's answer). */
  readonly scoreFields?: readonly string[]
  /** Dotted paths of the label fields compared exactly (default none). */
  readonly labelFields?: readonly string[]
  /** Dotted paths of answer fields holding personal data: never a score; a label shows `[redacted]`. */
  readonly piiFields?: readonly string[]
  /** Absolute score tolerance of the metrics and the status (default 0.01); the judge has its own. */
  readonly tolerance?: number
  /** Timeout of each mirrored request, ms (default 2,000). */
  readonly timeoutMs?: number
  /** The primary's timeout (for headers, and between body chunks), ms (default 60,000). */
  readonly primaryTimeoutMs?: number
  /** Mirrored requests waiting for a slot before new ones are dropped (default 1,000). */
  readonly queueSize?: number
  /** Mirrored requests on the wire at once (default 64). */
  readonly maxInFlight?: number
  /** Pairs kept: a ring of the most recent (default 10,000). */
  readonly storeSize?: number
  /** Requests or answers longer than this are not mirrored or compared (default 1 MiB). */
  readonly maxBodyBytes?: number
  /** A drift baseline: the shadow traffic's features with each model's prediction are checked against it. */
  readonly baseline?: Baseline
  /** Dotted path of the features object in a request body (default: `features` if it is an object, else the body). */
  readonly featuresField?: string
  /** Dotted path of the prediction score in the answers (default: the baseline's prediction column). */
  readonly predictionField?: string
  /** Drift method specs (as drift's `resolveMethods`). */
  readonly driftMethods?: readonly string[]
  /**
   * Options of the canary judge behind `/_modelgate/verdict` (`judgeCanary`'s, without `drift`: the proxy passes its
   * own drift reports). Its `scoreFields`, `labelFields` and `scoreTolerance` default to the proxy's.
   */
  readonly canary?: Omit<JudgeCanaryOptions, 'drift'>
  /** Seed of the sampling draws (default 1). */
  readonly seed?: number
  /** Node's process metrics on the registry too (default true). */
  readonly processMetrics?: boolean
  /** Called with a failure inside the proxy that no client saw (a pair that could not be built, say). */
  readonly onError?: (error: unknown) => void
}

export interface ShadowProxy {
  /** `http://host:port` the proxy listens on. */
  readonly url: string
  /** The pairs kept (oldest first), built as objects on each call. */
  pairs(): ShadowPair[]
  /** How many pairs are kept, without building them (for a polling loop). */
  pairCount(): number
  counts(): ShadowCounts
  status(): ShadowStatus
  /**
   * The canary verdict of the pairs kept (`judgeCanary`, on a worker thread; judged again only after new pairs, at
   * most once a second).
   */
  verdict(): Promise<Report>
  /** The drift reports of the shadow window, as last evaluated (every 2 s while pairs come in; null without a baseline). */
  drift(): ShadowDriftReports | null
  /** Prometheus text exposition of the proxy's registry. */
  metrics(): Promise<string>
  /** Stops listening, lets answers in progress finish (up to `graceMs`, default 5 s), drops the mirror queue. */
  close(graceMs?: number): Promise<void>
}

/**
 * Starts the shadow proxy: every request goes to the primary and its answer back to the client untouched; a sample
 * is mirrored to the candidate (and the secondary) off the primary's path, marked with `x-modelgate-shadow: 1`, and
 * each mirrored request becomes a `ShadowPair`. `/_modelgate/status`, `/_modelgate/metrics`, `/_modelgate/pairs`
 * and `/_modelgate/verdict` are answered by the proxy itself.
 */
export async function createShadowProxy(options: ShadowProxyOptions): Promise<ShadowProxy> {
  checkArgument(z.object(optionsShape satisfies ArgumentShape<ShadowProxyOptions>), options, {
    call: 'createShadowProxy(options)',
    name: 'options',
  })
  const primary = upstream('primary', options.primary)
  const candidate = upstream('candidate', options.candidate)
  const secondary = options.secondary === undefined ? undefined : upstream('secondary', options.secondary)
  const sample = options.sample ?? 1
  const tolerance = options.tolerance ?? 0.01
  const timeoutMs = options.timeoutMs ?? 2_000
  const primaryTimeoutMs = options.primaryTimeoutMs ?? 60_000
  const maxInFlight = options.maxInFlight ?? 64
  const queueSize = options.queueSize ?? 1_000
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024
  const mirrorPaths = options.mirrorPaths ?? []
  const mirrorMethods = new Set((options.mirrorMethods ?? ['POST']).map((m) => m.toUpperCase()))
  const matchPath = createPathMatcher(mirrorPaths)
  const routeOf = createRouter(mirrorPaths)
  const random = createRandom(options.seed ?? 1, 'shadow-sample')
  const onError = options.onError ?? (() => {})
  const baseline = options.baseline
  const predictionField = options.predictionField ?? baseline?.prediction?.column ?? 'score'
  const pii = new Set([
    ...(options.piiFields ?? []),
    ...(baseline?.columns.filter((c) => c.kind === 'pii').map((c) => c.name) ?? []),
  ])
  const fields: AnswerFields = {
    scores: options.scoreFields === undefined ? undefined : new Set([...options.scoreFields, predictionField]),
    labels: new Set(options.labelFields ?? []),
    pii,
  }
  const judgeOptions: JudgeCanaryOptions = {
    ...(options.scoreFields === undefined ? {} : { scoreFields: options.scoreFields }),
    ...(options.labelFields === undefined ? {} : { labelFields: options.labelFields }),
    scoreTolerance: tolerance,
    ...options.canary,
  }
  // a bad judge option is refused now (MG_CANARY_BAD_OPTION names it), not at the first verdict
  judgeCanary([], { requests: 0, mirrored: 0, dropped: 0 }, judgeOptions)
  const pool = (origin: string, connections: number) =>
    new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 30_000 })
  const primaryPool = pool(primary.origin, 256)
  const candidatePool = pool(candidate.origin, maxInFlight)
  const secondaryPool = secondary === undefined ? undefined : pool(secondary.origin, maxInFlight)

  const metrics = createShadowMetrics(
    options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics },
  )
  const store = new ShadowStore(options.storeSize ?? 10_000)
  const analysis = new ShadowAnalysis(
    {
      driftIntervalMs: DRIFT_INTERVAL_MS,
      drift:
        baseline === undefined
          ? null
          : { baseline, featuresField: options.featuresField, predictionField, methods: options.driftMethods },
    },
    { pairs: () => store.pairs(), columns: () => store.toMessage() },
    onError,
    (reports) => {
      metrics.driftVerdict.set({ model: 'primary' }, VERDICT_CODE[reports.primary.verdict])
      metrics.driftVerdict.set({ model: 'candidate' }, VERDICT_CODE[reports.candidate.verdict])
    },
  )
  const latency = {
    primary: createLatencyHistogram(),
    candidate: createLatencyHistogram(),
    secondary: secondary === undefined ? null : createLatencyHistogram(),
  }
  const counts = { requests: 0, mirrored: 0, dropped: 0 }
  let skipped = 0
  let droppedStale = 0
  const startedAt = Date.now()

  const mirror = new MirrorQueue({
    targets: [
      { name: 'candidate', pool: candidatePool, basePath: candidate.basePath },
      ...(secondary === undefined || secondaryPool === undefined
        ? []
        : [{ name: 'secondary', pool: secondaryPool, basePath: secondary.basePath }]),
    ],
    maxInFlight,
    queueSize,
    timeoutMs,
    maxBodyBytes,
    onDrop: (_job, reason) => {
      counts.dropped++
      if (reason === 'stale') droppedStale++
      metrics.dropped.inc({ reason })
    },
  })

  /** Collects one mirrored request's outcomes (the primary's may come before or after the mirrors'). */
  const pairFor = (at: number, route: string, request: { readonly body: Buffer | null }) => {
    const outcomes: Record<string, ExchangeOutcome> = {}
    let expected = secondary === undefined ? 2 : 3
    const arrive = (target: string, outcome: ExchangeOutcome): void => {
      outcomes[target] = outcome
      if (--expected > 0) return
      try {
        record(at, route, request.body, outcomes)
      } catch (error) {
        onError(error)
      }
    }
    return arrive
  }

  const record = (at: number, route: string, body: Buffer | null, outcomes: Record<string, ExchangeOutcome>) => {
    const p = readAnswer(outcomes.primary as ExchangeOutcome, fields)
    const c = readAnswer(outcomes.candidate as ExchangeOutcome, fields)
    const s = outcomes.secondary === undefined ? undefined : readAnswer(outcomes.secondary, fields)
    const pair: ShadowPair = {
      at,
      path: route,
      primary: p.answer,
      candidate: withFieldDiff(c, p),
      ...(s === undefined ? {} : { secondary: withFieldDiff(s, p) }),
    }
    store.add(pair)
    metrics.recordPair(pair, tolerance)
    if (Number.isFinite(c.answer.latencyMs)) latency.candidate.record(c.answer.latencyMs)
    if (s !== undefined && Number.isFinite(s.answer.latencyMs)) latency.secondary?.record(s.answer.latencyMs)
    analysis.add(pair, baseline === undefined || body === null ? null : body.toString('utf8'))
  }

  const startMirror = (
    method: Dispatcher.HttpMethod,
    path: string,
    headers: readonly string[],
    body: Buffer | null,
    arrive: (target: string, outcome: ExchangeOutcome) => void,
  ): void => {
    counts.mirrored++
    metrics.countMirrored()
    const job: MirrorJob = {
      method,
      path,
      headers: [...headers, SHADOW_HEADER, '1'],
      body,
      queuedAt: performance.now(),
      done: arrive,
    }
    mirror.submit(job)
  }

  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const receivedAt = performance.now()
    counts.requests++
    metrics.countRequest()
    const path = req.url ?? '/'
    const method = (req.method ?? 'GET') as Dispatcher.HttpMethod
    const wanted = mirrorMethods.has(method) && matchPath(path) && (sample >= 1 || random.uniform() < sample)
    const headers = endToEndHeaders(req.rawHeaders, 'request')
    const address = req.socket.remoteAddress
    if (address !== undefined) headers.push('x-forwarded-for', address)
    const at = Date.now()
    const length = req.headers['content-length']
    const hasBody = length !== undefined || req.headers['transfer-encoding'] !== undefined

    const send = (body: Buffer | Readable | null, mirrored: { body: Buffer | null } | undefined) => {
      const arrive = mirrored === undefined ? undefined : pairFor(at, routeOf(path), mirrored)
      forwardToPrimary(
        primaryPool,
        { method, path: primary.basePath + path, headers, body },
        res,
        { timeoutMs: primaryTimeoutMs, captureLimit: arrive === undefined ? 0 : maxBodyBytes },
        (outcome) => {
          if (Number.isFinite(outcome.latencyMs)) {
            latency.primary.record(outcome.latencyMs)
            metrics.observePrimary(outcome.latencyMs / 1000)
            metrics.observeOverhead(Math.max(0, performance.now() - receivedAt - outcome.latencyMs) / 1000)
          }
          arrive?.('primary', outcome)
        },
      )
      return arrive
    }

    if (!hasBody) {
      const arrive = send(null, wanted ? { body: null } : undefined)
      if (arrive !== undefined) startMirror(method, path, headers, null, arrive)
      return
    }
    if (length !== undefined && Number(length) <= maxBodyBytes) {
      // a body of known, bounded length is read whole first (one packet, for an inference request): the primary
      // gets it as one buffer, and the mirror the same bytes
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.once('end', () => {
        const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
        const arrive = send(body, wanted ? { body } : undefined)
        if (arrive !== undefined) startMirror(method, path, headers, body, arrive)
      })
      return
    }
    if (!wanted) {
      send(req, undefined)
      return
    }
    // a chunked or long body streams to the primary; a copy is kept up to the limit and mirrored when the body
    // ended within it (else the request is counted as skipped: body_too_large)
    const mirrored: { body: Buffer | null } = { body: null }
    const skip = () => {
      skipped++
      metrics.skipped.inc({ reason: 'body_too_large' })
    }
    if (length !== undefined) {
      skip()
      send(req, undefined)
      return
    }
    let arrive: ((target: string, outcome: ExchangeOutcome) => void) | undefined
    const copy = teeBody(req, maxBodyBytes, (body) => {
      if (body === null || arrive === undefined) return skip()
      mirrored.body = body
      startMirror(method, path, headers, body, arrive)
    })
    arrive = send(Readable.from(copy, { objectMode: false }), mirrored)
  }

  const status = (): ShadowStatus =>
    buildShadowStatus({
      startedAt,
      urls: { primary: primary.shown, candidate: candidate.shown, secondary: secondary?.shown ?? null },
      sample,
      mirrorPaths,
      mirrorMethods: [...mirrorMethods],
      tolerance,
      counts: { ...counts },
      pairsTotal: store.total,
      skipped,
      droppedStale,
      queue: { depth: mirror.depth, capacity: queueSize, inFlight: mirror.inFlight, maxInFlight },
      storeCapacity: store.capacity,
      summary: store.summarize(tolerance),
      recent: store.recent(10),
      latency,
      drift: driftReports(),
    })

  const driftReports = (): ShadowDriftReports | null => analysis.drift()

  let judged: { at: number; total: number; report: Promise<Report> } | undefined
  const verdict = (): Promise<Report> => {
    const now = performance.now()
    // judging thousands of pairs takes a while (on the judge's thread): reuse the last verdict when no pair came
    // since, and at most once a second however often it is asked for
    if (judged !== undefined && (judged.total === store.total || now - judged.at < VERDICT_MIN_INTERVAL_MS))
      return judged.report
    // the analysis thread adds its own drift reports
    const report = analysis.judge({ ...counts }, judgeOptions)
    judged = { at: now, total: store.total, report }
    return report
  }

  const proxyMetrics = async (): Promise<string> => {
    metrics.queueDepth.set(mirror.depth)
    metrics.inFlight.set(mirror.inFlight)
    return metrics.registry.metrics()
  }

  const server: Server = createServer((req, res) => {
    // answers pass through with the primary's own Date header
    res.sendDate = false
    try {
      if ((req.url ?? '').startsWith(RESERVED_PREFIX))
        serveReserved(req, res, {
          status,
          metrics: proxyMetrics,
          contentType: metrics.registry.contentType,
          pairs: (limit) => ({ counts: { ...counts }, pairs: store.recent(limit) }),
          verdict: async (format) => (format === 'report' ? verdict() : canaryAnalysisResult(await verdict())),
        })
      else forward(req, res)
    } catch (error) {
      onError(error)
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    }
  })
  // A client's idle keep-alive connection stays open 65 s, as the monitor's (Node's default, 5 s, is an app server's):
  // a proxy's clients — a load balancer, a mesh sidecar, a pool — keep their connections, and one closed under them
  // is reopened at their next burst, on the primary's path (and behind a load balancer with a 60 s idle timeout, a
  // shorter server timeout races it into 502s)
  server.keepAliveTimeout = 65_000

  // Upgrade requests (WebSocket handshakes) tunnel to the primary untouched and are never mirrored
  const tunnels = new Set<() => void>()
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if ((req.url ?? '').startsWith(RESERVED_PREFIX)) {
      socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
      return
    }
    const end = tunnelUpgrade(req, socket, head, primary, {
      timeoutMs: primaryTimeoutMs,
      onClosed: () => tunnels.delete(end),
    })
    tunnels.add(end)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new TrafficError(
          'MG_SHADOW_LISTEN_FAILED',
          `the proxy cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0} (${error.code ?? error.message}).`,
          { cause: error, hint: 'Choose another port, or stop what listens there.' },
        ),
      ),
    )
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}`

  let closing: Promise<void> | undefined
  return {
    url,
    pairs: () => store.pairs(),
    pairCount: () => store.size,
    counts: () => ({ ...counts }),
    status,
    drift: driftReports,
    verdict,
    metrics: proxyMetrics,
    close: (graceMs = 5_000) => {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        // a tunnel has no answer in progress to wait for
        for (const end of [...tunnels]) end()
        // keep-alive connections close as soon as their answer in progress has gone out
        server.closeIdleConnections()
        const idle = setInterval(() => server.closeIdleConnections(), 25)
        const grace = setTimeout(() => server.closeAllConnections(), graceMs)
        await closed
        clearInterval(idle)
        clearTimeout(grace)
        mirror.close()
        await analysis.close()
        await Promise.all([primaryPool, candidatePool, secondaryPool].map((p) => p?.destroy()))
      })()
      return closing
    },
  }
}
