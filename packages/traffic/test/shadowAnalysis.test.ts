import type { ShadowPair } from '@modelgate/traffic'
import { afterEach, describe, expect, it } from 'vitest'
import { ShadowAnalysis } from '../src/internal/shadowAnalysis.js'
import { ShadowStore } from '../src/internal/shadowStore.js'

const pairAt = (i: number): ShadowPair => ({
  at: 1_700_000_000_000 + i,
  path: '/predict',
  primary: { status: 200, latencyMs: 1 + (i % 7), scores: { score: (i % 100) / 100 }, labels: {} },
  candidate: { status: 200, latencyMs: 1 + (i % 5), scores: { score: (i % 100) / 100 }, labels: {} },
})

const open: ShadowAnalysis[] = []
afterEach(async () => {
  for (const analysis of open.splice(0)) await analysis.close()
})

describe('ShadowAnalysis', () => {
  it('sends the thread nothing while pairs come in without a baseline; a verdict sends it the pairs kept', async () => {
    const store = new ShadowStore(500)
    const problems: unknown[] = []
    const analysis = new ShadowAnalysis(
      { driftIntervalMs: 10, drift: null },
      { pairs: () => store.pairs(), columns: () => store.toMessage() },
      (error) => problems.push(error),
      () => {},
    )
    open.push(analysis)
    for (let i = 0; i < 800; i++) {
      const pair = pairAt(i)
      store.add(pair)
      analysis.add(pair, '{"x":1}')
    }
    // nothing for the thread to do per request: it idles, and takes no CPU from the proxied requests
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(analysis.messages).toBe(0)
    const report = await analysis.judge({ requests: 800, mirrored: 800, dropped: 0 }, {})
    expect(analysis.messages).toBe(1)
    // the ring's last 500 pairs, copied to the thread at the verdict
    expect(report.summary.pairs).toBe(500)
    expect(report.summary.requests).toBe(800)
    // judged on the thread: a lost or failed thread would be reported
    expect(problems).toEqual([])
  })

  it("judges on the caller's thread once the thread is gone, with the same pairs", async () => {
    const store = new ShadowStore(100)
    for (let i = 0; i < 60; i++) store.add(pairAt(i))
    const analysis = new ShadowAnalysis(
      { driftIntervalMs: 10, drift: null },
      { pairs: () => store.pairs(), columns: () => store.toMessage() },
      () => {},
      () => {},
    )
    const counts = { requests: 60, mirrored: 60, dropped: 0 }
    const onThread = await analysis.judge(counts, { createdAt: '2026-12-06T00:00:00Z' })
    await analysis.close()
    const here = await analysis.judge(counts, { createdAt: '2026-12-06T00:00:00Z' })
    expect(analysis.messages).toBe(1)
    expect(here.summary.pairs).toBe(60)
    expect(here.verdict).toBe(onThread.verdict)
    expect(here.summary).toEqual(onThread.summary)
  })
})
