import { access } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { readTable, writeFilesAtomic } from '@modelgate/core'
import type { GateProgress } from '@modelgate/gate'
import { draftGateConfig, loadGateConfig, runGate, updateBaseline } from '@modelgate/gate'
import type { CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import { readOptions } from '../options.js'

const VERDICT_MARK: Record<string, string> = {
  pass: 'PASS',
  warn: 'WARN',
  fail: 'FAIL',
  inconclusive: 'INCONCLUSIVE',
  skip: 'SKIP',
}

/** One stderr line per check start and end, and throttled detail lines while it runs. */
function progressPrinter(err: (text: string) => void): (p: GateProgress) => void {
  const lastDetail = new Map<string, number>()
  return (p) => {
    if (p.phase === 'start') err(`▶ ${p.id} (${p.type}) started`)
    else if (p.phase === 'done')
      err(`■ ${p.id} ${VERDICT_MARK[p.verdict ?? 'skip']} in ${((p.durationMs ?? 0) / 1000).toFixed(1)} s`)
    else {
      const now = Date.now()
      if (now - (lastDetail.get(p.id) ?? 0) < 1000) return
      lastDetail.set(p.id, now)
      err(`  ${p.id}: ${p.detail ?? ''}`)
    }
  }
}

const gate: CommandSpec = {
  name: 'gate',
  summary: 'Run every check of modelgate.yaml (synth, contracts, expectations, skew, drift, load, shadow): one report',
  usage: `modelgate gate --config modelgate.yaml [--only id,id] [--fail-fast] [--endpoint url] [--candidate f]
       [--shadow-primary url] ${REPORT_USAGE}
modelgate gate --config modelgate.yaml --update-baseline [--check id]
modelgate gate init --data <file> --endpoint <url> [--dir .]`,
  cancellable: true,
  options: {
    config: { type: 'string' },
    only: { type: 'string', multiple: true },
    'fail-fast': { type: 'boolean' },
    endpoint: { type: 'string' },
    candidate: { type: 'string' },
    'shadow-primary': { type: 'string' },
    'update-baseline': { type: 'boolean' },
    check: { type: 'string' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const configFile = read.file('config', { required: true })
    const only = read.list('only')
    const endpoint = read.string('endpoint')
    if (endpoint !== undefined && !/^https?:\/\//.test(endpoint))
      throw read.usage(`--endpoint expects an http(s) URL, got ${JSON.stringify(endpoint)}.`)
    const shadowPrimary = read.string('shadow-primary')
    if (shadowPrimary !== undefined && !/^https?:\/\//.test(shadowPrimary))
      throw read.usage(`--shadow-primary expects an http(s) URL, got ${JSON.stringify(shadowPrimary)}.`)
    const candidate = read.file('candidate')
    const loaded = await loadGateConfig(configFile.path, { displayName: configFile.name })
    const config = candidate === undefined ? loaded : { ...loaded, data: { ...loaded.data, candidate: candidate.path } }
    if (read.flag('update-baseline')) {
      const check = read.string('check')
      const result = await updateBaseline(config, check === undefined ? {} : { check })
      ctx.out(result.diff.trimEnd())
      ctx.err(
        `wrote ${result.baselinePath} and ${result.diffPath} (${result.rows.toLocaleString('en-US')} rows): review the diff`,
      )
      return 0
    }
    const report = await runGate(config, {
      ...(only === undefined ? {} : { only }),
      failFast: read.flag('fail-fast'),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(shadowPrimary === undefined ? {} : { shadowPrimary }),
      signal: ctx.signal,
      onProgress: progressPrinter(ctx.err),
    })
    return emitReport(ctx, report)
  },
}

const init: CommandSpec = {
  name: 'gate init',
  summary: 'Draft modelgate.yaml (with an inferred request schema and a baseline) from a data sample and an endpoint',
  usage: 'modelgate gate init --data <file> --endpoint <url> [--dir .]',
  options: { data: { type: 'string' }, endpoint: { type: 'string' }, dir: { type: 'string' } },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const data = read.file('data', { required: true })
    const endpoint = read.string('endpoint', { required: true })
    if (!/^https?:\/\//.test(endpoint))
      throw read.usage(`--endpoint expects an http(s) URL, got ${JSON.stringify(endpoint)}.`)
    const dir = resolve(ctx.cwd, read.string('dir') ?? '.')
    const table = await readTable(data.path, { displayName: data.name })
    const draft = draftGateConfig(table, { dataFile: data.path, endpoint, configDir: dir })
    for (const file of draft.files) {
      const exists = await access(join(dir, file.name)).then(
        () => true,
        () => false,
      )
      if (exists) throw read.usage(`${join(read.string('dir') ?? '.', file.name)} already exists; nothing was written.`)
    }
    await writeFilesAtomic(draft.files.map((f) => ({ path: join(dir, f.name), content: f.content })))
    for (const warning of draft.warnings) ctx.err(`warning: ${warning}`)
    for (const f of draft.files) ctx.err(`wrote ${join(read.string('dir') ?? '.', f.name)}`)
    ctx.out(
      `Review ${draft.files.map((f) => f.name).join(', ')}, then: modelgate gate --config ${join(read.string('dir') ?? '.', 'modelgate.yaml')}`,
    )
    return 0
  },
}

export const commands: readonly CommandSpec[] = [gate, init]
