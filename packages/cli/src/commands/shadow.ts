import { dirname, resolve } from 'node:path'
import type { Report } from '@modelgate/core'
import { redactUrl, writeFileAtomic } from '@modelgate/core'
import { loadBaseline } from '@modelgate/drift'
import type { ShadowConfig, ShadowProxyOptions } from '@modelgate/traffic'
import {
  createShadowProxy,
  judgeCanary,
  loadShadowConfig,
  readShadowPairs,
  shadowPairsJsonl,
  TrafficError,
} from '@modelgate/traffic'
import type { CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import type { OptionReader } from '../options.js'
import { readOptions } from '../options.js'

/** `:8080` (every interface), `127.0.0.1:8080`, `[::1]:8080` or `8080` → host and port. */
function parseListen(read: OptionReader, text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]*)):(\d{1,5})$/.exec(text.trim()) ?? /^()()(\d{1,5})$/.exec(text.trim())
  const port = Number(m?.[3])
  if (m === null || !(port >= 0 && port <= 65535))
    throw read.usage(`--listen expects [host]:port (":8080", "127.0.0.1:8080"), got ${JSON.stringify(text)}.`)
  const host = m[1] ?? m[2] ?? ''
  return { host: host === '' ? (text.trim().startsWith(':') ? '0.0.0.0' : '127.0.0.1') : host, port }
}

const serve: CommandSpec = {
  name: 'shadow',
  summary: 'Run a shadow proxy: live traffic to the primary, a mirrored sample to the candidate, answers compared',
  usage: `modelgate shadow --primary <url> --candidate <url> [--listen 127.0.0.1:8080] [--secondary <url>] [--sample 1.0]
       [--mirror-paths /predict,/v1/models/*] [--mirror-methods POST] [--labels decision] [--scores score]
       [--pii email] [--tolerance 0.01] [--timeout 2s] [--queue-size 1000] [--max-in-flight 64] [--store-size 10000]
       [--baseline baseline.json] [--features features] [--prediction score] [--method col=name:thr]…
       [--seed 1] [--pairs-out pairs.jsonl] [--mirror-thread] [--config shadow.yaml]
modelgate shadow report (--url <proxy url> | --from pairs.jsonl) ${REPORT_USAGE}`,
  options: {
    listen: { type: 'string' },
    primary: { type: 'string' },
    candidate: { type: 'string' },
    secondary: { type: 'string' },
    sample: { type: 'string' },
    'mirror-paths': { type: 'string', multiple: true },
    'mirror-methods': { type: 'string', multiple: true },
    labels: { type: 'string', multiple: true },
    scores: { type: 'string', multiple: true },
    pii: { type: 'string', multiple: true },
    tolerance: { type: 'string' },
    timeout: { type: 'string' },
    'queue-size': { type: 'string' },
    'max-in-flight': { type: 'string' },
    'store-size': { type: 'string' },
    baseline: { type: 'string' },
    features: { type: 'string' },
    prediction: { type: 'string' },
    method: { type: 'string', multiple: true },
    config: { type: 'string' },
    seed: { type: 'string' },
    'pairs-out': { type: 'string' },
    'mirror-thread': { type: 'boolean' },
  },
  cancellable: true,
  stopping: 'closing the proxy (the pairs so far are written with --pairs-out)',
  run: async (ctx) => {
    const read = readOptions(ctx)
    const configFile = read.file('config')
    const config: ShadowConfig | undefined =
      configFile === undefined ? undefined : await loadShadowConfig(configFile.path, configFile.name)
    const primary = read.string('primary') ?? config?.primary
    const candidate = read.string('candidate') ?? config?.candidate
    if (primary === undefined || candidate === undefined)
      throw read.usage('--primary and --candidate are required (on the command line or in --config).')
    const listen = parseListen(read, read.string('listen') ?? config?.listen ?? '127.0.0.1:8080')
    const baselineFile = read.file('baseline')
    const baseline =
      baselineFile !== undefined
        ? await loadBaseline(baselineFile.path, { source: baselineFile.name })
        : config?.baseline !== undefined && configFile !== undefined
          ? await loadBaseline(resolve(dirname(configFile.path), config.baseline), { source: config.baseline })
          : undefined
    // A flag wins over the config file.
    const secondary = read.string('secondary') ?? config?.secondary
    const sample = read.probability('sample') ?? config?.sample
    const mirrorPaths = read.list('mirror-paths') ?? config?.mirrorPaths
    const mirrorMethods = read.list('mirror-methods') ?? config?.mirrorMethods
    const labelFields = read.list('labels') ?? config?.labels
    const scoreFields = read.list('scores') ?? config?.scores
    const piiFields = read.list('pii') ?? config?.pii
    const tolerance = read.number('tolerance', { min: 0 }) ?? config?.tolerance
    const timeoutMs = read.duration('timeout') ?? config?.timeout
    const queueSize = read.positiveInt('queue-size') ?? config?.queueSize
    const maxInFlight = read.positiveInt('max-in-flight') ?? config?.maxInFlight
    const storeSize = read.positiveInt('store-size') ?? config?.storeSize
    const featuresField = read.string('features') ?? config?.features
    const predictionField = read.string('prediction') ?? config?.prediction
    const driftMethods = read.list('method') ?? config?.methods
    const seed = read.int('seed') ?? config?.seed
    const pairsOut = read.file('pairs-out')
    if (mirrorMethods?.some((m) => m.toUpperCase() !== 'POST'))
      ctx.err(
        `shadow: mirroring ${mirrorMethods.join(', ')}: the candidate receives these requests too; make sure they have no side effects there (see the README).`,
      )
    const options: ShadowProxyOptions = {
      primary,
      candidate,
      ...listen,
      ...(secondary === undefined ? {} : { secondary }),
      ...(sample === undefined ? {} : { sample }),
      ...(mirrorPaths === undefined ? {} : { mirrorPaths }),
      ...(mirrorMethods === undefined ? {} : { mirrorMethods }),
      ...(labelFields === undefined ? {} : { labelFields }),
      ...(scoreFields === undefined ? {} : { scoreFields }),
      ...(piiFields === undefined ? {} : { piiFields }),
      ...(tolerance === undefined ? {} : { tolerance }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(config?.primaryTimeout === undefined ? {} : { primaryTimeoutMs: config.primaryTimeout }),
      ...(queueSize === undefined ? {} : { queueSize }),
      ...(maxInFlight === undefined ? {} : { maxInFlight }),
      ...(storeSize === undefined ? {} : { storeSize }),
      ...(config?.maxBodyBytes === undefined ? {} : { maxBodyBytes: config.maxBodyBytes }),
      ...(baseline === undefined ? {} : { baseline }),
      ...(featuresField === undefined ? {} : { featuresField }),
      ...(predictionField === undefined ? {} : { predictionField }),
      ...(driftMethods === undefined ? {} : { driftMethods }),
      ...(seed === undefined ? {} : { seed }),
      ...(config?.canary === undefined ? {} : { canary: config.canary }),
      ...(read.flag('mirror-thread') ? { mirrorThread: true } : {}),
      onError: (error) => ctx.err(`shadow: ${error instanceof Error ? error.message : String(error)}`),
    }
    const proxy = await createShadowProxy(options)
    const status = proxy.status()
    ctx.err(
      `shadow: listening on ${proxy.url} (primary ${status.primary}, candidate ${status.candidate}${status.secondary === null ? '' : `, secondary ${status.secondary}`}, sample ${status.sample}${baseline === undefined ? ', no baseline: no drift' : ''})`,
    )
    await new Promise<void>((done) => {
      if (ctx.signal.aborted) done()
      else ctx.signal.addEventListener('abort', () => done(), { once: true })
    })
    await proxy.close()
    const counts = proxy.counts()
    const pairs = proxy.pairs()
    ctx.err(
      `shadow: stopped after ${counts.requests} requests (${counts.mirrored} mirrored, ${counts.dropped} dropped, ${pairs.length} pairs kept)`,
    )
    if (pairsOut !== undefined) {
      await writeFileAtomic(pairsOut.path, shadowPairsJsonl(pairs, counts))
      ctx.err(
        `wrote ${pairsOut.name} (${pairs.length} pairs; judge them with modelgate shadow report --from ${pairsOut.name})`,
      )
    }
    return 0
  },
}

const report: CommandSpec = {
  name: 'shadow report',
  summary:
    'The canary verdict of a running shadow proxy or of its pairs file (exit 0 pass or warn, 1 fail or inconclusive)',
  usage: `modelgate shadow report (--url <proxy url> | --from pairs.jsonl [--scores score] [--labels decision]
       [--tolerance 0.01] [--max-diff-share 0.01]) ${REPORT_USAGE}`,
  options: {
    url: { type: 'string' },
    from: { type: 'string' },
    scores: { type: 'string', multiple: true },
    labels: { type: 'string', multiple: true },
    tolerance: { type: 'string' },
    'max-diff-share': { type: 'string' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const text = read.string('url')
    const from = read.file('from')
    if ((text === undefined) === (from === undefined))
      throw read.usage('give the running proxy (--url) or a pairs file it wrote (--from), one of the two.')
    if (from !== undefined) {
      const { pairs, counts } = await readShadowPairs(from.path)
      const scoreFields = read.list('scores')
      const labelFields = read.list('labels')
      const scoreTolerance = read.number('tolerance', { min: 0 })
      const maxDiffShare = read.probability('max-diff-share')
      return emitReport(
        ctx,
        judgeCanary(pairs, counts, {
          ...(scoreFields === undefined ? {} : { scoreFields }),
          ...(labelFields === undefined ? {} : { labelFields }),
          ...(scoreTolerance === undefined ? {} : { scoreTolerance }),
          ...(maxDiffShare === undefined ? {} : { maxDiffShare }),
        }),
      )
    }
    for (const flag of ['scores', 'labels', 'tolerance', 'max-diff-share'])
      if (ctx.values[flag] !== undefined)
        throw read.usage(`--${flag} applies to --from; with --url the proxy's own settings judge.`)
    let base: URL
    try {
      base = new URL(text as string)
    } catch {
      throw read.usage(
        `--url expects the proxy's URL (http://127.0.0.1:8080), got ${JSON.stringify(redactUrl(text as string))}.`,
      )
    }
    const target = new URL('/_modelgate/verdict?format=report', base)
    let res: Response
    try {
      res = await fetch(target, { signal: AbortSignal.timeout(30_000) })
    } catch (cause) {
      throw new TrafficError('MG_SHADOW_UNREACHABLE', `the shadow proxy at ${redactUrl(base.origin)} did not answer.`, {
        cause,
        hint: 'Is `modelgate shadow` running there? Give the URL it printed ("listening on …").',
      })
    }
    const body = await res.text()
    if (res.status !== 200) {
      const problem = (() => {
        try {
          return String((JSON.parse(body) as { error?: unknown }).error ?? '')
        } catch {
          return ''
        }
      })()
      throw new TrafficError(
        'MG_SHADOW_BAD_ANSWER',
        `the shadow proxy at ${redactUrl(base.origin)} answered ${res.status} to ${target.pathname}${problem === '' ? '' : `: ${problem.slice(0, 300)}`}`,
      )
    }
    return emitReport(ctx, parseReport(body, base))
  },
}

function parseReport(body: string, base: URL): Report {
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    json = undefined
  }
  const r = json as Partial<Report> | undefined
  if (r === undefined || r === null || typeof r.verdict !== 'string' || !Array.isArray(r.checks))
    throw new TrafficError(
      'MG_SHADOW_BAD_ANSWER',
      `the shadow proxy at ${redactUrl(base.origin)} answered /_modelgate/verdict with something that is not a report.`,
    )
  return r as Report
}

export const commands: readonly CommandSpec[] = [serve, report]
