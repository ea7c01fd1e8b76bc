import type { Report } from '@modelgate/core'
import { createShadowProxy, judgeCanary, runLoad } from '@modelgate/traffic'
import type { LoadCheckConfig, ShadowCheckConfig } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'
import { probeReachable } from './probeReachable.js'
import { trafficSource } from './trafficSource.js'

/** How long mirrored requests still in flight after the run may take to become pairs (the proxy's mirror timeout is 2 s). */
const SETTLE_MS = 3000

/**
 * `shadow`: a short shadow run. A shadow proxy (traffic's `createShadowProxy`) is put in front of the primary, the
 * traffic of the load check (or the check's own) is sent through it, every request is mirrored to the candidate, and
 * the canary judge (`judgeCanary`) compares the pairs: scores, labels, errors, latency. Thin data is inconclusive, by
 * the judge's power rule (a few hundred pairs catch different scores; clearing latency and error rates takes
 * thousands). Data drift is the drift check's job: the proxy gets no baseline here, so a short run's sampling noise
 * is not judged twice.
 */
export async function runShadowCheck(check: ShadowCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  const primary = new URL(check.primary)
  const candidate = new URL(required(check.candidate ?? context.endpoint, check, 'candidate', 'endpoint'))
  // a candidate that does not answer is the judge's to report (its errors); a primary that does not is a set-up error
  await probeReachable(primary, { check: check.id, key: 'primary' })
  const load = config.checks.find((c): c is LoadCheckConfig => c.type === 'load')
  const own = check.replay !== undefined || check.rate !== undefined
  const traffic = await trafficSource(config, check, {
    replay: own ? check.replay : load?.replay,
    speed: own ? check.speed : load?.speed,
    rate: own ? check.rate : load?.rate,
    duration: own ? check.duration : load?.duration,
    payloads: check.payloads ?? load?.payloads,
  })
  const proxy = await createShadowProxy({
    primary: primary.origin,
    candidate: candidate.origin,
    host: '127.0.0.1',
    port: 0,
    mirrorPaths: [primary.pathname],
    seed: 1,
    processMetrics: false,
    ...(check.scoreFields === undefined ? {} : { scoreFields: check.scoreFields }),
    ...(check.labelFields === undefined ? {} : { labelFields: check.labelFields }),
    ...(check.tolerance === undefined ? {} : { tolerance: check.tolerance }),
  })
  try {
    context.progress(`mirroring ${traffic.schedule.description} to ${candidate.origin}`)
    await runLoad({
      target: `${proxy.url}${primary.pathname}`,
      ...traffic,
      signal: context.signal,
      onProgress: (p) =>
        context.progress(
          `${Math.round(p.elapsedMs / 1000)}/${Math.round(p.durationMs / 1000)} s, ${proxy.pairCount()} pairs`,
        ),
    })
    const settleBy = Date.now() + SETTLE_MS
    while (Date.now() < settleBy) {
      const counts = proxy.counts()
      if (proxy.pairCount() + counts.dropped >= counts.mirrored) break
      await new Promise((r) => setTimeout(r, 50))
    }
    context.signal.throwIfAborted()
    return judgeCanary(proxy.pairs(), proxy.counts(), {
      title: `Shadow run: ${candidate.origin} beside ${primary.origin}`,
      ...(check.scoreFields === undefined ? {} : { scoreFields: check.scoreFields }),
      ...(check.labelFields === undefined ? {} : { labelFields: check.labelFields }),
      ...(check.tolerance === undefined ? {} : { scoreTolerance: check.tolerance }),
    })
  } finally {
    await proxy.close()
  }
}
