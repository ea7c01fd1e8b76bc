import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Table } from '@modelgate/core'
import { loadSchema, readTable, takeRows, writeFileAtomic } from '@modelgate/core'
import type { Baseline } from '@modelgate/drift'
import {
  BASELINE_FORMAT,
  baselineFromJSON,
  buildBaseline,
  checkDrift,
  loadBaseline,
  mergeBaselines,
} from '@modelgate/drift'
import type { CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import type { FileArg, OptionReader } from '../options.js'
import { readOptions } from '../options.js'

/** A baseline file, or a raw reference table (any format core reads). */
async function loadReference(file: FileArg): Promise<Baseline | Table> {
  if (file.path.toLowerCase().endsWith('.json')) {
    const text = await readFile(file.path, 'utf8').catch(() => undefined)
    // a JSON object naming the baseline format is a baseline (validated, so a truncated one is refused);
    // anything else is a rows file
    if (text !== undefined && (text.includes(`"${BASELINE_FORMAT}"`) || !text.trimStart().startsWith('['))) {
      return baselineFromJSON(text, { source: file.name })
    }
  }
  return readTable(file.path, { displayName: file.name })
}

/** `--shard i/n`: rows with index ≡ i − 1 (mod n). */
function shard(read: OptionReader): { index: number; count: number } | undefined {
  const text = read.string('shard')
  if (text === undefined) return undefined
  const m = /^(\d+)\/(\d+)$/.exec(text)
  const index = Number(m?.[1])
  const count = Number(m?.[2])
  if (m === null || !(count >= 1) || !(index >= 1 && index <= count)) {
    throw read.usage(`--shard expects i/n with 1 ≤ i ≤ n (e.g. 2/8), got ${JSON.stringify(text)}.`)
  }
  return { index: index - 1, count }
}

function failOn(read: OptionReader): 'any' | { share: number } | undefined {
  const text = read.string('fail-on')
  if (text === undefined) return undefined
  if (text === 'any') return 'any'
  const m = /^share:([0-9.]+)$/.exec(text)
  const share = Number(m?.[1])
  if (m === null || !(share > 0 && share <= 1)) {
    throw read.usage(
      `--fail-on expects any or share:<fraction in (0, 1]> (e.g. share:0.5), got ${JSON.stringify(text)}.`,
    )
  }
  return { share }
}

const gate: CommandSpec = {
  name: 'drift',
  summary: 'Compare a current sample with a baseline (or a raw reference): data drift, data quality, prediction drift',
  usage: `modelgate drift --reference <baseline.json|file> --current <file> [--columns a,b] [--method col=name:thr]
       [--fail-on any|share:0.5] [--correction holm|bh|none] [--alpha 0.05] [--thresholds fixed|learned]
       [--prediction col] [--labels <file> --join request_id] [--domain-classifier] ${REPORT_USAGE}`,
  options: {
    reference: { type: 'string' },
    current: { type: 'string' },
    columns: { type: 'string', multiple: true },
    method: { type: 'string', multiple: true },
    'fail-on': { type: 'string' },
    correction: { type: 'string' },
    alpha: { type: 'string' },
    thresholds: { type: 'string' },
    prediction: { type: 'string' },
    labels: { type: 'string' },
    join: { type: 'string' },
    'domain-classifier': { type: 'boolean' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const referenceFile = read.file('reference', { required: true })
    const currentFile = read.file('current', { required: true })
    const columns = read.list('columns')
    const methods = read.list('method')
    const rule = failOn(read)
    const correction = read.enum('correction', ['holm', 'bh', 'none'])
    const alpha = read.probability('alpha')
    const thresholds = read.enum('thresholds', ['fixed', 'learned'])
    const prediction = read.string('prediction')
    const labelsFile = read.file('labels')
    const join = read.string('join')
    if ((labelsFile === undefined) !== (join === undefined)) throw read.usage('--labels and --join go together.')
    const reference = await loadReference(referenceFile)
    const current = await readTable(currentFile.path, { displayName: currentFile.name })
    const labels =
      labelsFile === undefined || join === undefined
        ? undefined
        : { table: await readTable(labelsFile.path, { displayName: labelsFile.name }), join, name: labelsFile.name }
    const report = checkDrift(reference, current, {
      currentName: currentFile.name,
      ...(columns === undefined ? {} : { columns }),
      ...(methods === undefined ? {} : { methods }),
      ...(rule === undefined ? {} : { failOn: rule }),
      ...(correction === undefined ? {} : { correction }),
      ...(alpha === undefined ? {} : { alpha }),
      ...(thresholds === undefined ? {} : { thresholds }),
      ...(labels === undefined ? {} : { labels }),
      ...(read.flag('domain-classifier') ? { domainClassifier: true } : {}),
      ...('numRows' in reference
        ? { baseline: { name: referenceFile.name, ...(prediction === undefined ? {} : { prediction }) } }
        : {}),
    })
    return emitReport(ctx, report)
  },
}

const baselineCommand: CommandSpec = {
  name: 'drift baseline',
  summary: 'Build a privacy-safe drift baseline from reference data (or merge partition baselines)',
  usage: `modelgate drift baseline --data <file> --out baseline.json [--schema s.json] [--prediction col] [--target col]
       [--columns a,b] [--shard i/n] [--window-rows N[,N…]] [--decision-threshold 0.5] [--positive-label v]
modelgate drift baseline merge <a.json> <b.json> … --out baseline.json`,
  allowPositionals: true,
  options: {
    data: { type: 'string' },
    out: { type: 'string' },
    schema: { type: 'string' },
    prediction: { type: 'string' },
    target: { type: 'string' },
    columns: { type: 'string', multiple: true },
    shard: { type: 'string' },
    'window-rows': { type: 'string', multiple: true },
    'decision-threshold': { type: 'string' },
    'positive-label': { type: 'string' },
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const out = read.file('out', { required: true })
    if (ctx.positionals[0] === 'merge') {
      const files = ctx.positionals.slice(1)
      if (files.length === 0)
        throw read.usage('merge expects the partition baselines: merge a.json b.json … --out baseline.json')
      const parts: Baseline[] = []
      for (const name of files) parts.push(await loadBaseline(resolve(ctx.cwd, name), { source: name }))
      const merged = mergeBaselines(parts, { name: out.name })
      await writeFileAtomic(out.path, `${JSON.stringify(merged)}\n`)
      ctx.err(`merged ${parts.length} baselines (${merged.source.rows.toLocaleString('en-US')} rows) into ${out.name}`)
      return 0
    }
    if (ctx.positionals.length > 0) throw read.usage(`unexpected argument ${JSON.stringify(ctx.positionals[0])}.`)
    const data = read.file('data', { required: true })
    const schemaFile = read.file('schema')
    const part = shard(read)
    const columns = read.list('columns')
    const prediction = read.string('prediction')
    const target = read.string('target')
    const windowRows = read.list('window-rows')?.map((text) => {
      const n = Number(text.replaceAll('_', ''))
      if (!(Number.isInteger(n) && n > 0))
        throw read.usage(`--window-rows expects positive whole numbers, got ${JSON.stringify(text)}.`)
      return n
    })
    const decisionThreshold = read.number('decision-threshold')
    const positiveLabel = read.string('positive-label')
    const schema = schemaFile === undefined ? undefined : await loadSchema(schemaFile.path)
    let table = await readTable(data.path, { displayName: data.name, ...(schema === undefined ? {} : { schema }) })
    if (part !== undefined) {
      const rows: number[] = []
      for (let i = part.index; i < table.numRows; i += part.count) rows.push(i)
      table = takeRows(table, rows)
    }
    const baseline = buildBaseline(table, {
      name: data.name,
      ...(schema === undefined ? {} : { schema }),
      ...(columns === undefined ? {} : { columns }),
      ...(prediction === undefined ? {} : { prediction }),
      ...(target === undefined ? {} : { target }),
      ...(windowRows === undefined ? {} : { windowRows }),
      ...(decisionThreshold === undefined ? {} : { decisionThreshold }),
      ...(positiveLabel === undefined ? {} : { positiveLabel }),
    })
    await writeFileAtomic(out.path, `${JSON.stringify(baseline)}\n`)
    const kinds = new Map<string, number>()
    for (const c of baseline.columns) kinds.set(c.kind, (kinds.get(c.kind) ?? 0) + 1)
    ctx.err(
      `baseline of ${baseline.source.rows.toLocaleString('en-US')} rows${part === undefined ? '' : ` (shard ${part.index + 1}/${part.count})`}: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')} → ${out.name}`,
    )
    return 0
  },
}

export const commands: readonly CommandSpec[] = [gate, baselineCommand]
