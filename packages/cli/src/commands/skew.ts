import type { Table } from '@modelgate/core'
import { loadSchema, readTable } from '@modelgate/core'
import type { BatchFileFormat, SkewOptions, SkewProgress } from '@modelgate/skew'
import {
  checkLeakage,
  checkSkew,
  createPathFromSpec,
  PATH_SPEC_SYNTAX,
  renderSkewDetails,
  toReport,
} from '@modelgate/skew'
import type { CommandContext, CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import type { OptionReader } from '../options.js'
import { readOptions } from '../options.js'

const FORMATS: readonly BatchFileFormat[] = ['csv', 'jsonl', 'parquet']

/** The input rows: a rows file, or rows sampled from a synth model (`--model m.json --rows N`). */
async function loadRows(read: OptionReader): Promise<{ table: Table; name: string }> {
  const model = read.file('model')
  if (model !== undefined) {
    const n = read.string('rows')
    const rows = n === undefined || !/^\d+$/.test(n) || Number(n) < 1 ? undefined : Number(n)
    if (rows === undefined)
      throw read.usage(
        `with --model, --rows is the number of rows to generate (a positive integer), got ${JSON.stringify(n)}.`,
      )
    const seed = read.int('seed') ?? 1
    // Loaded only here, so that `modelgate skew` with a rows file never loads the synthesizers.
    const { sampleSynthModel } = await import('@modelgate/synth')
    return {
      table: await sampleSynthModel(model.path, rows, { seed }),
      name: `${rows.toLocaleString('en-US')} rows sampled from ${model.name} (seed ${seed})`,
    }
  }
  const file = read.file('rows')
  if (file === undefined) throw read.usage('pass --rows <file>, or --model <model.json> --rows <N>.')
  return { table: await readTable(file.path, { displayName: file.name }), name: file.name }
}

/** A batch command gets {input} in the format of the rows file unless --batch-format says otherwise. */
function formatOfRowsFile(file: string | undefined): BatchFileFormat | undefined {
  const ext = file?.toLowerCase().match(/\.([a-z]+)$/)?.[1]
  if (ext === 'parquet') return 'parquet'
  if (ext === 'jsonl' || ext === 'ndjson') return 'jsonl'
  return undefined
}

/** `--margin feature=value` (repeatable or comma-separated): equivalence margins for TOST. */
function margins(read: OptionReader): Record<string, number> | undefined {
  const items = read.list('margin')
  if (items === undefined) return undefined
  const out: Record<string, number> = {}
  for (const item of items) {
    const [feature, value] = item.split('=')
    const v = Number(value)
    if (feature === undefined || feature === '' || !(v > 0))
      throw read.usage(`--margin expects feature=value with value > 0, got ${JSON.stringify(item)}.`)
    out[feature] = v
  }
  return out
}

function progress(ctx: CommandContext): ((p: SkewProgress) => void) | undefined {
  if (!ctx.interactive) return undefined
  return (p) => {
    if (p.phase === 'compare' || p.done !== p.total) return
    ctx.err(`  ${p.phase}: ${p.total.toLocaleString('en-US')} rows through ${p.path}`)
  }
}

const skew: CommandSpec = {
  name: 'skew',
  summary: 'Replay rows through the batch and online feature paths and prove them equivalent, feature by feature',
  cancellable: true,
  usage: `modelgate skew (--rows <file> | --model <model.json> --rows <N> [--seed 1]) --batch <adapter> --online <adapter>
       [--key id] [--features a,b] [--tolerance 1e-9 | --abs-tolerance 1e-9 --rel-tolerance 1e-9] [--min-agreement 1]
       [--statistical a,b|all] [--margin f=0.1] [--alpha 0.05] [--noise online|batch|both] [--worst-rows 5]
       [--batch-format csv|jsonl|parquet] [--batch-output-format csv|jsonl|parquet] [--header "Name: value"] [--body-template json]
       [--response-path a.b] [--concurrency 32] [--retries 3] [--timeout-ms 5000] [--deadline 30m] [--max-consecutive-failures 20] [--redact col,…] [--schema schema.json]
       ${REPORT_USAGE}

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
    deadline: { type: 'string' },
    'max-consecutive-failures': { type: 'string' },
    redact: { type: 'string', multiple: true },
    schema: { type: 'string' },
    'worst-rows': { type: 'string' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const batchSpec = read.string('batch')
    const onlineSpec = read.string('online')
    if (batchSpec === undefined || onlineSpec === undefined) throw read.usage('both --batch and --online are required.')
    const noise = read.enum('noise', ['online', 'batch', 'both'])
    const tolerance = read.number('tolerance', { min: 0 })
    const abs = read.number('abs-tolerance', { min: 0 }) ?? tolerance
    const rel = read.number('rel-tolerance', { min: 0 }) ?? tolerance
    const concurrency = read.positiveInt('concurrency')
    const retries = read.int('retries')
    const timeoutMs = read.number('timeout-ms', { above: 0 })
    const deadlineMs = read.duration('deadline')
    const maxConsecutiveFailures = read.positiveInt('max-consecutive-failures')
    const bodyTemplate = read.string('body-template')
    const responsePath = read.string('response-path')
    const hdrs = read.headers('header')
    const batchFormat =
      read.enum('batch-format', FORMATS) ??
      formatOfRowsFile(read.string('model') === undefined ? read.string('rows') : undefined)
    const batchOutputFormat = read.enum('batch-output-format', FORMATS)
    const statistical = read.list('statistical')
    const key = read.string('key')
    const features = read.list('features')
    const minAgreement = read.probability('min-agreement')
    const alpha = read.probability('alpha')
    const worstRows = read.int('worst-rows')
    const equivalenceMargin = margins(read)
    const redact = read.list('redact')
    const schemaFile = read.file('schema')
    const schema = schemaFile === undefined ? undefined : await loadSchema(schemaFile.path)
    const { table, name } = await loadRows(read)
    const batch = await createPathFromSpec(batchSpec, {
      role: 'batch',
      cwd: ctx.cwd,
      ...(batchFormat === undefined ? {} : { batchFormat }),
      ...(batchOutputFormat === undefined ? {} : { batchOutputFormat }),
    })
    const online = await createPathFromSpec(onlineSpec, {
      role: 'online',
      cwd: ctx.cwd,
      http: {
        ...(concurrency === undefined ? {} : { concurrency }),
        ...(retries === undefined ? {} : { retries }),
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(deadlineMs === undefined ? {} : { deadlineMs }),
        ...(maxConsecutiveFailures === undefined ? {} : { maxConsecutiveFailures }),
        ...(bodyTemplate === undefined ? {} : { bodyTemplate }),
        ...(responsePath === undefined ? {} : { responsePath }),
        ...(hdrs === undefined ? {} : { headers: hdrs }),
      },
    })
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
      ...(schema === undefined ? {} : { schema }),
      ...(worstRows === undefined ? {} : { worstRows }),
      ...(onProgress === undefined ? {} : { onProgress }),
      signal: ctx.signal,
    }
    const result = await checkSkew(options)
    return emitReport(ctx, toReport(result), { details: renderSkewDetails(result) })
  },
}

const leakage: CommandSpec = {
  name: 'skew leakage',
  summary:
    'Check temporal integrity: training precedes test (globally or per entity), feature windows end by prediction time',
  usage: `modelgate skew leakage --data <file> --time <col> --split <col> [--entity <col>] [--window-end <col>] [--train-label train] [--test-label test] [--max-examples N] [--schema schema.json] ${REPORT_USAGE}`,
  options: {
    data: { type: 'string' },
    time: { type: 'string' },
    split: { type: 'string' },
    entity: { type: 'string' },
    'window-end': { type: 'string' },
    'train-label': { type: 'string', multiple: true },
    'test-label': { type: 'string', multiple: true },
    'max-examples': { type: 'string' },
    schema: { type: 'string' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const data = read.file('data')
    const time = read.string('time')
    const split = read.string('split')
    if (data === undefined || time === undefined || split === undefined)
      throw read.usage('--data, --time and --split are required.')
    const entity = read.string('entity')
    const windowEnd = read.string('window-end')
    const train = read.list('train-label')
    const test = read.list('test-label')
    const maxExamples = read.int('max-examples')
    const schemaFile = read.file('schema')
    const schema = schemaFile === undefined ? undefined : await loadSchema(schemaFile.path)
    const table = await readTable(data.path, { displayName: data.name })
    const result = checkLeakage(table, {
      time,
      split,
      inputName: data.name,
      ...(entity === undefined ? {} : { entity }),
      ...(windowEnd === undefined ? {} : { windowEnd }),
      ...(train === undefined ? {} : { train }),
      ...(test === undefined ? {} : { test }),
      ...(maxExamples === undefined ? {} : { maxExamples }),
      ...(schema === undefined ? {} : { schema }),
    })
    return emitReport(ctx, toReport(result), { details: renderSkewDetails(result) })
  },
}

export const commands: readonly CommandSpec[] = [skew, leakage]
