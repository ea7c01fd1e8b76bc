import { randomBytes } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createRandom, tableFromRows } from '@modelgate/core'
import { buildBaseline } from '@modelgate/drift'
import { createShadowProxy } from '@modelgate/traffic'
import { describe, expect, it } from 'vitest'
import { shadowTestKit, until as waitUntil } from './support/shadowTestKit.js'
import { answerJson } from './support/startHandlerServer.js'

interface Answer {
  status: number
  statusMessage: string
  rawHeaders: string[]
  body: Buffer
  ms: number
}

const agent = new Agent({ keepAlive: true, maxSockets: 32 })

/** One request with node:http (raw headers in, raw headers out), timed from send to the last byte. */
function send(
  url: string,
  options: { method?: string; path?: string; headers?: string[]; body?: Buffer | string; chunked?: boolean } = {},
  onResponse?: (res: IncomingMessage) => void,
): Promise<Answer> {
  const target = new URL(options.path ?? '/predict', url)
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(target, { method: options.method ?? 'POST', agent }, (res) => {
      onResponse?.(res)
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          statusMessage: res.statusMessage ?? '',
          rawHeaders: res.rawHeaders,
          body: Buffer.concat(chunks),
          ms: performance.now() - started,
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    // setHeader keeps the spelling on the wire; node adds Host and Connection itself
    const raw = options.headers ?? []
    for (let i = 0; i < raw.length; i += 2) req.setHeader(raw[i] as string, raw[i + 1] as string)
    if (options.body !== undefined && options.chunked !== true)
      req.setHeader('Content-Length', Buffer.byteLength(options.body))
    req.end(options.body)
  })
}

const json = (body: unknown): { headers: string[]; body: string } => ({
  headers: ['Content-Type', 'application/json'],
  body: JSON.stringify(body),
})

/** Header pairs of a raw list, without the ones the last hop sets itself. */
function pairsOf(raw: readonly string[], drop: readonly string[] = []): [string, string][] {
  const out: [string, string][] = []
  for (let i = 0; i < raw.length; i += 2)
    if (!drop.includes((raw[i] as string).toLowerCase())) out.push([raw[i] as string, raw[i + 1] as string])
  return out
}

const { serve, proxy, afterTest } = shadowTestKit()
const until = (condition: () => boolean, timeoutMs = 10_000): Promise<void> => waitUntil(condition, timeoutMs)

const score = (body: Buffer): unknown => {
  const row = JSON.parse(body.toString()) as { x?: number }
  return { score: (row.x ?? 0) / 100, decision: (row.x ?? 0) > 50 ? 'block' : 'allow' }
}

/**
 * A primary that is down: port 9 (discard) on loopback, where nothing listens on a test machine. (A port freed by
 * closing a server can be handed to the next listener — the proxy itself, which then forwards to itself until the
 * headers are too large: a 431 instead of the 502 under test.)
 */
const DOWN = 'http://127.0.0.1:9'

describe('createShadowProxy: the primary path', () => {
  it("passes the primary's trailer fields through after the body (hop-by-hop ones removed)", async () => {
    const primary = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', Trailer: 'X-Checksum, X-Model-Ms' })
      res.write('part one, ')
      res.addTrailers([
        ['X-Checksum', 'abc123'],
        ['X-Model-Ms', '4.2'],
        ['Keep-Alive', 'timeout=1'],
      ])
      res.end('part two')
    })
    const candidate = await serve((_req, res) => answerJson(res, { ok: true }))
    const p = await proxy({ primary: primary.url, candidate: candidate.url })
    let trailers: string[] = []
    const answer = await send(p.url, { method: 'GET', path: '/stream' }, (res) =>
      res.once('end', () => {
        trailers = res.rawTrailers
      }),
    )
    expect(answer.body.toString()).toBe('part one, part two')
    expect(pairsOf(answer.rawHeaders)).toContainEqual(['Trailer', 'X-Checksum, X-Model-Ms'])
    expect(trailers).toEqual(['X-Checksum', 'abc123', 'X-Model-Ms', '4.2'])
  })

  it('tunnels an Upgrade request (a WebSocket handshake) to the primary byte for byte, never to the candidate', async () => {
    const upgrades: { url: string; rawHeaders: string[] }[] = []
    // the primary switches protocols and then echoes every byte back upper-cased
    const echo = createServer()
    const tunnelled = new Set<Socket>()
    echo.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
      tunnelled.add(socket)
      upgrades.push({ url: req.url ?? '', rawHeaders: req.rawHeaders })
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n',
      )
      if (head.length > 0) socket.write(head.toString().toUpperCase())
      socket.on('data', (chunk: Buffer) => socket.write(chunk.toString().toUpperCase()))
    })
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve))
    afterTest(async () => {
      for (const socket of tunnelled) socket.destroy()
      await new Promise<void>((resolve) => echo.close(() => resolve()))
    })
    const candidate = await serve((_req, res) => answerJson(res, { ok: true }))
    const p = await proxy({
      primary: `http://127.0.0.1:${(echo.address() as AddressInfo).port}`,
      candidate: candidate.url,
      mirrorMethods: ['GET', 'POST'],
    })
    const { socket, status, rawHeaders } = await new Promise<{
      socket: Socket
      status: number
      rawHeaders: string[]
    }>((resolve, reject) => {
      const req = request(new URL('/chat?room=1', p.url), {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version': '13',
        },
      })
      req.on('upgrade', (res, s) => resolve({ socket: s, status: res.statusCode ?? 0, rawHeaders: res.rawHeaders }))
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(101)
    expect(pairsOf(rawHeaders)).toContainEqual(['Sec-WebSocket-Accept', 's3pPLMBiTxaQ9kYGzzhZRbK+xOo='])
    const echoed = new Promise<string>((resolve) => {
      let text = ''
      socket.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        if (text.length >= 11) resolve(text)
      })
    })
    socket.write('hello world')
    expect(await echoed).toBe('HELLO WORLD')
    socket.destroy()
    // the primary got the handshake with its Upgrade fields, the path and query, and its own Host
    expect(upgrades).toHaveLength(1)
    expect(upgrades[0]?.url).toBe('/chat?room=1')
    const fields = pairsOf(upgrades[0]?.rawHeaders ?? []).map(([k, v]) => [k.toLowerCase(), v])
    expect(fields).toContainEqual(['upgrade', 'websocket'])
    expect(fields).toContainEqual(['sec-websocket-key', 'dGhlIHNhbXBsZSBub25jZQ=='])
    expect(fields).toContainEqual([
      'host',
      new URL(p.url).host.replace(/:\d+$/, `:${(echo.address() as AddressInfo).port}`),
    ])
    // never mirrored, never a pair
    expect(candidate.requests).toHaveLength(0)
    expect(p.counts().mirrored).toBe(0)
  })

  it('answers 502 to an Upgrade request when the primary is down', async () => {
    const candidate = await serve((_req, res) => answerJson(res, { ok: true }))
    const p = await proxy({ primary: DOWN, candidate: candidate.url })
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(new URL('/chat', p.url), { headers: { Connection: 'Upgrade', Upgrade: 'websocket' } })
      req.on('response', (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('upgrade', () => reject(new Error('upgraded')))
      req.on('error', reject)
      req.end()
    })
    expect(status).toBe(502)
  })

  it("returns the primary's status, end-to-end headers and body byte for byte, streamed, without hop-by-hop headers", async () => {
    const payload = randomBytes(200_000)
    let clientGotFirst: () => void = () => {}
    const firstSeen = new Promise<void>((r) => {
      clientGotFirst = r
    })
    const primary = await serve((_req, res) => {
      // raw header list: own spelling, a duplicate, hop-by-hop fields incl. one named by Connection
      res.writeHead(201, 'Made It', [
        'X-Model-Version',
        'v7 (a)',
        'Set-Cookie',
        'a=1',
        'Set-Cookie',
        'b=2',
        'Connection',
        'keep-alive, X-Hop-Secret',
        'X-Hop-Secret',
        'do not forward',
        'Keep-Alive',
        'timeout=5',
        'content-type',
        'application/octet-stream',
        'Date',
        'Tue, 01 Jan 2030 00:00:00 GMT',
      ])
      res.write(payload.subarray(0, 1000))
      // the rest only once the client has the first chunk: a buffering proxy would never deliver it
      firstSeen.then(() => res.end(payload.subarray(1000)))
    })
    const candidate = await serve((_req, res) => answerJson(res, { ok: true }))
    const p = await proxy({ primary: primary.url, candidate: candidate.url })
    const answer = await send(p.url, { ...json({ x: 1 }) }, (res) => res.once('data', () => clientGotFirst()))
    expect(answer.status).toBe(201)
    expect(answer.statusMessage).toBe('Made It')
    expect(answer.body.equals(payload)).toBe(true)
    expect(pairsOf(answer.rawHeaders, ['connection', 'keep-alive', 'transfer-encoding'])).toEqual([
      ['X-Model-Version', 'v7 (a)'],
      ['Set-Cookie', 'a=1'],
      ['Set-Cookie', 'b=2'],
      ['content-type', 'application/octet-stream'],
      ['Date', 'Tue, 01 Jan 2030 00:00:00 GMT'],
    ])
  })

  it('forwards the request without hop-by-hop headers, the body byte for byte, chunked bodies too', async () => {
    const primary = await serve((_req, res, body) => answerJson(res, { length: body.length }))
    const candidate = await serve((_req, res) => answerJson(res, {}))
    const p = await proxy({ primary: `${primary.url}/base/`, candidate: candidate.url })
    const body = randomBytes(5000)
    await send(p.url, {
      path: '/predict?x=1',
      headers: ['X-Trace', 'abc', 'Connection', 'keep-alive, X-Hop', 'X-Hop', 'secret', 'TE', 'trailers'],
      body,
    })
    await send(p.url, { path: '/stream', body: 'chunked body', chunked: true })
    const [first, second] = primary.requests
    expect(first?.url).toBe('/base/predict?x=1')
    expect(first?.body.equals(body)).toBe(true)
    const names = pairsOf(first?.rawHeaders ?? []).map(([n]) => n.toLowerCase())
    expect(names).toContain('x-trace')
    expect(names).not.toContain('x-hop')
    expect(names).not.toContain('te')
    expect(second?.body.toString()).toBe('chunked body')
  })

  it('answers 502 when the primary is down, and the reserved endpoints are never forwarded', async () => {
    const candidate = await serve((_req, res) => answerJson(res, {}))
    const p = await proxy({ primary: DOWN, candidate: candidate.url })
    const answer = await send(p.url, json({ x: 1 }))
    expect(answer.status).toBe(502)
    expect(answer.body.toString()).toContain('the primary could not be reached')
    const status = await send(p.url, { method: 'GET', path: '/_modelgate/status' })
    expect(status.status).toBe(200)
    expect(JSON.parse(status.body.toString())).toMatchObject({
      format: 'modelgate.shadow.status',
      counts: { requests: 1 },
    })
    expect((await send(p.url, { method: 'GET', path: '/_modelgate/nope' })).status).toBe(404)
    // one pair whose primary failed: far too little to judge — inconclusive, never a pass
    await until(() => p.pairs().length === 1)
    const verdict = await send(p.url, { method: 'GET', path: '/_modelgate/verdict' })
    expect(verdict.status).toBe(200)
    expect(JSON.parse(verdict.body.toString())).toMatchObject({ version: 1, verdict: 'inconclusive', pass: false })
  })
  it('passes HEAD and 204 answers through without a body, and close() lets answers in progress finish', async () => {
    const primary = await serve((req, res) => {
      if (req.method === 'HEAD') res.writeHead(200, { 'content-length': '42', 'x-head': 'yes' }).end()
      else if (req.url === '/empty') res.writeHead(204, { 'x-empty': 'yes' }).end()
      else setTimeout(() => answerJson(res, { late: true }), 300)
    })
    const candidate = await serve((_req, res) => answerJson(res, {}))
    const p = await createShadowProxy({ primary: primary.url, candidate: candidate.url, processMetrics: false })
    const head = await send(p.url, { method: 'HEAD', path: '/x' })
    expect(head.status).toBe(200)
    expect(pairsOf(head.rawHeaders)).toContainEqual(['x-head', 'yes'])
    expect(pairsOf(head.rawHeaders)).toContainEqual(['content-length', '42'])
    expect(head.body.length).toBe(0)
    const empty = await send(p.url, { method: 'GET', path: '/empty' })
    expect([empty.status, empty.body.length]).toEqual([204, 0])
    const slow = send(p.url, json({ x: 1 }))
    await until(() => primary.requests.length === 3)
    await p.close(2_000)
    expect(JSON.parse((await slow).body.toString())).toEqual({ late: true })
    await expect(fetch(`${p.url}/predict`)).rejects.toThrow()
  })
})

describe('createShadowProxy: mirroring', () => {
  it('mirrors POSTs to the candidate marked x-modelgate-shadow: 1 and records one pair per request', async () => {
    const primary = await serve((_req, res, body) => answerJson(res, score(body)))
    const candidate = await serve((_req, res, body) => {
      const row = JSON.parse(body.toString()) as { x: number }
      answerJson(res, { score: row.x / 100 + (row.x === 7 ? 0.2 : 0), decision: 'allow', extra: 1 })
    })
    const p = await proxy({ primary: primary.url, candidate: candidate.url, labelFields: ['decision'] })
    for (const x of [7, 60])
      expect((await send(p.url, json({ x }))).body.toString()).toBe(
        JSON.stringify(score(Buffer.from(JSON.stringify({ x })))),
      )
    await until(() => p.pairs().length === 2)
    const mark = (raw: string[]) => pairsOf(raw).find(([n]) => n === 'x-modelgate-shadow')?.[1]
    expect(candidate.requests.map((r) => mark(r.rawHeaders))).toEqual(['1', '1'])
    expect(primary.requests.map((r) => mark(r.rawHeaders))).toEqual([undefined, undefined])
    expect(candidate.requests[0]?.body.toString()).toBe('{"x":7}')
    const [a, b] = p.pairs()
    expect(a).toMatchObject({
      path: '/predict',
      primary: { status: 200, scores: { score: 0.07 }, labels: { decision: 'allow' } },
      candidate: { status: 200, labels: { decision: 'allow' }, addedFields: ['extra'] },
    })
    expect(a?.candidate.scores.score).toBeCloseTo(0.27, 12)
    expect(b?.candidate.labels).toEqual({ decision: 'allow' })
    expect(b?.primary.labels).toEqual({ decision: 'block' })
    expect(p.counts()).toEqual({ requests: 2, mirrored: 2, dropped: 0 })
    const status = p.status()
    expect(status.scores.score).toMatchObject({ compared: 2, exceeded: 1 })
    expect(status.labels.decision).toEqual({ compared: 2, agreed: 1 })
    expect(status.fields).toEqual({ added: 2, missing: 0 })
  })

  it('mirrors only the sampled share, the chosen paths and POST unless other methods are allowed', async () => {
    const primary = await serve((_req, res) => answerJson(res, { score: 1 }))
    const candidate = await serve((_req, res) => answerJson(res, { score: 1 }))
    const p = await proxy({ primary: primary.url, candidate: candidate.url, mirrorPaths: ['/v1/models/*'] })
    await send(p.url, { path: '/v1/models/fraud', ...json({}) })
    await send(p.url, { path: '/v1/models/fraud/explain', ...json({}) })
    await send(p.url, { path: '/health', method: 'GET' })
    await send(p.url, { path: '/v1/models/fraud', method: 'GET' })
    await until(() => p.pairs().length === 1)
    expect(p.counts()).toEqual({ requests: 4, mirrored: 1, dropped: 0 })
    expect(p.pairs()[0]?.path).toBe('/v1/models/*')

    const q = await proxy({
      primary: primary.url,
      candidate: candidate.url,
      mirrorMethods: ['GET', 'POST'],
      sample: 0.3,
      seed: 3,
    })
    for (let i = 0; i < 200; i++)
      await send(q.url, { path: '/any', method: i % 2 === 0 ? 'GET' : 'POST', ...(i % 2 === 0 ? {} : json({})) })
    const mirrored = q.counts().mirrored
    // binomial(200, 0.3): mean 60, sd 6.5
    expect(mirrored).toBeGreaterThan(35)
    expect(mirrored).toBeLessThan(85)
    await until(() => q.pairs().length === mirrored)
  })
})

describe('createShadowProxy: a bad candidate changes nothing for the primary', () => {
  const cases = {
    hangs: () => {},
    crashes: (req: IncomingMessage) => req.socket.destroy(),
    'returns garbage': (_req: IncomingMessage, res: import('node:http').ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end('<html>}{ not json')
    },
    'answers in 5 s': (_req: IncomingMessage, res: import('node:http').ServerResponse) => {
      setTimeout(() => answerJson(res, { score: 0.5 }), 5_000)
    },
  } as const
  for (const [name, behave] of Object.entries(cases)) {
    it(`a candidate that ${name}: every answer is the primary's, none waits for the candidate`, async () => {
      const primary = await serve((_req, res, body) => answerJson(res, score(body)))
      const candidate = await serve((req, res) => behave(req, res))
      // the mirror timeout is longer than the test: a primary path that waited on the candidate would show seconds
      const p = await proxy({
        primary: primary.url,
        candidate: candidate.url,
        timeoutMs: 8_000,
        maxInFlight: 2,
        queueSize: 3,
      })
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => send(p.url, json({ x: i }))))
      for (const [i, a] of answers.entries()) {
        expect(a.status).toBe(200)
        expect(a.body.toString()).toBe(JSON.stringify(score(Buffer.from(JSON.stringify({ x: i })))))
      }
      // generous bound for a shared 2-core machine; a blocked primary path would take ≥ 5 s
      expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1_500)
      const counts = p.counts()
      expect(counts.requests).toBe(30)
      expect(counts.mirrored).toBe(30)
      if (name === 'hangs' || name === 'answers in 5 s') expect(counts.dropped).toBeGreaterThanOrEqual(25)
      const status = p.status()
      expect(status.counts.dropped).toBe(counts.dropped)
      if (name === 'crashes') {
        await until(() => p.pairs().length === 30 - p.counts().dropped)
        expect(p.pairs().every((pair) => pair.candidate.error === 'connection')).toBe(true)
      }
      if (name === 'returns garbage') {
        await until(() => p.pairs().length === 30 - p.counts().dropped)
        expect(p.pairs().every((pair) => pair.candidate.error === 'parse' && pair.primary.error === undefined)).toBe(
          true,
        )
      }
    })
  }

  it('times out a hanging candidate with its own timeout and records the pair', async () => {
    const primary = await serve((_req, res) => answerJson(res, { score: 0.5 }))
    const candidate = await serve(() => {})
    const p = await proxy({ primary: primary.url, candidate: candidate.url, timeoutMs: 200 })
    const a = await send(p.url, json({ x: 1 }))
    expect(a.status).toBe(200)
    await until(() => p.pairs().length === 1)
    expect(p.pairs()[0]?.candidate).toMatchObject({ status: 0, error: 'timeout' })
  })
})

describe('createShadowProxy: secondary, metrics and privacy', () => {
  it("counts a difference only beyond the primary's own (a secondary), and exposes Prometheus metrics without values", async () => {
    let n = 0
    const noisy = (base: number) => base + (n++ % 2 === 0 ? 0.05 : -0.05)
    const primary = await serve((_req, res) =>
      answerJson(res, { score: noisy(0.5), email: 'alice@example.com', stable: 1 }),
    )
    const secondary = await serve((_req, res) => answerJson(res, { score: 0.5, email: 'alice@example.com', stable: 1 }))
    const candidate = await serve((_req, res) => answerJson(res, { score: 0.52, email: 'bob@example.com', stable: 2 }))
    const p = await proxy({
      primary: primary.url,
      candidate: candidate.url,
      secondary: secondary.url,
      labelFields: ['email'],
      piiFields: ['email'],
    })
    for (let i = 0; i < 10; i++) await send(p.url, json({ ssn: '123-45-6789', x: i }))
    await until(() => p.pairs().length === 10)
    expect(p.pairCount()).toBe(10)
    const status = p.status()
    // score: |c − p| = 0.03 or 0.07, the primary's own noise 0.05 → only the 0.07s count; stable: 1 vs 2 always
    expect(status.scores.score?.exceeded).toBe(5)
    expect(status.scores.stable?.exceeded).toBe(10)
    expect(p.pairs()[0]?.primary.labels).toEqual({ email: '[redacted]' })
    const metrics = await (await fetch(`${p.url}/_modelgate/metrics`)).text()
    expect(metrics).toMatch(/^modelgate_shadow_requests_total 10$/m)
    expect(metrics).toMatch(/^modelgate_shadow_pairs_total 10$/m)
    expect(metrics).toMatch(/^modelgate_shadow_score_differences_total\{field="stable"\} 10$/m)
    expect(metrics).toMatch(/^modelgate_shadow_score_differences_total\{field="score"\} 5$/m)
    expect(metrics).toMatch(/^modelgate_shadow_latency_seconds_count\{target="secondary"\} 10$/m)
    // the proxy's own time, one observation per forwarded request
    expect(metrics).toMatch(/^modelgate_shadow_proxy_overhead_seconds_count 10$/m)
    const everything = [
      metrics,
      JSON.stringify(p.status()),
      await (await fetch(`${p.url}/_modelgate/pairs?limit=100`)).text(),
      await (await fetch(`${p.url}/_modelgate/status`)).text(),
      await (await fetch(`${p.url}/_modelgate/verdict?format=report`)).text(),
    ].join('\n')
    for (const secret of ['alice@example.com', 'bob@example.com', '123-45-6789'])
      expect(everything).not.toContain(secret)
  })
})

describe('createShadowProxy: drift of the shadow traffic', () => {
  it("feeds the request features and each model's prediction to the drift engine against the baseline", async () => {
    const random = createRandom(7)
    const rows = Array.from({ length: 2000 }, () => {
      const amount = 50 + 10 * random.normal()
      return { amount, score: 1 / (1 + Math.exp(-(amount - 50) / 10)) }
    })
    const baseline = buildBaseline(tableFromRows(rows), { prediction: 'score' })
    const sigmoid = (amount: number) => 1 / (1 + Math.exp(-(amount - 50) / 10))
    const primary = await serve((_req, res, body) => {
      const { features } = JSON.parse(body.toString()) as { features: { amount: number } }
      answerJson(res, { score: sigmoid(features.amount) })
    })
    // the candidate's scores are pushed up by 0.3: prediction drift in the candidate only
    const candidate = await serve((_req, res, body) => {
      const { features } = JSON.parse(body.toString()) as { features: { amount: number } }
      answerJson(res, { score: Math.min(1, sigmoid(features.amount) + 0.3) })
    })
    const p = await proxy({ primary: primary.url, candidate: candidate.url, baseline })
    const traffic = createRandom(8)
    for (let i = 0; i < 400; i++) await send(p.url, json({ features: { amount: 50 + 10 * traffic.normal() } }))
    await until(() => p.pairs().length === 400)
    // drift runs on the analysis thread, which sends its reports every 2 s while pairs come in
    await until(() => p.drift()?.rows === 400)
    const drift = p.drift()
    expect(drift?.rows).toBe(400)
    const prediction = (r: NonNullable<typeof drift>['primary']) => r.checks.find((c) => c.id === 'drift.column.score')
    expect(prediction(drift!.primary)?.verdict).toBe('pass')
    expect(prediction(drift!.candidate)?.verdict).toBe('fail')
    expect(drift!.primary.checks.find((c) => c.id === 'drift.column.amount')?.verdict).toBe('pass')
    const status = p.status()
    expect(status.drift?.candidate.verdict).toBe('fail')
    expect(status.drift?.primary.verdict).not.toBe('fail')
    const metrics = await p.metrics()
    expect(metrics).toMatch(/^modelgate_shadow_drift_verdict\{model="candidate"\} 3$/m)
    // the verdict folds both drift reports in as sub-reports
    const verdict = await p.verdict()
    expect(verdict.reports?.map((r) => r.verdict)).toEqual([drift?.primary.verdict, 'fail'])
  })
})

describe('createShadowProxy: the canary verdict', () => {
  const model =
    (shift: (i: number) => number) =>
    (_req: IncomingMessage, res: import('node:http').ServerResponse, body: Buffer) => {
      const { id } = JSON.parse(body.toString()) as { id: number }
      answerJson(res, {
        score: 0.3 + (0.4 * ((id * 7919) % 1000)) / 1000 + shift(id),
        decision: id % 3 === 0 ? 'block' : 'allow',
      })
    }

  it('fails a candidate that moves 10% of scores by +0.05 and passes an identical one, served for Argo at /_modelgate/verdict', async () => {
    const primary = await serve(model(() => 0))
    const identical = await serve(model(() => 0))
    const shifted = await serve(model((id) => (id % 10 === 0 ? 0.05 : 0)))
    const problems: unknown[] = []
    const onError = (error: unknown) => problems.push(error)
    const same = await proxy({ primary: primary.url, candidate: identical.url, labelFields: ['decision'], onError })
    const moved = await proxy({ primary: primary.url, candidate: shifted.url, labelFields: ['decision'], onError })
    // enough pairs for the judge's power rule on the error rate (about 1,077 with no error at all)
    const n = 1200
    for (let id = 0; id < n; id += 20) {
      const batch = Array.from({ length: 20 }, (_, k) => id + k)
      await Promise.all(batch.flatMap((i) => [send(same.url, json({ id: i })), send(moved.url, json({ id: i }))]))
    }
    await until(() => same.pairs().length === n && moved.pairs().length === n)
    const argo = async (url: string) =>
      JSON.parse((await send(url, { method: 'GET', path: '/_modelgate/verdict' })).body.toString())
    const passed = await argo(same.url)
    expect(passed).toMatchObject({ verdict: 'pass', pass: true, pairs: n })
    const failed = await argo(moved.url)
    expect(failed).toMatchObject({ verdict: 'fail', pass: false })
    expect(failed.reasons.join(' ')).toContain('score')
    const report = JSON.parse(
      (await send(moved.url, { method: 'GET', path: '/_modelgate/verdict?format=report' })).body.toString(),
    )
    expect(report).toMatchObject({ kind: 'shadow.canary', verdict: 'fail' })
    // judged on the judge's thread (a lost thread would be reported here)
    expect(problems).toEqual([])
  })

  it('refuses an unknown judge option when the proxy starts', async () => {
    await expect(
      createShadowProxy({
        primary: 'http://127.0.0.1:9',
        candidate: 'http://127.0.0.1:9',
        canary: { maxDifShare: 0.1 } as never,
      }),
    ).rejects.toThrow(/maxDifShare|Unrecognized/)
  })

  it('refuses a bad option before listening, with its code and the option named', async () => {
    const base = { primary: 'http://127.0.0.1:9', candidate: 'http://127.0.0.1:9' }
    const refusal = (options: object) =>
      createShadowProxy({ ...base, ...options } as never).then(
        () => ({ code: 'started' }),
        (error: { code?: string; message: string }) => ({ code: error.code, message: error.message }),
      )
    expect(await refusal({ sample: 1.5 })).toMatchObject({ code: 'MG_ARGUMENT_INVALID', message: /options\.sample/ })
    expect(await refusal({ port: 'x' })).toMatchObject({ code: 'MG_ARGUMENT_INVALID', message: /options\.port/ })
    expect(await refusal({ storeSize: 0 })).toMatchObject({
      code: 'MG_ARGUMENT_INVALID',
      message: /options\.storeSize/,
    })
    expect(await refusal({ mirrorMethods: ['PO ST'] })).toMatchObject({ code: 'MG_ARGUMENT_INVALID' })
    expect(await refusal({ primary: 'ftp://x' })).toMatchObject({ code: 'MG_SHADOW_BAD_URL', message: /primary/ })
    expect(await refusal({ candidate: 'not a url' })).toMatchObject({ code: 'MG_SHADOW_BAD_URL', message: /candidate/ })
    expect(await refusal({ canary: { confidence: 2 } })).toMatchObject({
      code: 'MG_CANARY_BAD_OPTION',
      message: /confidence/,
    })
  })
})
