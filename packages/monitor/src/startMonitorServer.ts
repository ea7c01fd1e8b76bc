import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGunzip } from 'node:zlib'
import type { Monitor } from './createMonitor.js'
import { MonitorError } from './errors.js'
import { ingestEventBody } from './internal/ingestEventBody.js'
import { decodeEventBody } from './parseEventBody.js'

export interface MonitorServerOptions {
  /** Default 9400; 0 picks a free port. */
  readonly port?: number
  /** Default 127.0.0.1. */
  readonly host?: string
  /** When set, `POST /v1/events` needs `Authorization: Bearer <token>`. */
  readonly token?: string
  /** Requests to `/v1/events` handled at once; more get 429 with Retry-After. Default 64. */
  readonly maxInFlight?: number
  /** Largest body (after gunzip). Default 64 MiB. */
  readonly maxBodyBytes?: number
  /**
   * Called (synchronously after the monitor counted it) with the text of each batch that changed a count, before the
   * answer: the `--durable` write-ahead log appends here, so a 200 means the batch is on disk.
   */
  readonly durable?: (text: string) => Promise<void>
  /** Called with a failure answered 500 (the write-ahead log could not be written, say): the client sees only the 500. */
  readonly onError?: (error: unknown) => void
}

export interface MonitorServer {
  readonly url: string
  readonly port: number
  readonly server: Server
  /** `/readyz` answers 503 until set ready (and again after `setReady(false)`, e.g. while draining). */
  setReady(ready: boolean): void
  close(): Promise<void>
}

/**
 * The monitor's HTTP face: `POST /v1/events` (a JSON array, one object or JSONL; `Content-Encoding: gzip` accepted;
 * bearer token when configured; 429 when `maxInFlight` batches are already being read), `GET /metrics`
 * (Prometheus text), `/healthz`, `/readyz`, `/v1/status` and `/v1/windows?since=<ISO time | epoch ms>`.
 */
export async function startMonitorServer(monitor: Monitor, options: MonitorServerOptions = {}): Promise<MonitorServer> {
  const maxInFlight = options.maxInFlight ?? 64
  const maxBody = options.maxBodyBytes ?? 64 * 1024 * 1024
  const token = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`)
  let inFlight = 0
  let ready = false

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers })
    res.end(JSON.stringify(body))
  }

  const authorized = (req: IncomingMessage): boolean => {
    if (token === undefined) return true
    const given = Buffer.from(req.headers.authorization ?? '')
    return given.length === token.length && timingSafeEqual(given, token)
  }

  const postEvents = async (req: IncomingMessage, res: ServerResponse) => {
    if (!authorized(req)) {
      json(res, 401, { error: 'missing or wrong bearer token' }, { 'www-authenticate': 'Bearer' })
      req.resume()
      return
    }
    if (inFlight >= maxInFlight) {
      json(res, 429, { error: 'too many batches in flight; retry' }, { 'retry-after': '1' })
      req.resume()
      return
    }
    inFlight++
    try {
      const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase()
      if (encoding !== 'identity' && encoding !== 'gzip') {
        json(res, 415, { error: `unsupported content-encoding ${encoding}; use gzip or none` })
        req.resume()
        return
      }
      let text: string
      try {
        text = await readBody(encoding === 'gzip' ? req.pipe(createGunzip()) : req, maxBody)
      } catch (error) {
        const tooLarge = error instanceof BodyTooLarge
        if (!tooLarge) monitor.refuse('invalid_json', 'the body could not be read (bad gzip?)', 'http')
        json(res, tooLarge ? 413 : 400, { error: tooLarge ? `body larger than ${maxBody} bytes` : 'unreadable body' })
        return
      }
      const { invalidArray, counted, ...result } = ingestEventBody(monitor, text, 'http')
      // Every batch that changed a count is logged (refused-only ones too), in the order it was counted.
      if (options.durable !== undefined && counted) await options.durable(text)
      if (invalidArray) json(res, 400, { error: 'body is not a valid JSON array' })
      else json(res, 200, result)
    } finally {
      inFlight--
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://monitor')
    const route = `${req.method} ${url.pathname}`
    const handle = async () => {
      switch (route) {
        case 'POST /v1/events':
          return postEvents(req, res)
        case 'GET /metrics': {
          const body = await monitor.metrics.registry.metrics()
          res.writeHead(200, { 'content-type': monitor.metrics.registry.contentType })
          res.end(body)
          return
        }
        case 'GET /healthz':
          return json(res, 200, { status: 'ok' })
        case 'GET /readyz':
          return json(res, ready ? 200 : 503, { ready })
        case 'GET /v1/status':
          return json(res, 200, monitor.status())
        case 'GET /v1/windows': {
          const sinceText = url.searchParams.get('since')
          const since = sinceText === null ? undefined : parseSince(sinceText)
          if (since === null) return json(res, 400, { error: 'since: expected an ISO-8601 time or epoch milliseconds' })
          return json(res, 200, { windows: monitor.windows(since) })
        }
        default:
          req.resume()
          return json(res, 404, { error: `no route ${route}` })
      }
    }
    handle().catch((error: unknown) => {
      options.onError?.(error)
      if (!res.headersSent) json(res, 500, { error: error instanceof Error ? error.message : 'internal error' })
      else res.destroy()
    })
  })
  server.keepAliveTimeout = 65_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new MonitorError(
          'MG_MONITOR_LISTEN_FAILED',
          `The monitor cannot listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 9400} (${(error as NodeJS.ErrnoException).code ?? error.message}).`,
          { cause: error, hint: 'Pick another port, or stop the process that holds it.' },
        ),
      ),
    )
    server.listen(options.port ?? 9400, options.host ?? '127.0.0.1', () => resolve())
  })
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    server,
    setReady(value) {
      ready = value
    },
    close: () =>
      new Promise<void>((resolve) => {
        ready = false
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

class BodyTooLarge extends Error {}

async function readBody(stream: NodeJS.ReadableStream, max: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    size += buffer.length
    if (size > max) throw new BodyTooLarge()
    chunks.push(buffer)
  }
  return decodeEventBody(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size))
}

function parseSince(text: string): number | null {
  if (/^\d+$/.test(text)) return Number(text)
  const ms = Date.parse(text)
  return Number.isNaN(ms) ? null : ms
}
