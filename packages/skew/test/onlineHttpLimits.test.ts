// Issue #12: the HTTP online path had no response size cap (a 600 MB answer crashed the process with an uncaught
// RangeError) and a dead endpoint took 4 × 5 s per row (≈ 100 min for 10k rows). Real servers on loopback.
import type { Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createServer as createTcpServer } from 'node:net'
import { ModelGateError, tableFromRows } from '@modelgate/core'
import { batchFunction, checkSkew, onlineHttp } from '@modelgate/skew'
import { afterEach, describe, expect, it } from 'vitest'

const input = tableFromRows(Array.from({ length: 2000 }, (_, i) => ({ id: i + 1, x: i })))
const batch = batchFunction((t) => ({
  numRows: t.numRows,
  columns: [{ kind: 'numeric', name: 'y', values: new Float64Array(t.numRows), valid: null }],
}))

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

async function serve(handler: (res: ServerResponse) => void): Promise<string> {
  const server: Server = createServer((req, res) => {
    req.resume()
    req.on('end', () => handler(res))
  })
  closers.push(async () => {
    server.closeAllConnections()
    await new Promise((r) => server.close(r))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`
}

async function failure(run: Promise<unknown>): Promise<ModelGateError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ModelGateError)
  return error as ModelGateError
}

const SIX_HUNDRED_MB = 600 * 1024 * 1024

describe('onlineHttp limits', () => {
  it('stops at a response past the size cap, streamed without a length: no crash, a clear error, bytes not kept', async () => {
    let sent = 0
    const chunk = Buffer.alloc(64 * 1024, 'a')
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const pump = (): void => {
        while (sent < SIX_HUNDRED_MB && !res.destroyed) {
          sent += chunk.length
          if (!res.write(chunk)) return void res.once('drain', pump)
        }
        res.end()
      }
      res.on('close', () => {
        sent = Math.min(sent, SIX_HUNDRED_MB)
      })
      pump()
    })
    const error = await failure(checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { concurrency: 2 }) }))
    expect(error.code).toBe('MG_SKEW_RESPONSE_TOO_LARGE')
    expect(error.exitCode).toBe(2)
    expect(error.message).toMatch(/larger than 1,048,576 bytes/)
    // The client hung up long before the 600 MB were sent.
    expect(sent).toBeLessThan(SIX_HUNDRED_MB / 4)
  })

  it('refuses a response whose declared length is past the cap without reading it', async () => {
    const url = await serve((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(SIX_HUNDRED_MB) })
      res.write('{')
    })
    const error = await failure(
      checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { maxResponseBytes: 1000 }) }),
    )
    expect(error.code).toBe('MG_SKEW_RESPONSE_TOO_LARGE')
    expect(error.message).toMatch(/larger than 1,000 bytes/)
  })

  it('fails fast on a dead endpoint (connection refused): unreachable after the consecutive failures', async () => {
    const url = await serve(() => undefined)
    await closers.pop()?.() // the port is now closed: every connection is refused
    const started = Date.now()
    const error = await failure(checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { backoffMs: 1 }) }))
    expect(error.code).toBe('MG_SKEW_ONLINE_UNREACHABLE')
    expect(error.message).toMatch(
      /^The first 20 calls to http:\/\/127\.0\.0\.1:\d+\/score all failed, so the run stopped after \d+ of 2,000 rows; the last error: .*ECONNREFUSED/,
    )
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('fails fast on an endpoint that accepts connections and never answers, within about one timeout', async () => {
    const sockets = new Set<import('node:net').Socket>()
    const blackhole = createTcpServer((socket) => {
      sockets.add(socket)
      socket.resume()
    })
    closers.push(async () => {
      for (const s of sockets) s.destroy()
      await new Promise((r) => blackhole.close(r))
    })
    await new Promise<void>((r) => blackhole.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(blackhole.address() as AddressInfo).port}/score`
    const started = Date.now()
    const online = onlineHttp(url, { timeoutMs: 300, retries: 1, backoffMs: 1, maxConsecutiveFailures: 5 })
    const error = await failure(checkSkew({ input, key: 'id', batch, online }))
    expect(error.code).toBe('MG_SKEW_ONLINE_UNREACHABLE')
    expect(error.message).toMatch(/timed out after 300 ms/)
    // 2,000 rows × 2 attempts × 300 ms would be 20 minutes at concurrency 1, 38 s at 32.
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('opens the circuit when a service that was answering dies mid-run', async () => {
    let calls = 0
    const url = await serve((res) => {
      calls++
      if (calls > 300) {
        res.socket?.destroy()
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"y":0}')
    })
    const started = Date.now()
    const online = onlineHttp(url, { retries: 1, backoffMs: 1, concurrency: 4 })
    const error = await failure(checkSkew({ input, key: 'id', batch, online }))
    expect(error.code).toBe('MG_SKEW_ONLINE_CIRCUIT_OPEN')
    expect(error.message).toMatch(
      /^20 rows in a row failed against http:\/\/127\.0\.0\.1:\d+\/score, so the run stopped after 3\d\d of 2,000 rows/,
    )
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('stops at the run deadline with what was done', async () => {
    const url = await serve((res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end('{"y":0}')
      }, 50)
    })
    const started = Date.now()
    const online = onlineHttp(url, { concurrency: 4, deadlineMs: 600 })
    const error = await failure(checkSkew({ input, key: 'id', batch, online }))
    expect(error.code).toBe('MG_SKEW_ONLINE_DEADLINE')
    expect(error.message).toMatch(/did not finish within 600 ms: \d+ of 2,000 rows done/)
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('stops at once when cancelled (MG_CANCELLED)', async () => {
    const url = await serve(() => undefined)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 200)
    const started = Date.now()
    const error = await failure(
      checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { timeoutMs: 60_000 }), signal: controller.signal }),
    )
    expect(error.code).toBe('MG_CANCELLED')
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('a healthy run with a few failed rows is not stopped by the breaker', async () => {
    let calls = 0
    const url = await serve((res) => {
      calls++
      if (calls % 50 === 0) {
        res.writeHead(400)
        res.end('bad row')
        return
      }
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('{"y":0}')
    })
    const report = await checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { maxConsecutiveFailures: 2 }) })
    expect(report.rows.matched).toBe(2000 - 40)
  })
})
