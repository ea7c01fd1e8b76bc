import type { IncomingMessage, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export interface HandlerServer {
  readonly url: string
  /** Requests received so far, with their raw headers and whole bodies. */
  readonly requests: { method: string; url: string; rawHeaders: string[]; body: Buffer }[]
  close(): Promise<void>
}

/** A real node:http server on loopback (port 0) answering with `handler` once each request body has arrived. */
export async function startHandlerServer(
  handler: (req: IncomingMessage, res: ServerResponse, body: Buffer, n: number) => void,
): Promise<HandlerServer> {
  const requests: HandlerServer['requests'] = []
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const n = requests.length
      requests.push({ method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, body })
      handler(req, res, body, n)
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** A JSON answer. */
export function answerJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}
