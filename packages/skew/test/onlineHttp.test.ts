import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Table } from '@modelgate/core'
import { ModelGateError } from '@modelgate/core'
import { batchFunction, checkSkew, onlineHttp } from '@modelgate/skew'
import { afterEach, describe, expect, it } from 'vitest'

const n = 60
const input: Table = {
  numRows: n,
  columns: [
    { kind: 'integer', name: 'id', values: Float64Array.from({ length: n }, (_, i) => i + 1), valid: null },
    { kind: 'numeric', name: 'x', values: Float64Array.from({ length: n }, (_, i) => i * 0.5), valid: null },
  ],
}
const batch = batchFunction((t) => ({
  numRows: t.numRows,
  columns: [
    {
      kind: 'numeric',
      name: 'double_x',
      values: Float64Array.from((t.columns[1] as { values: Float64Array }).values, (v) => 2 * v),
      valid: null,
    },
  ],
}))

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

async function serve(
  handler: (body: Record<string, unknown>, res: ServerResponse, req: IncomingMessage) => void,
): Promise<string> {
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => {
      text += c.toString('utf8')
    })
    req.on('end', () => handler(JSON.parse(text) as Record<string, unknown>, res, req))
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/score`
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

describe('onlineHttp', () => {
  // Timeouts of 1 s: long enough that a prompt answer never times out on a loaded machine (150 ms was flaky).
  it('retries 503s and timed-out calls with backoff until every row succeeds', async () => {
    const attempts = new Map<number, number>()
    const url = await serve((row, res) => {
      const id = row.id as number
      const attempt = (attempts.get(id) ?? 0) + 1
      attempts.set(id, attempt)
      if (id % 3 === 0 && attempt === 1) return json(res, 503, { error: 'overloaded' })
      if (id % 5 === 0 && attempt <= 2) return // never answers: the client must time out
      json(res, 200, { double_x: 2 * (row.x as number) })
    })
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      online: onlineHttp(url, { retries: 3, timeoutMs: 1000, backoffMs: 5, concurrency: 8 }),
    })
    expect(report.verdict).toBe('pass')
    expect(report.rows.failures.online).toEqual([])
    expect(attempts.get(3)).toBe(2)
    expect(attempts.get(5)).toBe(3)
    expect(attempts.get(15)).toBe(3)
    expect(attempts.get(1)).toBe(1)
  })

  it('gives up on a response that trickles in past the deadline and retries it', async () => {
    const attempts = new Map<number, number>()
    const url = await serve((row, res) => {
      const id = row.id as number
      const attempt = (attempts.get(id) ?? 0) + 1
      attempts.set(id, attempt)
      if (id === 10 && attempt === 1) {
        // headers at once, then one byte every 20 ms: never idle, never done
        res.writeHead(200, { 'content-type': 'application/json' })
        const tick = setInterval(() => res.write(' '), 20)
        res.on('close', () => clearInterval(tick))
        return
      }
      json(res, 200, { double_x: 2 * (row.x as number) })
    })
    const started = performance.now()
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      online: onlineHttp(url, { timeoutMs: 1000, backoffMs: 1 }),
    })
    expect(report.verdict).toBe('pass')
    expect(attempts.get(10)).toBe(2)
    expect(performance.now() - started).toBeLessThan(10_000)
  })

  it('reports rows that still fail after the retries and fails the rows check', async () => {
    const url = await serve((row, res) =>
      (row.id as number) % 20 === 0
        ? json(res, 500, { error: 'boom' })
        : json(res, 200, { double_x: 2 * (row.x as number) }),
    )
    const report = await checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { retries: 1, backoffMs: 1 }) })
    expect(report.rows.missingInOnline).toBe(3)
    expect(report.rows.failures.online.map((f) => f.key)).toEqual([20, 40, 60])
    expect(report.rows.failures.online[0]?.message).toBe('HTTP 500 (after 2 attempts)')
    expect(report.rows.verdict).toBe('fail')
    expect(report.verdict).toBe('fail')
    // the rows that did come back still agree
    expect(report.features[0]?.verdict).toBe('pass')
  })

  it('does not retry a 400 and keeps its message', async () => {
    let calls = 0
    const url = await serve((row, res) => {
      calls++
      if (row.id === 7) return json(res, 400, { error: 'bad x' })
      json(res, 200, { double_x: 2 * (row.x as number) })
    })
    const report = await checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { retries: 3 }) })
    expect(calls).toBe(n)
    expect(report.rows.failures.online).toEqual([{ key: 7, message: 'HTTP 400: error: "bad x" (JSON fields: error)' }])
  })

  it('renders a body template, sends headers and reads features from a response path', async () => {
    const url = await serve((body, res, req) => {
      if (req.headers.authorization !== 'Bearer t0k3n') return json(res, 401, {})
      const instance = (body.instances as { value: number; row: { id: number } }[])[0]
      json(res, 200, {
        model: 'v2',
        predictions: [{ features: { double_x: 2 * (instance?.value ?? 0), echo_id: instance?.row.id } }],
      })
    })
    const report = await checkSkew({
      input,
      key: 'id',
      batch,
      features: ['double_x'],
      online: onlineHttp(url, {
        bodyTemplate: '{"instances": [{"value": {{x}}, "row": {{row}}}]}',
        responsePath: 'predictions.0.features',
        headers: { authorization: 'Bearer t0k3n' },
      }),
    })
    expect(report.verdict).toBe('pass')
    expect(report.features.map((f) => f.feature)).toEqual(['double_x'])
  })

  it('uses keep-alive: many requests share a few sockets', async () => {
    const sockets = new Set<unknown>()
    const url = await serve((row, res, req) => {
      sockets.add(req.socket)
      json(res, 200, { double_x: 2 * (row.x as number) })
    })
    await checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { concurrency: 4 }) })
    expect(sockets.size).toBeLessThanOrEqual(4)
  })

  it('stops with MG_SKEW_ONLINE_UNREACHABLE when nothing answers', async () => {
    const url = await serve(() => {})
    const closed = servers.pop() as Server
    closed.closeAllConnections()
    await new Promise((r) => closed.close(r))
    const error = await checkSkew({
      input,
      key: 'id',
      batch,
      online: onlineHttp(url, { retries: 1, backoffMs: 1 }),
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_SKEW_ONLINE_UNREACHABLE')
    expect((error as ModelGateError).message).toMatch(/ECONNREFUSED/)
  })

  it('rejects a template naming a column the rows do not have', async () => {
    const url = await serve((row, res) => json(res, 200, row))
    const error = await checkSkew({
      input,
      key: 'id',
      batch,
      online: onlineHttp(url, { bodyTemplate: '{"v": {{amount}}}' }),
    }).catch((e: unknown) => e)
    expect((error as ModelGateError).code).toBe('MG_SKEW_TEMPLATE_COLUMN')
    expect((error as ModelGateError).message).toContain('Input columns: id, x')
  })
})
