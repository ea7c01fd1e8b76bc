import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface TestServer {
  readonly url: string
  /** Requests received (bodies are not kept). */
  readonly received: () => number
  /** Bodies received, when `keepBodies` is set. */
  readonly bodies: string[]
  close(): Promise<void>
}

export interface TestServerOptions {
  /** Milliseconds before answering request number `n` (0-based), or a fixed delay. */
  readonly delayMs?: number | ((n: number) => number)
  /** Status of request `n`. Default 200. */
  readonly status?: (n: number) => number
  /** Response body of request `n`. Default `{"score":0.5}`. */
  readonly body?: (n: number) => string
  /** Destroy the socket of every request instead of answering. */
  readonly reset?: boolean
  /** Never answer request `n` (a hang) when this returns true. */
  readonly hang?: (n: number) => boolean
  readonly keepBodies?: boolean
}

/** A real node:http server on loopback (port 0) with scripted behaviour. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  let n = 0
  const bodies: string[] = []
  const sockets = new Set<Socket>()
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const i = n++
    if (options.reset === true) {
      req.socket.destroy()
      return
    }
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (options.keepBodies === true) bodies.push(Buffer.concat(chunks).toString('utf8'))
      if (options.hang?.(i) === true) return
      const answer = (): void => {
        res.writeHead(options.status?.(i) ?? 200, { 'content-type': 'application/json' })
        res.end(options.body?.(i) ?? '{"score":0.5}')
      }
      const delay = typeof options.delayMs === 'function' ? options.delayMs(i) : (options.delayMs ?? 0)
      if (delay > 0) setTimeout(answer, delay)
      else answer()
    })
  }
  const server = createServer({ keepAliveTimeout: 60_000 }, handle)
  server.on('connection', (s: Socket) => {
    sockets.add(s)
    s.on('close', () => sockets.delete(s))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/predict`,
    received: () => n,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
