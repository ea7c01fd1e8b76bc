import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ShadowCounts, ShadowPair } from '../ShadowPair.js'
import type { ShadowStatus } from '../ShadowStatus.js'

interface ReservedHandlers {
  readonly status: () => ShadowStatus
  readonly metrics: () => Promise<string>
  readonly contentType: string
  readonly pairs: (limit: number) => { counts: ShadowCounts; pairs: ShadowPair[] }
  /** The canary verdict: Argo's small JSON, or the whole Report with `format=report`. */
  readonly verdict: (format: 'argo' | 'report') => Promise<unknown>
}

const MAX_PAIRS = 10_000

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, null, 2)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  })
  res.end(text)
}

/**
 * The proxy's own endpoints under `/_modelgate/` (never forwarded): `status` (JSON), `metrics` (Prometheus text),
 * `pairs?limit=n` (the most recent pairs, newest first, and the counts), `verdict` (the canary judge's verdict as the
 * small JSON Argo Rollouts' web metric reads; `?format=report` the whole Report).
 */
export function serveReserved(req: IncomingMessage, res: ServerResponse, handlers: ReservedHandlers): void {
  const url = new URL(req.url ?? '/', 'http://proxy')
  const name = url.pathname.slice('/_modelgate/'.length)
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('allow', 'GET, HEAD')
    json(res, 405, { error: `${url.pathname} answers GET only.` })
  } else if (name === 'metrics') {
    handlers.metrics().then(
      (text) => {
        res.writeHead(200, { 'content-type': handlers.contentType, 'cache-control': 'no-store' })
        res.end(text)
      },
      () => json(res, 500, { error: 'the metrics could not be collected.' }),
    )
  } else if (name === 'verdict') {
    const format = url.searchParams.get('format') ?? 'argo'
    if (format !== 'argo' && format !== 'report') json(res, 400, { error: 'format expects argo or report.' })
    else
      handlers.verdict(format).then(
        (body) => json(res, 200, body),
        (error: unknown) =>
          json(res, 500, {
            error: `the canary judge failed: ${error instanceof Error ? error.message : String(error)}`,
          }),
      )
  } else {
    const [status, body] = answer(name, url.searchParams, handlers)
    json(res, status, body)
  }
}

function answer(name: string, query: URLSearchParams, handlers: ReservedHandlers): [number, unknown] {
  switch (name) {
    case 'status':
      return [200, handlers.status()]
    case 'pairs': {
      const limit = Number(query.get('limit') ?? 100)
      if (!Number.isInteger(limit) || limit < 0) return [400, { error: 'limit expects a whole number ≥ 0.' }]
      return [200, handlers.pairs(Math.min(limit, MAX_PAIRS))]
    }
    default:
      return [404, { error: `/_modelgate/${name} is not an endpoint of the proxy (status, metrics, pairs, verdict).` }]
  }
}
