import { resolve } from 'node:path'
import type { Table } from '@modelgate/core'
import { ModelGateError, readTable, renderTerminalReport, writeReport } from '@modelgate/core'
import type { BatchFileFormat, FeatureSkew, SkewOptions, SkewProgress, SkewReport } from '@modelgate/skew'
import { checkLeakage, checkSkew, createPathFromSpec, PATH_SPEC_SYNTAX, toReport } from '@modelgate/skew'
import type { CommandContext, CommandSpec } from '../Command.js'

const FORMATS: readonly BatchFileFormat[] = ['csv', 'jsonl', 'parquet']

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name]
  return typeof v === 'string' ? v : undefined
}

function list(ctx: CommandContext, name: string): string[] | undefined {
  const v = ctx.values[name]
  if (v === undefined || typeof v === 'boolean') return undefined
  const items = (typeof v === 'string' ? [v] : [...v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '')
  return items
}

function usage(spec: CommandSpec, message: string): ModelGateError {
  return new ModelGateError('MG_CLI_USAGE', `modelgate ${spec.name}: ${message}`, { hint: `Usage: ${spec.usage}` })
}

function num(
  spec: CommandSpec,
  ctx: CommandContext,
  name: string,
  check: (n: number) => boolean = Number.isFinite,
): number | undefined {
  const text = str(ctx, name)
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !check(n)) throw usage(spec, `--${name} expects a number, got ${JSON.stringify(text)}.`)
  return n
}

function format(spec: CommandSpec, ctx: CommandContext, name: string): BatchFileFormat | undefined {
  const text = str(ctx, name)
  if (text === undefined) return undefined
  if (!(FORMATS as readonly string[]).includes(text))
    throw usage(spec, `--${name} must be one of ${FORMATS.join(', ')}, got "${text}".`)
  return text as BatchFileFormat
}

function formatOfRowsFile(file: string | undefined): BatchFileFormat | undefined {
  const ext = file?.toLowerCase().match(/\.([a-z]+)$/)?.[1]
  if (ext === 'parquet') return 'parquet'
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl'
  return undefined
}

async function loadRows(spec: CommandSpec, ctx: CommandContext): Promise<{ table: Table; name: string }> {
  const rows = str(ctx, 'rows')
  const model = str(ctx, 'model')
  if (model !== undefined) {
    const n = Number(rows)
    if (rows === undefined || !Number.isSafeInteger(n) || n < 1)
      throw usage(
        spec,
        `with --model, --rows is the number of rows to generate (a positive integer), got ${JSON.stringify(rows)}.`,
      )
    const seed = num(spec, ctx, 'seed', Number.isSafeInteger) ?? 1
    // Loaded only here, so that `modelgate skew` with a rows file never loads the synthesizers.
    const { loadSynthModel } = await import('@modelgate/synth')
    const synth = await loadSynthModel(resolve(ctx.cwd, model))
    return {
      table: synth.sample(n, { seed }),
      name: `${n.toLocaleString('en-US')} rows sampled from ${model} (seed ${seed})`,
    }
  }
  if (rows === undefined) throw usage(spec, 'pass --rows <file>, or --model <model.json> --rows <N>.')
  return { table: await readTable(resolve(ctx.cwd, rows), { displayName: rows }), name: rows }
}

function headers(spec: CommandSpec, ctx: CommandContext): Record<string, string> | undefined {
  const raw = ctx.values.header
  if (raw === undefined || typeof raw === 'boolean') return undefined
  const out: Record<string, string> = {}
  for (const h of typeof raw === 'string' ? [raw] : raw) {
    const i = h.indexOf(':')
    if (i <= 0) throw usage(spec, `--header expects "Name: value", got ${JSON.stringify(h)}.`)
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim()
  }
  return out
}

function margins(spec: CommandSpec, ctx: CommandContext): Record<string, number> | undefined {
  const items = list(ctx, 'margin')
  if (items === undefined) return undefined
  const out: Record<string, number> = {}
  for (const item of items) {
    const [feature, value] = item.split('=')
    const v = Number(value)
    if (feature === undefined || feature === '' || !(v > 0))
      throw usage(spec, `--margin expects feature=value with value > 0, got ${JSON.stringify(item)}.`)
    out[feature] = v
  }
  return out
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)))
  return typeof v === 'string' ? v : JSON.stringify(v)
}

/** The rows behind each failing feature: key, both values, the difference and the input row. */
function formatWorstRows(features: readonly FeatureSkew[]): string {
  const lines: string[] = []
  for (const f of features) {
    if (f.verdict !== 'fail' || f.worstRows.length === 0) continue
    lines.push('', `  ${f.feature}: worst rows (batch → online)`)
    for (const w of f.worstRows) {
      const diff = w.difference === null ? '' : `  Δ ${cell(w.difference)}`
      const input = Object.entries(w.input)
        .map(([k, v]) => `${k}=${cell(v)}`)
        .join(' ')
      lines.push(`    key ${cell(w.key)}: ${cell(w.batch)} → ${cell(w.online)}${diff}`)
      lines.push(`      input: ${input}`)
    }
  }
  return lines.length === 0 ? '' : `\n${lines.join('\n')}`
}

function progress(ctx: CommandContext): ((p: SkewProgress) => void) | undefined {
  if (!ctx.interactive) return undefined
  return (p) => {
    if (p.phase === 'compare' || p.done !== p.total) return
    ctx.err(`  ${p.phase}: ${p.total.toLocaleString('en-US')} rows through ${p.path}`)
  }
}

async function emit(ctx: CommandContext, report: ReturnType<typeof toReport>, extra: string): Promise<void> {
  const junit = str(ctx, 'junit')
  const html = str(ctx, 'html')
  await writeReport(report, {
    ...(junit === undefined ? {} : { junit: resolve(ctx.cwd, junit) }),
    ...(html === undefined ? {} : { html: resolve(ctx.cwd, html) }),
  })
  if (ctx.values.json === true) return
  ctx.out(renderTerminalReport(report, { color: ctx.interactive }).trimEnd() + extra)
}

const skew: CommandSpec = {
  name: 'skew',
  summary: 'Replay rows through the batch and online feature paths and prove them equivalent, feature by feature',
  usage: `modelgate skew --rows <file> | --model <model.json> --rows <N> --batch <adapter> --online <adapter>
       [--key id] [--features a,b] [--tolerance 1e-6] [--min-agreement 1] [--statistical a,b|all] [--margin f=0.1]
       [--noise online|batch|both] [--batch-format csv|jsonl|parquet] [--header "Name: value"] [--body-template json]
       [--response-path a.b] [--concurrency 32] [--retries 3] [--timeout-ms 5000] [--redact col,…] [--json] [--junit f] [--html f]

${PATH_SPEC_SYNTAX}`,
  options: {
    rows: { type: 'string' },
    model: { type: 'string' },
    seed: { type: 'string' },
    batch: { type: 'string' },
    online: { type: 'string' },
    key: { type: 'string' },
    features: { type: 'string', multiple: true },
    tolerance: { type: 'string' },
    'abs-tolerance': { type: 'string' },
    'rel-tolerance': { type: 'string' },
    'min-agreement': { type: 'string' },
    statistical: { type: 'string', multiple: true },
    margin: { type: 'string', multiple: true },
    alpha: { type: 'string' },
    noise: { type: 'string' },
    'batch-format': { type: 'string' },
    'batch-output-format': { type: 'string' },
    header: { type: 'string', multiple: true },
    'body-template': { type: 'string' },
    'response-path': { type: 'string' },
    concurrency: { type: 'string' },
    retries: { type: 'string' },
    'timeout-ms': { type: 'string' },
    redact: { type: 'string', multiple: true },
    'worst-rows': { type: 'string' },
    json: { type: 'boolean' },
    junit: { type: 'string' },
    html: { type: 'string' },
  },
  run: async (ctx) => {
    const batchSpec = str(ctx, 'batch')
    const onlineSpec = str(ctx, 'online')
    if (batchSpec === undefined || onlineSpec === undefined)
      throw usage(skew, 'both --batch and --online are required.')
    const noise = str(ctx, 'noise')
    if (noise !== undefined && noise !== 'online' && noise !== 'batch' && noise !== 'both')
      throw usage(skew, `--noise must be online, batch or both, got "${noise}".`)
    const positiveInt = (n: number): boolean => Number.isSafeInteger(n) && n >= 0
    const tolerance = num(skew, ctx, 'tolerance', (n) => n >= 0)
    const abs = num(skew, ctx, 'abs-tolerance', (n) => n >= 0) ?? tolerance
    const rel = num(skew, ctx, 'rel-tolerance', (n) => n >= 0) ?? tolerance
    const concurrency = num(skew, ctx, 'concurrency', (n) => Number.isSafeInteger(n) && n >= 1)
    const retries = num(skew, ctx, 'retries', positiveInt)
    const timeoutMs = num(skew, ctx, 'timeout-ms', (n) => n > 0)
    const bodyTemplate = str(ctx, 'body-template')
    const responsePath = str(ctx, 'response-path')
    const hdrs = headers(skew, ctx)
    // A batch command gets {input} in the format of the rows file unless --batch-format says otherwise.
    const batchFormat =
      format(skew, ctx, 'batch-format') ??
      formatOfRowsFile(str(ctx, 'model') === undefined ? str(ctx, 'rows') : undefined)
    const batchOutputFormat = format(skew, ctx, 'batch-output-format')
    const { table, name } = await loadRows(skew, ctx)
    const http = {
      ...(concurrency === undefined ? {} : { concurrency }),
      ...(retries === undefined ? {} : { retries }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(bodyTemplate === undefined ? {} : { bodyTemplate }),
      ...(responsePath === undefined ? {} : { responsePath }),
      ...(hdrs === undefined ? {} : { headers: hdrs }),
    }
    const batch = await createPathFromSpec(batchSpec, {
      role: 'batch',
      cwd: ctx.cwd,
      ...(batchFormat === undefined ? {} : { batchFormat }),
      ...(batchOutputFormat === undefined ? {} : { batchOutputFormat }),
    })
    const online = await createPathFromSpec(onlineSpec, { role: 'online', cwd: ctx.cwd, http })
    const statistical = list(ctx, 'statistical')
    const key = str(ctx, 'key')
    const features = list(ctx, 'features')
    const minAgreement = num(skew, ctx, 'min-agreement')
    const alpha = num(skew, ctx, 'alpha')
    const worstRows = num(skew, ctx, 'worst-rows', positiveInt)
    const equivalenceMargin = margins(skew, ctx)
    const redact = list(ctx, 'redact')
    const onProgress = progress(ctx)
    const options: SkewOptions = {
      input: table,
      inputName: name,
      batch,
      online,
      ...(key === undefined ? {} : { key }),
      ...(features === undefined ? {} : { features }),
      ...(abs === undefined && rel === undefined
        ? {}
        : {
            tolerance: {
              ...(abs === undefined ? {} : { absolute: abs }),
              ...(rel === undefined ? {} : { relative: rel }),
            },
          }),
      ...(minAgreement === undefined ? {} : { minAgreement }),
      ...(alpha === undefined ? {} : { alpha }),
      ...(statistical === undefined ? {} : { statistical: statistical.includes('all') ? true : statistical }),
      ...(equivalenceMargin === undefined ? {} : { equivalenceMargin }),
      ...(noise === undefined ? {} : { noise }),
      ...(redact === undefined ? {} : { redactColumns: redact }),
      ...(worstRows === undefined ? {} : { worstRows }),
      ...(onProgress === undefined ? {} : { onProgress }),
    }
    const result: SkewReport = await checkSkew(options)
    if (ctx.values.json === true) ctx.out(JSON.stringify(result, null, 2))
    await emit(ctx, toReport(result), formatWorstRows(result.features))
    return result.verdict === 'fail' ? 1 : 0
  },
}

const leakage: CommandSpec = {
  name: 'skew leakage',
  summary:
    'Check temporal integrity: training precedes test (globally or per entity), feature windows end by prediction time',
  usage:
    'modelgate skew leakage --data <file> --time <col> --split <col> [--entity <col>] [--window-end <col>] [--train-label train] [--test-label test] [--json] [--junit f] [--html f]',
  options: {
    data: { type: 'string' },
    time: { type: 'string' },
    split: { type: 'string' },
    entity: { type: 'string' },
    'window-end': { type: 'string' },
    'train-label': { type: 'string', multiple: true },
    'test-label': { type: 'string', multiple: true },
    'max-examples': { type: 'string' },
    json: { type: 'boolean' },
    junit: { type: 'string' },
    html: { type: 'string' },
  },
  run: async (ctx) => {
    const data = str(ctx, 'data')
    const time = str(ctx, 'time')
    const split = str(ctx, 'split')
    if (data === undefined || time === undefined || split === undefined)
      throw usage(leakage, '--data, --time and --split are required.')
    const entity = str(ctx, 'entity')
    const windowEnd = str(ctx, 'window-end')
    const train = list(ctx, 'train-label')
    const test = list(ctx, 'test-label')
    const maxExamples = num(leakage, ctx, 'max-examples', (n) => Number.isSafeInteger(n) && n >= 0)
    const table = await readTable(resolve(ctx.cwd, data), { displayName: data })
    const result = checkLeakage(table, {
      time,
      split,
      inputName: data,
      ...(entity === undefined ? {} : { entity }),
      ...(windowEnd === undefined ? {} : { windowEnd }),
      ...(train === undefined ? {} : { train }),
      ...(test === undefined ? {} : { test }),
      ...(maxExamples === undefined ? {} : { maxExamples }),
    })
    if (ctx.values.json === true) ctx.out(JSON.stringify(result, null, 2))
    const examples = result.checks
      .filter((c) => c.verdict === 'fail')
      .map(
        (c) =>
          `\n  ${c.name}: offending rows\n${c.examples.map((e) => `    row ${e.row.toLocaleString('en-US')} (${e.split}${e.entity === undefined ? '' : `, ${entity}=${e.entity}`}): ${e.reason}`).join('\n')}`,
      )
      .join('')
    await emit(ctx, toReport(result), examples)
    return result.verdict === 'fail' ? 1 : 0
  },
}

export const commands: readonly CommandSpec[] = [skew, leakage]
