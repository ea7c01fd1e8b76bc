import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { redactUrl } from '@modelgate/core'

export interface ProviderGuard {
  /** Where the verifier sends its requests instead of the provider. */
  readonly url: string
  /** True once the overall deadline passed (every later request was answered 504 at once). */
  readonly deadlinePassed: () => boolean
  /** What went wrong between the verifier and the provider, one line per kind with its count (empty when nothing). */
  readonly problems: () => string[]
  readonly close: () => Promise<void>
}

/**
 * A loopback forwarder between the Pact verifier and the provider, so that verification is bounded whatever the
 * provider does: a request not answered within `timeoutMs` gets a 504, a dropped connection a 502 (each a failed
 * interaction with a clear body, where the verifier's own proxy would crash on an uncaught socket error), and after
 * `deadlineMs` every request is answered 504 at once so the verifier finishes quickly.
 */
export async function startProviderGuard(
  providerBaseUrl: string,
  options: { readonly timeoutMs: number; readonly deadlineMs: number },
): Promise<ProviderGuard> {
  const target = new URL(providerBaseUrl)
  const client = target.protocol === 'https:' ? https : http
  const base = target.pathname.replace(/\/$/, '')
  const shown = redactUrl(target.origin)
  let passed = false
  const seen = new Map<string, number>()
  const note = (text: string): void => {
    seen.set(text, (seen.get(text) ?? 0) + 1)
  }
  const inFlight = new Set<() => void>()
  const deadline = setTimeout(() => {
    passed = true
    for (const stop of inFlight) stop()
  }, options.deadlineMs)

  const answer = (res: ServerResponse, status: number, message: string): void => {
    if (res.headersSent) return void res.destroy()
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' })
    res.end(`ModelGate: ${message}`)
  }

  const server: Server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    if (passed) {
      req.resume()
      return answer(res, 504, `the overall verification deadline (${options.deadlineMs} ms) has passed`)
    }
    const headers = { ...req.headers, host: target.host }
    const upstream = client.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: `${base}${req.url ?? '/'}`,
        headers,
        auth:
          target.username === ''
            ? undefined
            : `${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`,
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers)
        response.pipe(res)
        response.on('error', () => res.destroy())
        response.on('end', finish)
      },
    )
    let settled = false
    const finish = (): void => {
      settled = true
      clearTimeout(timer)
      inFlight.delete(stop)
    }
    const stop = (): void => {
      if (settled) return
      finish()
      upstream.destroy()
      answer(res, 504, `the overall verification deadline (${options.deadlineMs} ms) has passed`)
    }
    inFlight.add(stop)
    const timer = setTimeout(() => {
      if (settled) return
      finish()
      upstream.destroy()
      const text = `the provider at ${shown} did not answer ${req.method} ${req.url} within ${options.timeoutMs} ms`
      note(text)
      answer(res, 504, text)
    }, options.timeoutMs)
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (settled) return
      finish()
      const text = `the provider at ${shown} dropped the connection (${error.code ?? 'socket error'})`
      note(text)
      answer(res, 502, text)
    })
    req.pipe(upstream)
  })
  server.on('clientError', (_error, socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    deadlinePassed: () => passed,
    problems: () => [...seen].map(([text, count]) => (count === 1 ? text : `${text} (${count} requests)`)),
    close: async () => {
      clearTimeout(deadline)
      for (const stop of inFlight) stop()
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
