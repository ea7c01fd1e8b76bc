import type { IncomingMessage, Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { ResourceLimits } from 'node:worker_threads'
import type { ArgumentShape, Report } from '@modelgate/core'
import { checkArgument, createRandom } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import { createLatencyHistogram } from '@modelgate/stats'
import { AggregatorRegistry } from 'prom-client'
import { Pool } from 'undici'
import { z } from 'zod'
import { canaryAnalysisResult } from './canaryAnalysisResult.js'
import { TrafficError } from './errors.js'
import { serveReserved } from './internal/shadowEndpoints.js'
import { createProxyMetrics } from './internal/shadowMetrics.js'
import type { MirrorHooks, MirrorSide } from './internal/shadowMirrorSide.js'
import { LocalMirror, MirrorGone } from './internal/shadowMirrorSide.js'
import { MIRROR_THREAD_LIMITS, MirrorThread } from './internal/shadowMirrorThread.js'
import { optionsShape, upstream } from './internal/shadowOptions.js'
import type { MirrorFinal, MirrorSettings, StatusPart } from './internal/shadowPairing.js'
import { latencyFigures } from './internal/shadowPairing.js'
import { createPathMatcher, createRouter } from './internal/shadowPaths.js'
import { createRequestPath } from './internal/shadowRequests.js'
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
  /**
   * Mirror on a thread of its own (default false): the candidate's exchanges, the pairing and comparison, the pair
   * ring and their metrics run there (its own heap and collector), and this thread only forwards to the primary and
   * hands each mirrored request over (batched per turn of its event loop). Reading the pairs or the status is then a
   * round trip to that thread.
   */
  readonly mirrorThread?: boolean
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
  const judgeOptions: JudgeCanaryOptions = {
    ...(options.scoreFields === undefined ? {} : { scoreFields: options.scoreFields }),
    ...(options.labelFields === undefined ? {} : { labelFields: options.labelFields }),
    scoreTolerance: tolerance,
    ...options.canary,
  }
  // a bad judge option is refused now (MG_CANARY_BAD_OPTION names it), not at the first verdict
  judgeCanary([], { requests: 0, mirrored: 0, dropped: 0 }, judgeOptions)
  const primaryPool = new Pool(primary.origin, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 })
  const storeSize = options.storeSize ?? 10_000

  const metrics = createProxyMetrics({
    ...(options.processMetrics === undefined ? {} : { processMetrics: options.processMetrics }),
    // read at each scrape (the mirror side is made below)
    ...(options.mirrorThread === true ? { mirrorThread: () => mirror.thread() } : {}),
  })
  let lastDrift: ShadowDriftReports | null = null
  // The mirror side — the candidate's (and secondary's) exchanges, pairing, comparison, the pair ring and metrics,
  // drift and the judge — on this thread, or (`mirrorThread`) on a thread of its own, so that this one forwards to
  // the primary and hands the mirrored requests over
  const mirrorSettings: Omit<MirrorSettings, 'shared'> = {
    targets: [
      { name: 'candidate', origin: candidate.origin, basePath: candidate.basePath },
      ...(secondary === undefined
        ? []
        : [{ name: 'secondary' as const, origin: secondary.origin, basePath: secondary.basePath }]),
    ],
    markHeader: SHADOW_HEADER,
    maxInFlight,
    queueSize,
    timeoutMs,
    maxBodyBytes,
    storeSize,
    tolerance,
    fields: {
      scores: options.scoreFields === undefined ? null : [...options.scoreFields, predictionField],
      labels: options.labelFields ?? [],
      pii: [...pii],
    },
    drift:
      baseline === undefined
        ? null
        : { baseline, featuresField: options.featuresField, predictionField, methods: options.driftMethods },
    judgeOptions,
  }
  const hooks: MirrorHooks = {
    onError,
    onDrift: (reports) => {
      lastDrift = reports
    },
  }
  const mirror: MirrorSide =
    options.mirrorThread === true
      ? new MirrorThread(
          mirrorSettings,
          hooks,
          (options as { [MIRROR_THREAD_LIMITS]?: ResourceLimits })[MIRROR_THREAD_LIMITS],
        )
      : new LocalMirror(mirrorSettings, hooks)
  const primaryLatency = createLatencyHistogram()
  const counts = { requests: 0, mirrored: 0 }
  let skipped = 0
  const startedAt = Date.now()
  /** What the mirror thread handed back as it closed (or an empty store: the thread was lost before). */
  let final: { readonly store: ShadowStore; readonly status: StatusPart } | undefined
  const emptyStatus = (store: ShadowStore): StatusPart => ({
    dropped: 0,
    droppedStale: 0,
    pairsTotal: store.total,
    queueDepth: 0,
    inFlight: 0,
    summary: store.summarize(tolerance),
    recent: store.recent(10),
    candidate: null,
    secondary: null,
  })
  /** After close (or the thread's loss): what is left to answer from. */
  const left = (): { readonly store: ShadowStore; readonly status: StatusPart } => {
    if (final === undefined) {
      const store = new ShadowStore(storeSize)
      final = { store, status: emptyStatus(store) }
    }
    return final
  }
  const keep = (handed: MirrorFinal | null): void => {
    if (handed === null) return
    final = { store: ShadowStore.fromMessage(handed.pairs), status: handed.status }
  }

  const forward = createRequestPath({
    primaryPool,
    primaryBasePath: primary.basePath,
    primaryTimeoutMs,
    maxBodyBytes,
    sample,
    random,
    mirrorMethods,
    matchPath,
    routeOf,
    mirror,
    metrics,
    primaryLatency,
    counts,
    onSkipped: () => {
      skipped++
    },
  })

  /** The mirror thread's share of the status (asked of it while it runs). */
  const statusPart = (): StatusPart => (mirror.query({ kind: 'status' }) as StatusPart | undefined) ?? left().status
  const proxyCounts = (): ShadowCounts => ({ ...counts, dropped: mirror.dropped })

  const status = (): ShadowStatus => {
    const part = statusPart()
    return buildShadowStatus({
      startedAt,
      urls: { primary: primary.shown, candidate: candidate.shown, secondary: secondary?.shown ?? null },
      sample,
      mirrorPaths,
      mirrorMethods: [...mirrorMethods],
      tolerance,
      counts: { ...counts, dropped: part.dropped + mirror.lost },
      pairsTotal: part.pairsTotal,
      skipped,
      droppedStale: part.droppedStale,
      queue: { depth: part.queueDepth, capacity: queueSize, inFlight: part.inFlight, maxInFlight },
      storeCapacity: storeSize,
      summary: part.summary,
      recent: part.recent,
      latency: {
        primary: latencyFigures(primaryLatency),
        candidate: part.candidate,
        secondary: secondary === undefined ? null : part.secondary,
      },
      drift: lastDrift,
      mirrorThread: mirror.thread(),
    })
  }
  const pairs = (): ShadowPair[] => mirror.pairs() ?? left().store.pairs()
  const recent = (limit: number): ShadowPair[] =>
    (mirror.query({ kind: 'recent', limit }) as ShadowPair[] | undefined) ?? left().store.recent(limit)

  // judged on the mirror thread's analysis thread (at most once a second, again only after new pairs); after the
  // thread's end, here from what it handed back (a judge that fails rejects)
  const verdict = (): Promise<Report> =>
    mirror.verdict({ ...counts }).catch((error: unknown) => {
      if (error instanceof MirrorGone) return judgeCanary(left().store.pairs(), proxyCounts(), judgeOptions)
      throw error
    })

  const proxyMetrics = async (): Promise<string> => {
    const [own, pairMetrics] = await Promise.all([
      metrics.registry.getMetricsAsJSON(),
      mirror.metricsJson().catch((error: unknown) => {
        // the mirror side is gone (its loss was reported): the proxy thread's own metrics only
        if (!(error instanceof MirrorGone)) onError(error)
        return []
      }),
    ])
    // one family per name: both threads' latency series merge into modelgate_shadow_latency_seconds
    return AggregatorRegistry.aggregate([own, pairMetrics as typeof own]).metrics()
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
          pairs: (limit) => ({ counts: proxyCounts(), pairs: recent(limit) }),
          // a judge that fails is answered 500 and told to onError too (the operator, not only Argo, hears of it)
          verdict: (format) =>
            verdict().then(
              (report) => (format === 'report' ? report : canaryAnalysisResult(report)),
              (error: unknown) => {
                onError(error)
                throw error
              },
            ),
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
  }).catch(async (error: unknown) => {
    await mirror.close()
    await primaryPool.destroy()
    throw error
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host === '[::]' ? '[::1]' : host}:${address.port}`

  let closing: Promise<void> | undefined
  return {
    url,
    pairs,
    pairCount: () => mirror.pairCount,
    counts: proxyCounts,
    status,
    drift: () => lastDrift,
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
        keep(await mirror.close())
        await primaryPool.destroy()
      })()
      return closing
    },
  }
}
