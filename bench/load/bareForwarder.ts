// A measurement-only floor for bench/shadow.bench.ts (never used by ModelGate itself): the least a Node forwarder
// does — a node:http server that sends each request to the primary through an undici Pool and streams the answer
// back (status, headers, body), with no mirror, no pairing, no metrics. `node --import tsx bench/load/bareForwarder.ts
// <primary url> [<candidate url>]` prints `listening on http://…` on stderr (as `modelgate shadow` does) and answers
// `/_modelgate/*` with empty figures so that the bench reads it like a proxy. With a candidate it is the floor of a
// mirroring proxy: Istio's fire-and-forget mirror — a copy of every request goes to the candidate through a second
// Pool as the primary's is sent, marked, and its answer is read and thrown away (no timer, no pairing, no comparison).
// It exits on SIGTERM (so that `--cpu-prof` writes its profile).
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'

/** The part of undici's low-level API used here (undici is the traffic package's dependency, not the bench's). */
interface DispatchHandler {
  onConnect(abort: () => void): void
  onHeaders(status: number, raw: Buffer[], resume: () => void): boolean
  onData(chunk: Buffer): boolean
  onComplete(): void
  onError(error: Error): void
}
interface UndiciPool {
  dispatch(
    options: { method: string; path: string; headers: string[]; body: Buffer },
    handler: DispatchHandler,
  ): boolean
}
const { Pool } = createRequire(join(import.meta.dirname, '../../packages/traffic/package.json'))('undici') as {
  Pool: new (origin: string, options: object) => UndiciPool
}
const primary = new URL(process.argv[2] ?? 'http://127.0.0.1:8081')
const pool = new Pool(primary.origin, { connections: 256, pipelining: 1, keepAliveTimeout: 30_000 })
const candidate = process.argv[3] === undefined ? undefined : new URL(process.argv[3])
const mirrorPool =
  candidate === undefined
    ? undefined
    : new Pool(candidate.origin, { connections: 64, pipelining: 1, keepAliveTimeout: 30_000 })
/** The mirror's answer, read and dropped. */
const discard: DispatchHandler = {
  onConnect() {},
  onHeaders: () => true,
  onData: () => true,
  onComplete() {},
  onError() {},
}
process.once('SIGTERM', () => process.exit(0))

const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
  if ((req.url ?? '').startsWith('/_modelgate/')) {
    req.resume()
    res.end(req.url === '/_modelgate/verdict' ? '{"verdict":"none","pairs":0}' : '{"counts":{}}')
    return
  }
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const headers: string[] = []
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] as string
      if (name.length !== 4 && name.length !== 10) headers.push(name, req.rawHeaders[i + 1] as string) // host, connection
    }
    const body = Buffer.concat(chunks)
    mirrorPool?.dispatch(
      { method: req.method ?? 'GET', path: req.url ?? '/', headers: [...headers, 'x-modelgate-shadow', '1'], body },
      discard,
    )
    pool.dispatch(
      { method: req.method ?? 'GET', path: req.url ?? '/', headers, body },
      {
        onConnect() {},
        onHeaders(status: number, raw: Buffer[], resume: () => void) {
          const out: string[] = []
          for (let i = 0; i < raw.length; i += 2) {
            const name = String(raw[i])
            if (name.toLowerCase() !== 'connection' && name.toLowerCase() !== 'keep-alive')
              out.push(name, String(raw[i + 1]))
          }
          res.writeHead(status, out)
          res.on('drain', resume)
          return true
        },
        onData(chunk: Buffer) {
          return res.write(chunk)
        },
        onComplete() {
          res.end()
        },
        onError() {
          if (!res.headersSent) res.writeHead(502)
          res.end()
        },
      },
    )
  })
})
server.listen(0, '127.0.0.1', () => {
  process.stderr.write(`listening on http://127.0.0.1:${(server.address() as AddressInfo).port}\n`)
})
