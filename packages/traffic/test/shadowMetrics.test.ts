import { AggregatorRegistry, Histogram, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { createPairMetrics, createProxyMetrics } from '../src/internal/shadowMetrics.js'
import type { ShadowPair } from '../src/ShadowPair.js'

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
const OVERHEAD_BUCKETS = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.1, 1]

/** Values on bucket bounds (a bound is inclusive), between them, zero, and beyond the last (`+Inf`). */
const samples = (buckets: readonly number[]): number[] => [
  0,
  ...buckets,
  ...buckets.map((b) => b * 1.5),
  ...buckets.map((b) => b * 0.999),
  1e-9,
  20,
  1e6,
]

/** A metric family from a registry's JSON, without prom-client's (always null) exemplars. */
async function family(registry: Registry, name: string): Promise<unknown> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name)
  return metric === undefined
    ? undefined
    : {
        ...metric,
        values: metric.values.map((v) => {
          const { exemplar: _, ...rest } = v as typeof v & { exemplar?: unknown }
          return rest
        }),
      }
}

describe('shadow metrics: the per-request histograms', () => {
  it("export exactly what prom-client's Histogram exports for the same observations (JSON and text)", async () => {
    const metrics = createProxyMetrics({ processMetrics: false })
    const reference = new Registry()
    const latency = new Histogram({
      name: 'modelgate_shadow_latency_seconds',
      help: 'Latency from the request leaving the proxy to the last byte of the answer, by target.',
      labelNames: ['target'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [reference],
    })
    const overhead = new Histogram({
      name: 'modelgate_shadow_proxy_overhead_seconds',
      help: "The proxy's own time per forwarded request: from the request received to the answer's last byte written, minus the primary's latency.",
      buckets: OVERHEAD_BUCKETS,
      registers: [reference],
    })
    // before any observation: the unlabelled histogram exports zeros, the labelled one nothing
    for (const name of ['modelgate_shadow_latency_seconds', 'modelgate_shadow_proxy_overhead_seconds'])
      expect(await family(metrics.registry, name)).toEqual(await family(reference, name))
    for (const x of samples(LATENCY_BUCKETS)) {
      metrics.observePrimary(x)
      latency.observe({ target: 'primary' }, x)
    }
    for (const x of samples(OVERHEAD_BUCKETS)) {
      metrics.observeOverhead(x)
      overhead.observe(x)
    }
    for (const name of ['modelgate_shadow_latency_seconds', 'modelgate_shadow_proxy_overhead_seconds']) {
      const ours = await family(metrics.registry, name)
      expect(ours).toEqual(await family(reference, name))
      expect(JSON.stringify(ours)).toContain('"le":"+Inf"')
    }
    // the text exposition, family by family
    const blocks = async (registry: Registry) =>
      (await registry.metrics())
        .trim()
        .split('\n\n')
        .filter((block) => /modelgate_shadow_(latency|proxy_overhead)_seconds /.test(block))
        .sort()
    expect(await blocks(metrics.registry)).toEqual(await blocks(reference))
  })

  it('merge the two threads’ latency series into one family, as prom-client merges its own histograms', async () => {
    const proxy = createProxyMetrics({ processMetrics: false })
    const pairs = createPairMetrics()
    const reference = new Histogram({
      name: 'modelgate_shadow_latency_seconds',
      help: 'Latency from the request leaving the proxy to the last byte of the answer, by target.',
      labelNames: ['target'] as const,
      buckets: LATENCY_BUCKETS,
      registers: [],
    })
    const answer = (latencyMs: number) => ({ status: 200, latencyMs, scores: {}, labels: {} })
    samples(LATENCY_BUCKETS).forEach((x, i) => {
      proxy.observePrimary(x)
      reference.observe({ target: 'primary' }, x)
      const pair: ShadowPair = {
        at: i,
        path: '/p',
        primary: answer(x * 1000),
        candidate: answer(x * 2000),
        secondary: answer(x * 500),
      }
      pairs.recordPair(pair, 0.01)
      reference.observe({ target: 'candidate' }, x * 2)
      reference.observe({ target: 'secondary' }, x / 2)
    })
    const merged = AggregatorRegistry.aggregate([
      await proxy.registry.getMetricsAsJSON(),
      await pairs.registry.getMetricsAsJSON(),
    ])
    const expected = AggregatorRegistry.aggregate([[await reference.get()]])
    const block = (text: string) =>
      text
        .split('\n')
        .filter((line) => line.startsWith('modelgate_shadow_latency_seconds'))
        .sort()
    const ours = block(await merged.metrics())
    expect(ours).toEqual(block(await expected.metrics()))
    expect(ours.filter((l) => l.startsWith('modelgate_shadow_latency_seconds_count'))).toHaveLength(3)
  })
})
