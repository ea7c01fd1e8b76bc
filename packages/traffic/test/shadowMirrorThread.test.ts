import type { IncomingMessage } from 'node:http'
import type { createShadowProxy } from '@modelgate/traffic'
import { describe, expect, it } from 'vitest'
import { shadowTestKit, until as waitUntil } from './support/shadowTestKit.js'
import { answerJson } from './support/startHandlerServer.js'

// createShadowProxy with `mirrorThread: true`: the mirror side on a thread of its own (createShadowProxy.test.ts
// covers the same behaviour with it on the proxy's thread)

const { serve, proxy } = shadowTestKit({ mirrorThread: true })
const until = (condition: () => boolean, timeoutMs = 30_000): Promise<void> => waitUntil(condition, timeoutMs)
/** The problems a proxy reports through onError, and a promise that resolves at the first one `isLoss` accepts. */
function problemLog(isLoss: (error: unknown) => boolean): {
  problems: unknown[]
  onError: (error: unknown) => void
  lossReported: Promise<void>
} {
  const problems: unknown[] = []
  let reportLoss: () => void = () => {}
  const lossReported = new Promise<void>((resolve) => {
    reportLoss = resolve
  })
  const onError = (error: unknown): void => {
    problems.push(error)
    if (isLoss(error)) reportLoss()
  }
  return { problems, onError, lossReported }
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

  // The thread is lost for real: it is given a small heap (the internal MIRROR_THREAD_LIMITS symbol, not an option)
  // and the candidate answers with long labels that the pair ring keeps until V8 runs out of memory on that thread
  const LIMITS = Symbol.for('modelgate.shadow.mirrorThreadLimits')

  it('a mirror thread that dies changes nothing for the primary; the loss is reported once and counted, and a new thread takes over', async () => {
    const primary = await serve((_req, res, body) => answerJson(res, score(body)))
    const candidate = await serve((_req, res, body) => {
      const { x, long } = JSON.parse(body.toString()) as { x: number; long?: boolean }
      // ~900 KB, under the 1 MiB answer limit: read, compared, and kept in the ring
      answerJson(res, { score: x / 100, decision: long === true ? `${x}`.padEnd(900_000, 'y') : 'allow' })
    })
    const { problems, onError, lossReported } = problemLog(
      (error) => (error as { code?: string }).code === 'MG_SHADOW_MIRROR_LOST',
    )
    const p = await proxy({
      primary: primary.url,
      candidate: candidate.url,
      labelFields: ['decision'],
      onError,
      [LIMITS]: { maxOldGenerationSizeMb: 96 },
    } as Parameters<typeof createShadowProxy>[0])
    const expectPrimary = async (body: { x: number; long?: boolean }) => {
      const answer = await post(p.url, body)
      expect(answer.status).toBe(200)
      expect(answer.text).toBe(JSON.stringify(score(Buffer.from(JSON.stringify({ x: body.x })))))
    }
    for (let x = 0; x < 5; x++) await expectPrimary({ x })
    await until(() => p.pairCount() === 5)
    // long answers until the thread is lost (each primary answer still checked)
    let sent = 5
    let lost = false
    void lossReported.then(() => {
      lost = true
    })
    while (!lost) {
      if (sent > 1_000) throw new Error('the mirror thread was never lost')
      await expectPrimary({ x: sent++, long: true })
    }
    await lossReported
    const loss = problems.find((e) => (e as { code?: string }).code === 'MG_SHADOW_MIRROR_LOST') as Error
    expect(loss.message).toMatch(/^The shadow mirror thread (failed|ended)/)
    expect(loss.message).toContain('A new mirror thread took over')
    // after the loss: the primary answers as before, and the new thread mirrors and pairs again
    for (let x = 0; x < 5; x++) await expectPrimary({ x: 10_000 + x })
    // every mirrored request ends as a pair (of either thread) or dropped, the lost ones among the drops (a long one
    // sent as the loss was being reported may have gone to the new thread)
    await until(() => p.status().counts.pairs + p.counts().dropped === sent + 5)
    // the new thread's ring: the five short ones (and that long one, if it went there)
    const kept = p.pairs()
    expect(kept.filter((pair) => pair.candidate.labels.decision === 'allow')).toHaveLength(5)
    expect(kept.length).toBeLessThanOrEqual(6)
    const status = p.status()
    expect(status.mirrorThread).toMatchObject({ state: 'running', losses: 1 })
    expect(status.mirrorThread?.lastLoss).toBe(loss.message)
    const counts = p.counts()
    expect(counts).toMatchObject({ requests: sent + 5, mirrored: sent + 5 })
    expect(status.counts.pairs + counts.dropped).toBe(sent + 5)
    expect(counts.dropped).toBeGreaterThanOrEqual(status.mirrorThread?.lostRequests ?? -1)
    expect(status.counts.pairs).toBeGreaterThan(10)
    const metrics = await p.metrics()
    expect(metrics).toMatch(/^modelgate_shadow_mirror_thread_losses_total 1$/m)
    if ((status.mirrorThread?.lostRequests ?? 0) > 0)
      expect(metrics).toContain(`modelgate_shadow_dropped_total{reason="lost"} ${status.mirrorThread?.lostRequests}`)
    // reported once: no other problem
    expect(problems).toEqual([loss])
  })

  it('a mirror thread lost before it finished any request is not restarted: mirroring stops, the primary is served', async () => {
    const primary = await serve((_req, res, body) => answerJson(res, score(body)))
    const candidate = await serve((_req, res) => answerJson(res, { score: 0 }))
    const { problems, onError, lossReported } = problemLog(() => true)
    const p = await proxy({
      primary: primary.url,
      candidate: candidate.url,
      onError,
      // too small a heap to load its modules: the thread dies as it starts
      [LIMITS]: { maxOldGenerationSizeMb: 2, maxYoungGenerationSizeMb: 1 },
    } as Parameters<typeof createShadowProxy>[0])
    await lossReported
    for (let x = 0; x < 4; x++)
      expect((await post(p.url, { x })).text).toBe(JSON.stringify(score(Buffer.from(`{"x":${x}}`))))
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ code: 'MG_SHADOW_MIRROR_LOST' })
    expect((problems[0] as Error).message).toContain('Mirroring stopped')
    expect(candidate.requests).toHaveLength(0)
    expect(p.counts()).toEqual({ requests: 4, mirrored: 4, dropped: 4 })
    expect(p.status().mirrorThread).toMatchObject({ state: 'stopped', losses: 1, lostRequests: 4 })
    expect(p.pairs()).toEqual([])
    expect(await p.verdict()).toMatchObject({ kind: 'shadow.canary', verdict: 'inconclusive' })
  })
})
