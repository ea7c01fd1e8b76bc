import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseSlo } from '@modelgate/core'
import { loadBaseline } from '@modelgate/drift'
import type { Calibration, MonitorConfig } from '@modelgate/monitor'
import {
  defaultRules,
  loadMonitorConfig,
  MonitorError,
  mergeWindowStates,
  startMonitorService,
} from '@modelgate/monitor'
import type { CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import type { OptionReader } from '../options.js'
import { readOptions } from '../options.js'

async function readToken(read: OptionReader): Promise<string | undefined> {
  const file = read.file('token-file')
  if (file === undefined) return undefined
  const token = (
    await readFile(file.path, 'utf8').catch(() => {
      throw read.usage(`--token-file ${file.name} cannot be read.`)
    })
  ).trim()
  if (token === '') throw read.usage(`--token-file ${file.name} is empty.`)
  return token
}

const serve: CommandSpec = {
  name: 'monitor serve',
  summary: 'Watch a live endpoint: events in, drift and SLO per window, Prometheus metrics, alert webhooks',
  usage: `modelgate monitor serve --baseline <baseline.json> [--port 9400] [--host 127.0.0.1] [--window 60s] [--slide 15s]
       [--lateness 5s] [--slo "p99<100ms"] [--webhook <url>]… [--config monitor.yaml] [--method col=name:thr]…
       [--token-file <file>] [--dead-letter <file.jsonl>] [--alerts <file.jsonl>]
       [--source file:<path> | redis://host:port?stream=<s> | nats://host:port?stream=<s>]… [--state-dir <dir>] [--durable]
       [--export-dir <dir> --replica <name>] [--expected-windows-between-false-alarms 1000] [--positive-label fraud]
       [--calibrate [--window-events 1000] [--bootstraps B]]`,
  options: {
    baseline: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    window: { type: 'string' },
    slide: { type: 'string' },
    lateness: { type: 'string' },
    slo: { type: 'string' },
    webhook: { type: 'string', multiple: true },
    config: { type: 'string' },
    method: { type: 'string', multiple: true },
    'token-file': { type: 'string' },
    'dead-letter': { type: 'string' },
    alerts: { type: 'string' },
    source: { type: 'string', multiple: true },
    'state-dir': { type: 'string' },
    durable: { type: 'boolean' },
    'export-dir': { type: 'string' },
    replica: { type: 'string' },
    'expected-windows-between-false-alarms': { type: 'string' },
    'positive-label': { type: 'string' },
    calibrate: { type: 'boolean' },
    'window-events': { type: 'string' },
    bootstraps: { type: 'string' },
  },
  cancellable: true,
  stopping: 'evaluating the open windows (and writing a checkpoint with --state-dir)',
  run: async (ctx) => {
    const read = readOptions(ctx)
    const configFile = read.file('config')
    const config: MonitorConfig | undefined =
      configFile === undefined ? undefined : await loadMonitorConfig(configFile.path, configFile.name)
    const sloText = read.string('slo')
    let slo = config?.slo
    if (sloText !== undefined) {
      try {
        slo = parseSlo(sloText)
      } catch (error) {
        throw read.usage(`--slo: ${(error as Error).message}`)
      }
    }
    const port = read.int('port') ?? 9400
    if (port > 65535) throw read.usage(`--port expects a port number (0–65535), got ${port}.`)
    const windowMs = read.duration('window') ?? config?.window
    const hopMs = read.duration('slide') ?? config?.slide
    const latenessMs = read.duration('lateness') ?? config?.lateness
    const methods = read.list('method') ?? config?.methods
    const webhooks = [...(config?.webhooks ?? []), ...(read.list('webhook') ?? [])]
    const deadLetter = read.file('dead-letter')
    const alerts = read.file('alerts')
    const token = await readToken(read)
    const baselineFile = read.file('baseline')
    if (baselineFile === undefined)
      ctx.err('monitor: no --baseline: watching events, latency and the SLO only (no drift).')
    const baseline =
      baselineFile === undefined ? undefined : await loadBaseline(baselineFile.path, { source: baselineFile.name })
    const rules = [
      ...(config?.defaultRules === false ? [] : defaultRules({ slo, drift: baseline !== undefined })),
      ...(config?.rules ?? []),
    ]

    const stateDir = read.file('state-dir')
    const durable = read.flag('durable')
    if (durable && stateDir === undefined)
      throw read.usage('--durable needs --state-dir <dir> for its write-ahead log.')
    const host = read.string('host')
    const exportDir = read.file('export-dir')
    const replica = read.string('replica')
    const budget = read.positiveInt('expected-windows-between-false-alarms')
    const positiveLabel = read.string('positive-label')
    const windowEvents = read.positiveInt('window-events')
    const bootstraps = read.positiveInt('bootstraps')
    const calibrate = read.flag('calibrate')
    if (!calibrate && (windowEvents !== undefined || bootstraps !== undefined))
      throw read.usage('--window-events and --bootstraps go with --calibrate.')
    if (calibrate && baseline === undefined)
      throw read.usage('--calibrate needs --baseline (it draws from the reference).')
    const service = await startMonitorService({
      ...(baseline === undefined ? {} : { baseline }),
      ...(windowMs === undefined ? {} : { windowMs }),
      ...(hopMs === undefined ? {} : { hopMs }),
      ...(latenessMs === undefined ? {} : { latenessMs }),
      ...(slo === undefined ? {} : { slo }),
      ...(methods === undefined ? {} : { methods }),
      rules,
      webhooks,
      ...(deadLetter === undefined ? {} : { deadLetterPath: deadLetter.path }),
      ...(alerts === undefined ? {} : { alertsPath: alerts.path }),
      sources: read.list('source') ?? [],
      ...(exportDir === undefined ? {} : { exportDir: exportDir.path }),
      ...(replica === undefined ? {} : { replica }),
      ...(budget === undefined ? {} : { expectedWindowsBetweenFalseAlarms: budget }),
      ...(positiveLabel === undefined ? {} : { positiveLabel }),
      ...(calibrate
        ? {
            calibrate: {
              ...(windowEvents === undefined ? {} : { windowEvents }),
              ...(bootstraps === undefined ? {} : { bootstraps }),
              // Serving starts at once with the analytic α; the bootstrap runs on a worker thread, its result is
              // cached in the state directory (a restart does not compute it again).
              background: true,
              ...(stateDir === undefined ? {} : { cacheDir: stateDir.path }),
              onProgress: (done: number, total: number) => {
                if (done % 1000 === 0 || done === total)
                  ctx.err(`monitor: calibrating thresholds, ${done}/${total} windows`)
              },
              onCalibrated: (c: Calibration) =>
                ctx.err(
                  c.warning === null
                    ? `monitor: thresholds calibrated by bootstrap (${c.bootstraps} windows of ${c.windowEvents} events from the ${c.source}, ${c.seconds.toFixed(1)} s), applied from this window on: drift α ${c.driftAlpha.toPrecision(3)}, ${c.rules.map((r) => `${r.rule} ${r.threshold.toPrecision(3)}`).join(', ')}`
                    : `monitor: ${c.warning}`,
                ),
              onError: (error: unknown) =>
                ctx.err(`monitor: ${error instanceof Error ? error.message : String(error)} (the analytic α stays)`),
              onWarning: (message: string) => ctx.err(`monitor: ${message}`),
            },
          }
        : {}),
      ...(stateDir === undefined ? {} : { stateDir: stateDir.path }),
      durable,
      server: { port, ...(host === undefined ? {} : { host }), ...(token === undefined ? {} : { token }) },
      onAlert: (alert) =>
        ctx.err(
          `alert ${alert.rule}: ${alert.metric}${alert.feature === undefined ? '' : `{${alert.feature}}`} ${alert.value} ${alert.op} ${alert.threshold} (window ${alert.window.start})`,
        ),
      onDelivery: (alert, url, delivery) => {
        if (!delivery.ok)
          ctx.err(
            `alert ${alert.rule}: webhook ${new URL(url).origin} failed after ${delivery.attempts} attempts (${delivery.problem ?? ''})`,
          )
      },
      onError: (error) => ctx.err(`monitor: ${error instanceof Error ? error.message : String(error)}`),
    })
    if (service.resumed) ctx.err(`monitor: resumed from the checkpoint in ${stateDir?.name}`)
    if (service.replayed > 0) ctx.err(`monitor: replayed ${service.replayed} batch(es) from the write-ahead log`)
    const status = service.monitor.status()
    if (calibrate)
      ctx.err(
        status.calibration === null
          ? 'monitor: thresholds analytic until the bootstrap calibration ends (on a worker thread; progress in /v1/status)'
          : 'monitor: thresholds calibrated (read from the state directory)',
      )
    ctx.err(
      `monitor: listening on ${service.url} (window ${status.windowMs} ms, lateness ${status.latenessMs} ms, rules: ${status.rules.join(', ') || 'none'})`,
    )
    await new Promise<void>((resolve) => {
      if (ctx.signal.aborted) resolve()
      else ctx.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await service.stop()
    ctx.err(
      stateDir === undefined ? 'monitor: stopped (open windows evaluated)' : 'monitor: stopped (checkpoint written)',
    )
    return 0
  },
}

const merge: CommandSpec = {
  name: 'monitor merge',
  summary: 'Merge the window states of several monitor replicas into the fleet verdict',
  usage: `modelgate monitor merge --baseline <baseline.json> <window-state.json>… [--slo "p99<100ms"]
       [--expected-windows-between-false-alarms 1000] [--method col=name:thr]… ${REPORT_USAGE}`,
  options: {
    baseline: { type: 'string' },
    slo: { type: 'string' },
    method: { type: 'string', multiple: true },
    'expected-windows-between-false-alarms': { type: 'string' },
    ...REPORT_OPTIONS,
  },
  allowPositionals: true,
  run: async (ctx) => {
    const read = readOptions(ctx)
    const baselineFile = read.file('baseline', { required: true })
    if (ctx.positionals.length === 0) throw read.usage('name the window-state files to merge (from --export-dir).')
    const sloText = read.string('slo')
    let slo: ReturnType<typeof parseSlo> | undefined
    if (sloText !== undefined) {
      try {
        slo = parseSlo(sloText)
      } catch (error) {
        throw read.usage(`--slo: ${(error as Error).message}`)
      }
    }
    const budget = read.positiveInt('expected-windows-between-false-alarms')
    const methods = read.list('method')
    const baseline = await loadBaseline(baselineFile.path, { source: baselineFile.name })
    const states: unknown[] = []
    for (const name of ctx.positionals) {
      const path = resolve(ctx.cwd, name)
      try {
        states.push(JSON.parse(await readFile(path, 'utf8')))
      } catch (cause) {
        throw new MonitorError('MG_MONITOR_STATE_INVALID', `Window state ${name} cannot be read as JSON.`, {
          cause,
          location: { file: name },
        })
      }
    }
    const merged = mergeWindowStates(baseline, states, {
      sources: ctx.positionals,
      ...(slo === undefined ? {} : { slo }),
      ...(methods === undefined ? {} : { methods }),
      ...(budget === undefined ? {} : { expectedWindowsBetweenFalseAlarms: budget }),
    })
    return emitReport(ctx, merged.report)
  },
}

export const commands: readonly CommandSpec[] = [serve, merge]
