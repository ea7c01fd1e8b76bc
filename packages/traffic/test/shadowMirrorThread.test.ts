import type { IncomingMessage } from 'node:http'
import type { ShadowProxy } from '@modelgate/traffic'
import { createShadowProxy } from '@modelgate/traffic'
import { afterEach, describe, expect, it } from 'vitest'
import type { HandlerServer } from './support/startHandlerServer.js'
import { answerJson, startHandlerServer } from './support/startHandlerServer.js'

// createShadowProxy with `mirrorThread: true`: the mirror side on a thread of its own (createShadowProxy.test.ts
// covers the same behaviour with it on the proxy's thread)

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close()
})
async function serve(handler: Parameters<typeof startHandlerServer>[0]): Promise<HandlerServer> {
  const server = await startHandlerServer(handler)
  cleanup.push(() => server.close())
  return server
}
async function proxy(options: Parameters<typeof createShadowProxy>[0]): Promise<ShadowProxy> {
  const p = await createShadowProxy({ processMetrics: false, mirrorThread: true, ...options })
  cleanup.push(() => p.close(500))
  return p
}
async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 10))
  }
}
const post = async (url: string, body: unknown): Promise<{ status: number; text: string; ms: number }> => {
  const started = performance.now()
  const res = await fetch(`${url}/predict`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: res.status, text: await res.text(), ms: performance.now() - started }
}
const score = (body: Buffer) => {
  const { x } = JSON.parse(body.toString()) as { x: number }
  return { score: x / 100, decision: x > 50 ? 'block' : 'allow' }
}

describe('createShadowProxy with the mirror on its own thread', () => {
  it('mirrors marked requests, pairs and compares them there; the status, metrics and pairs come back, after close too', async () => {
    const primary = await serve((_req, res, body) => answerJson(res, score(body)))
    const candidate = await serve((_req, res, body) => {
      const { x } = JSON.parse(body.toString()) as { x: number }
      answerJson(res, { score: x / 100 + (x === 7 ? 0.2 : 0), decision: 'allow', extra: 1 })
    })
    const p = await proxy({ primary: primary.url, candidate: candidate.url, labelFields: ['decision'] })
    for (const x of [7, 60])
      expect((await post(p.url, { x })).text).toBe(JSON.stringify(score(Buffer.from(`{"x":${x}}`))))
    await until(() => p.pairCount() === 2)
    expect(candidate.requests.map((r) => r.rawHeaders.includes('x-modelgate-shadow'))).toEqual([true, true])
    expect(candidate.requests[0]?.body.toString()).toBe('{"x":7}')
    const [a, b] = p.pairs()
    expect(a).toMatchObject({
      path: '/predict',
      primary: { status: 200, scores: { score: 0.07 }, labels: { decision: 'allow' } },
      candidate: { status: 200, labels: { decision: 'allow' }, addedFields: ['extra'] },
    })
    expect(b?.primary.labels).toEqual({ decision: 'block' })
    expect(p.counts()).toEqual({ requests: 2, mirrored: 2, dropped: 0 })
    const status = p.status()
    expect(status.scores.score).toMatchObject({ compared: 2, exceeded: 1 })
    expect(status.labels.decision).toEqual({ compared: 2, agreed: 1 })
    expect(status.latencyMs.candidate?.count).toBe(2)
    expect(status.latencyMs.primary?.count).toBe(2)
    // both threads' series of one family, once: HELP and TYPE lines once, each target's count
    const metrics = await p.metrics()
    expect(metrics.match(/^# HELP modelgate_shadow_latency_seconds /gm)).toHaveLength(1)
    expect(metrics).toMatch(/^modelgate_shadow_latency_seconds_count\{target="primary"\} 2$/m)
    expect(metrics).toMatch(/^modelgate_shadow_latency_seconds_count\{target="candidate"\} 2$/m)
    expect(metrics).toMatch(/^modelgate_shadow_pairs_total 2$/m)
    expect(metrics).toMatch(/^modelgate_shadow_requests_total 2$/m)
    expect(metrics).toMatch(/^modelgate_shadow_score_differences_total\{field="score"\} 1$/m)
    const pairs = await (await fetch(`${p.url}/_modelgate/pairs?limit=1`)).json()
    expect(pairs).toMatchObject({ counts: { requests: 2, mirrored: 2, dropped: 0 }, pairs: [{ path: '/predict' }] })
    await p.close()
    // what the thread handed back as it closed (the CLI's --pairs-out reads the pairs after close)
    expect(p.pairs()).toEqual([a, b])
    expect(p.counts()).toEqual({ requests: 2, mirrored: 2, dropped: 0 })
    expect(p.status().scores.score).toMatchObject({ compared: 2, exceeded: 1 })
  })

  it('a candidate that hangs changes nothing for the primary; the drops are counted on the mirror thread', async () => {
    const primary = await serve((_req, res, body) => answerJson(res, score(body)))
    const candidate = await serve((_req: IncomingMessage) => {})
    const p = await proxy({
      primary: primary.url,
      candidate: candidate.url,
      timeoutMs: 8_000,
      maxInFlight: 2,
      queueSize: 3,
    })
    const answers = await Promise.all(Array.from({ length: 30 }, (_, x) => post(p.url, { x })))
    for (const [x, a] of answers.entries()) expect(a.text).toBe(JSON.stringify(score(Buffer.from(`{"x":${x}}`))))
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(1_500)
    // the status is asked of the thread after every request handed over; the counts it shares are read after it
    const status = p.status()
    const counts = p.counts()
    expect(counts).toMatchObject({ requests: 30, mirrored: 30 })
    expect(counts.dropped).toBeGreaterThanOrEqual(25)
    expect(status.counts.dropped).toBe(counts.dropped)
    expect(status.queue).toMatchObject({ inFlight: 2, maxInFlight: 2 })
  })

  it('times out a hanging candidate with its own timeout and records the pair; the verdict is judged there', async () => {
    const primary = await serve((_req, res) => answerJson(res, { score: 0.5 }))
    const candidate = await serve(() => {})
    const p = await proxy({ primary: primary.url, candidate: candidate.url, timeoutMs: 200 })
    expect((await post(p.url, { x: 1 })).status).toBe(200)
    await until(() => p.pairCount() === 1)
    expect(p.pairs()[0]?.candidate).toMatchObject({ status: 0, error: 'timeout' })
    const verdict = await p.verdict()
    expect(verdict).toMatchObject({ kind: 'shadow.canary', verdict: 'inconclusive' })
  })
})
