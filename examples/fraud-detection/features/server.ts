// The online feature service of the fraud-scoring example: a real node:http server on loopback.
//   node --import tsx examples/fraud-detection/features/server.ts --history rows.csv [--port 8080] [--broken]
//   node --import tsx examples/fraud-detection/features/server.ts --generate 20000 [--seed 1]   (history from the generator)

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { FeatureStore, TransactionRequest } from './features.js'
import { computeOnlineFeatures } from './features.js'

export interface FeatureServerOptions {
  readonly store: FeatureStore
  /** Serve the variant with the 6-day window bug. */
  readonly broken?: boolean
  readonly port?: number
  readonly host?: string
}

export interface RunningServer {
  readonly url: string
  readonly server: Server
  readonly close: () => Promise<void>
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

/** POST /features with one transaction as JSON → the features as JSON. GET /health → ok. */
export function createFeatureHandler(
  options: FeatureServerOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method === 'GET' && req.url === '/health') return send(res, 200, { ok: true })
    if (req.method !== 'POST' || req.url !== '/features') return send(res, 404, { error: 'POST /features' })
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let body: TransactionRequest
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as TransactionRequest
      } catch {
        return send(res, 400, { error: 'body is not JSON' })
      }
      if (typeof body !== 'object' || body === null || typeof body.user_id !== 'string' || body.ts === undefined) {
        return send(res, 400, { error: 'expected a transaction with user_id and ts' })
      }
      send(res, 200, computeOnlineFeatures(options.store, body, { broken: options.broken === true }))
    })
  }
}

export function startFeatureServer(options: FeatureServerOptions): Promise<RunningServer> {
  const server = createServer({ keepAliveTimeout: 30_000 }, createFeatureHandler(options))
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo
      resolve({
        url: `http://127.0.0.1:${port}/features`,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections()
            server.close(() => done())
          }),
      })
    })
  })
}

async function main(argv: readonly string[]): Promise<void> {
  const { parseArgs } = await import('node:util')
  const { readTable } = await import('@modelgate/core')
  const { createFeatureStore } = await import('./features.js')
  const { generateTransactions } = await import('./generateTransactions.js')
  const { values } = parseArgs({
    args: [...argv],
    options: {
      history: { type: 'string' },
      generate: { type: 'string' },
      seed: { type: 'string', default: '1' },
      port: { type: 'string', default: '8080' },
      broken: { type: 'boolean', default: false },
    },
  })
  if (values.history === undefined && values.generate === undefined)
    throw new Error('pass --history <transactions file> or --generate <rows>')
  const history =
    values.history !== undefined
      ? await readTable(values.history)
      : generateTransactions({ rows: Number(values.generate), seed: Number(values.seed) })
  const store = createFeatureStore(history)
  const running = await startFeatureServer({ store, broken: values.broken, port: Number(values.port) })
  // The first stdout line is the URL, so that scripts can start the service and read where it listens.
  process.stdout.write(`${running.url}\n`)
  process.stderr.write(`feature service${values.broken ? ' (BROKEN 6-day window)' : ''} on ${running.url}\n`)
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 2
  })
}
