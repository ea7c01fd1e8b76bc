import { stat } from 'node:fs/promises'
import { setImmediate } from 'node:timers/promises'
import type { Table } from '@modelgate/core'
import { cancelledError, formatBytes, loadSchema, PII_TYPES, piiTypeFromName, readTable } from '@modelgate/core'
import type {
  CtganProgress,
  CtganSettings,
  HoldoutSplit,
  PiiKind,
  SplitHoldoutOptions,
  SynthModel,
  TrainProgress,
  WhereValue,
} from '@modelgate/synth'
import {
  describeModel,
  evaluateSynthetic,
  loadSynthModel,
  renderModelDescription,
  splitHoldout,
  trainSynthesizer,
  writeSynthetic,
} from '@modelgate/synth'
import type { CommandContext, CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import { lostColumnWarnings } from '../lostColumnWarnings.js'
import { NA_OPTION, naOption } from '../naOption.js'
import type { OptionReader } from '../options.js'
import { readOptions } from '../options.js'

const BACKENDS = ['auto', 'onnxruntime', 'tensorflow', 'wasm', 'cpu'] as const

/** `--holdout-fraction`, `--split-seed`, `--split-by`: the same split for `synth train` and `synth evaluate`. */
const SPLIT_OPTIONS = {
  'holdout-fraction': { type: 'string' },
  'split-seed': { type: 'string' },
  'split-by': { type: 'string' },
} as const
const SPLIT_USAGE = '--holdout-fraction 0.2 [--split-seed N] [--split-by col]'

const train: CommandSpec = {
  cancellable: true,
  name: 'synth train',
  summary: 'Learn a privacy-safe synthesizer (Gaussian copula or CTGAN) from a data file; PII is never learned',
  usage:
    `modelgate synth train --data <file> --out <model.json> [--schema schema.json] [--pii col[:type],...] [--synthesizer copula|ctgan] [--seed N] [--epsilon E [--delta 1e-6]] [--k 5] [--rare drop|other] [--na "?"] [--day-first] [--strict] [${SPLIT_USAGE}]\n` +
    '  ctgan only: [--epochs 300] [--batch-size 500] [--backend auto|onnxruntime|tensorflow|wasm|cpu] [--threads N] [--checkpoint-every N] [--resume <checkpoint.json>]',
  options: {
    data: { type: 'string' },
    out: { type: 'string', short: 'o' },
    schema: { type: 'string' },
    pii: { type: 'string', multiple: true },
    synthesizer: { type: 'string' },
    seed: { type: 'string' },
    epsilon: { type: 'string' },
    delta: { type: 'string' },
    k: { type: 'string' },
    rare: { type: 'string' },
    ...NA_OPTION,
    strict: { type: 'boolean' },
    ...SPLIT_OPTIONS,
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    resume: { type: 'string' },
  },
  run: async (ctx) => {
    const started = performance.now()
    const read = readOptions(ctx)
    const data = read.file('data', { required: true })
    const out = read.file('out', { required: true })
    const synthesizer = read.enum('synthesizer', ['copula', 'ctgan']) ?? 'copula'
    const schemaFile = read.file('schema')
    const schema = schemaFile === undefined ? undefined : await loadSchema(schemaFile.path)
    const pii = piiOption(read)
    const seed = read.int('seed')
    const k = read.positiveInt('k')
    const epsilon = read.number('epsilon', { above: 0 })
    const delta = read.number('delta', { min: 0 })
    if (delta !== undefined && epsilon === undefined)
      throw read.usage(
        '--delta only means something with --epsilon (differential privacy); add --epsilon E or drop --delta.',
      )
    const rare = read.enum('rare', ['drop', 'other'])
    const ctgan = synthesizer === 'ctgan' ? ctganSettings(ctx, read, out.path) : undefined
    const split = splitOption(read)
    const full = await readTable(data.path, {
      displayName: data.name,
      signal: ctx.signal,
      ...naOption(ctx),
      ...(schema === undefined ? {} : { schema }),
    })
    const table = split === undefined ? full : heldOut(ctx, full, data.name, split).train
    const model = await trainSynthesizer(table, {
      synthesizer,
      strict: read.flag('strict'),
      source: data.name,
      ...(schema === undefined ? {} : { schema }),
      ...(pii === undefined ? {} : { pii }),
      ...(seed === undefined ? {} : { seed }),
      ...(k === undefined ? {} : { k }),
      ...(epsilon === undefined ? {} : { epsilon }),
      ...(delta === undefined ? {} : { delta }),
      ...(rare === undefined ? {} : { rareCategories: rare }),
      ...(ctgan === undefined ? {} : { ctgan }),
      ...(ctgan === undefined ? { signal: ctx.signal } : {}),
      ...(ctgan === undefined ? { onProgress: copulaProgress(ctx) } : {}),
    })
    try {
      // A Ctrl-C during a synchronous fit is seen only once the event loop turns.
      await setImmediate()
      if (ctx.signal.aborted) throw cancelledError(`Training was cancelled; ${out.name} was not written.`)
      await model.save(out.path)
    } finally {
      model.dispose()
    }
    ctx.out(
      trainSummary(model, table, { data: data.name, out: out.name, seconds: (performance.now() - started) / 1000 }),
    )
    if (model.toJSON().detectedPii !== undefined)
      ctx.err(
        'warn: untagged columns that look like PII are treated as PII; tag them in a schema (--strict refuses them)',
      )
    for (const line of lostColumnWarnings(model.toJSON())) ctx.err(line)
    if (model.toJSON().privacy.dp?.noise === 'seeded')
      ctx.err(
        'warn: --seed makes the DP noise reproducible: whoever knows the seed can remove it. Keep the seed as secret as the data, or leave it out (the noise then comes from the OS).',
      )
    return 0
  },
}

/** The split of `--holdout-fraction [--split-seed] [--split-by]`, or none. */
function splitOption(read: OptionReader): SplitHoldoutOptions | undefined {
  const fraction = read.number('holdout-fraction', { above: 0, max: 1 })
  const seed = read.int('split-seed')
  const by = read.string('split-by')
  if (fraction === undefined) {
    if (seed !== undefined || by !== undefined) throw read.usage('--split-seed and --split-by need --holdout-fraction.')
    return undefined
  }
  return { fraction, ...(seed === undefined ? {} : { seed }), ...(by === undefined ? {} : { by }) }
}

/** Splits the training file as `synth evaluate` will, and says how many rows were left out. */
function heldOut(ctx: CommandContext, full: Table, name: string, split: SplitHoldoutOptions): HoldoutSplit {
  const parts = splitHoldout(full, { ...split, source: name })
  ctx.err(
    `Held out ${parts.holdout.numRows.toLocaleString('en-US')} of ${full.numRows.toLocaleString('en-US')} rows of ${name} (never learned); evaluate against them with the same --holdout-fraction, --split-seed and --split-by.`,
  )
  return parts
}

/** `--pii email,phone:phone,user_id:id` (repeatable); without a type, it comes from the name, else free_text. */
function piiOption(read: OptionReader): Record<string, PiiKind> | undefined {
  const items = read.list('pii')
  if (items === undefined || items.length === 0) return undefined
  const kinds: readonly string[] = [...PII_TYPES, 'id']
  const out: Record<string, PiiKind> = {}
  for (const item of items) {
    const [name = '', type] = item.split(':')
    if (type !== undefined && !kinds.includes(type))
      throw read.usage(`--pii ${item}: unknown PII type "${type}" (types: ${kinds.join(', ')}).`)
    out[name] = (type as PiiKind | undefined) ?? piiTypeFromName(name) ?? 'free_text'
  }
  return out
}

/** CTGAN's settings from the flags, with per-epoch progress on stderr and Ctrl-C as its signal. */
function ctganSettings(ctx: CommandContext, read: OptionReader, outPath: string): CtganSettings {
  const epochs = read.positiveInt('epochs')
  const batchSize = read.positiveInt('batch-size')
  const threads = read.positiveInt('threads')
  const every = read.positiveInt('checkpoint-every')
  const resume = read.file('resume')
  return {
    backend: read.enum('backend', BACKENDS) ?? 'auto',
    signal: ctx.signal,
    onProgress: (p) => ctx.err(progressLine(p)),
    ...(epochs === undefined ? {} : { epochs }),
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(threads === undefined ? {} : { threads }),
    ...(every === undefined
      ? {}
      : { checkpoint: { path: `${outPath.replace(/\.json$/i, '')}.checkpoint.json`, every } }),
    ...(resume === undefined ? {} : { resumeFrom: resume.path }),
  }
}

/** From this many columns the dependence fit takes seconds: its start is logged even when quick to reach. */
const WIDE_LOG_COLUMNS = 200

/**
 * The copula's progress on stderr: on a terminal at most one line a second (a fit under a second prints nothing); in a
 * log (CI) one line when a phase starts after the first second or on a wide table, so a long job is seen.
 */
function copulaProgress(ctx: CommandContext): (p: TrainProgress) => void {
  const started = performance.now()
  let shown = 0
  let phase = ''
  return (p) => {
    const seconds = (performance.now() - started) / 1000
    if (p.phase === 'done') return
    const line =
      p.phase === 'marginals'
        ? `copula: column marginals ${p.done.toLocaleString('en-US')}/${p.total.toLocaleString('en-US')}  ${seconds.toFixed(0)} s`
        : `copula: fitting the dependence of ${p.total.toLocaleString('en-US')} columns  ${seconds.toFixed(0)} s`
    if (ctx.interactive) {
      if (seconds < shown + 1) return
      shown = Math.floor(seconds)
      ctx.err(line)
    } else if (p.phase !== phase && (seconds >= 1 || p.total >= WIDE_LOG_COLUMNS)) {
      phase = p.phase
      ctx.err(line)
    }
  }
}

function progressLine(p: CtganProgress): string {
  if (p.phase === 'transform')
    return `CTGAN on backend ${p.backend}${p.replicas > 1 ? ` (${p.replicas} training threads, data-parallel)` : ''}: data transformer ready in ${p.seconds.toFixed(1)} s`
  const filled = Math.round((p.epoch / Math.max(1, p.epochs)) * 24)
  return `[${'#'.repeat(filled)}${'.'.repeat(24 - filled)}] epoch ${p.epoch}/${p.epochs}  G ${p.lossG.toFixed(3)}  D ${p.lossD.toFixed(3)}  ${p.seconds.toFixed(0)} s`
}

function trainSummary(model: SynthModel, table: Table, o: { data: string; out: string; seconds: number }): string {
  const file = model.toJSON()
  const training = file.ctgan?.training
  const lines = [
    `Trained a ${file.synthesizer} synthesizer${training === undefined ? '' : ` (${training.epochs} epochs, backend ${training.backend})`} on ${table.numRows.toLocaleString('en-US')} rows × ${table.columns.length} columns of ${o.data} ` +
      `in ${o.seconds.toFixed(2)} s → ${o.out}${training === undefined ? '' : ' (weights beside it)'}`,
  ]
  const pii = file.columns.flatMap((c) => (c.kind === 'pii' ? [`${c.name} (${c.pii})`] : []))
  if (pii.length > 0) lines.push(`PII columns (never learned, regenerated fresh): ${pii.join(', ')}`)
  const shaped = file.columns.flatMap((c) =>
    c.kind === 'text'
      ? [`${c.name} (${c.shape.mode === 'patterns' ? (c.outputKind === 'id' ? 'ids' : 'codes') : 'free text'})`]
      : [],
  )
  if (shaped.length > 0)
    lines.push(
      `Text and id columns regenerated in the same shape (lengths, character classes), not learned; no value is a training value: ${shaped.join(', ')}`,
    )
  for (const d of file.detectedPii ?? []) lines.push(`  detected ${d.column} as ${d.type}: ${d.reason}`)
  for (const q of file.quasiIdentifiers ?? []) {
    lines.push(
      q.values === undefined || q.rows === undefined
        ? `  quasi-identifier ${q.column}: its values mark repeated entities (${q.partners.join(', ')} repeat with them) — under differential privacy none of its values is learned`
        : `  quasi-identifier ${q.column}: ${q.values.toLocaleString('en-US')} values each mark one repeated entity (${q.rows.toLocaleString('en-US')} rows; ${q.partners.join(', ')} repeat with them) — not stored, folded like rare categories`,
    )
  }
  const rare = file.columns.some((c) => c.kind === 'categorical' && c.rare.mode === 'other')
  const dp = describeModel(file).header.dp
  if (dp === undefined)
    lines.push(
      `Categories seen fewer than ${file.privacy.k} times are never stored (${rare ? 'collapsed into one bucket' : 'dropped'}).`,
    )
  else
    lines.push(
      `Differential privacy: ${dp.summary}`,
      `Categories chosen by noisy counts (${rare ? 'the others collapsed into one bucket' : 'the others dropped'}); every mechanism is listed by: modelgate synth inspect ${o.out}`,
    )
  lines.push(`Inspect it with: modelgate synth inspect ${o.out}`)
  return lines.join('\n')
}

const generate: CommandSpec = {
  cancellable: true,
  name: 'synth generate',
  summary: 'Generate synthetic rows from a model file, streaming to csv/jsonl/parquet/arrow',
  usage:
    'modelgate synth generate --model <model.json> --rows N --out <file.csv|.jsonl|.parquet|.arrow> [--seed N] [--where col=value]... [--shard i/n] [--chunk-rows 65536]',
  options: {
    model: { type: 'string', short: 'm' },
    rows: { type: 'string', short: 'n' },
    out: { type: 'string', short: 'o' },
    seed: { type: 'string' },
    where: { type: 'string', multiple: true },
    shard: { type: 'string' },
    'chunk-rows': { type: 'string' },
  },
  run: async (ctx) => {
    const started = performance.now()
    const read = readOptions(ctx)
    const modelFile = read.file('model', { required: true })
    const out = read.file('out', { required: true })
    const rows = read.positiveInt('rows', { required: true })
    const seed = read.int('seed') ?? 0
    const chunkRows = read.positiveInt('chunk-rows')
    const where = whereOption(read)
    // 1-based on the command line, as load and drift read it; synth's library counts shards from 0
    const shardArg = read.shard('shard')
    const shard = shardArg === undefined ? undefined : { index: shardArg.index - 1, count: shardArg.count }
    const model = await loadSynthModel(modelFile.path)
    let lastReport = 0
    const result = await writeSynthetic(model, {
      rows,
      out: out.path,
      displayName: out.name,
      signal: ctx.signal,
      seed,
      ...(where === undefined ? {} : { where }),
      ...(shard === undefined ? {} : { shard }),
      ...(chunkRows === undefined ? {} : { chunkRows }),
      onProgress: (p) => {
        const now = performance.now()
        if (ctx.interactive && (now - lastReport > 1000 || p.rowsDone === p.rowsTotal)) {
          lastReport = now
          ctx.err(
            `generated ${p.rowsDone.toLocaleString('en-US')} / ${p.rowsTotal.toLocaleString('en-US')} rows (${((p.rowsDone / Math.max(1, p.rowsTotal)) * 100).toFixed(0)}%)`,
          )
        }
      },
    }).finally(() => model.dispose())
    const seconds = (performance.now() - started) / 1000
    const conditions = Object.entries(where ?? {}).map(([k, v]) => `${k}=${String(v)}`)
    ctx.out(
      `Wrote ${result.rows.toLocaleString('en-US')} rows to ${out.name} (${formatBytes(result.bytes)}) in ${seconds.toFixed(2)} s, seed ${seed}` +
        (shardArg === undefined ? '' : `, shard ${shardArg.index}/${shardArg.count}`) +
        (conditions.length === 0 ? '' : `, where ${conditions.join(' and ')}`),
    )
    return 0
  },
}

/** `--where col=value` (repeatable): conditional sampling. */
function whereOption(read: OptionReader): Record<string, WhereValue> | undefined {
  const items = read.all('where')
  if (items.length === 0) return undefined
  // Null prototype: `--where __proto__=x` names a column like any other, not the object's prototype.
  const out = Object.create(null) as Record<string, WhereValue>
  for (const item of items) {
    const eq = item.indexOf('=')
    if (eq <= 0)
      throw read.usage(`--where expects col=value, got ${JSON.stringify(item)} (e.g. --where is_fraud=true).`)
    out[item.slice(0, eq).trim()] = item.slice(eq + 1)
  }
  return out
}

const evaluate: CommandSpec = {
  name: 'synth evaluate',
  summary:
    'Score synthetic data against real data: quality, utility (TSTR), privacy (exact matches, DCR, PII leaks, re-identification and membership attacks)',
  usage: `modelgate synth evaluate --real <file> --synthetic <file> [--holdout <file> | ${SPLIT_USAGE}] [--target col] [--fail-under 0.8] [--pii col,...] [--seed N] [--na "?"] [--day-first] ${REPORT_USAGE}`,
  options: {
    real: { type: 'string' },
    synthetic: { type: 'string' },
    holdout: { type: 'string' },
    target: { type: 'string' },
    'fail-under': { type: 'string' },
    pii: { type: 'string', multiple: true },
    seed: { type: 'string' },
    ...NA_OPTION,
    ...SPLIT_OPTIONS,
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const realFile = read.file('real', { required: true })
    const synthFile = read.file('synthetic', { required: true })
    const holdoutFile = read.file('holdout')
    const failUnder = read.probability('fail-under')
    const target = read.string('target')
    const pii = read.list('pii')
    const seed = read.int('seed')
    const split = splitOption(read)
    if (holdoutFile !== undefined && split !== undefined)
      throw read.usage('pass either --holdout <file> or --holdout-fraction, not both.')
    const load = (f: { path: string; name: string }): Promise<Table> =>
      readTable(f.path, { displayName: f.name, ...naOption(ctx) })
    const [full, synthetic, holdoutTable] = await Promise.all([
      load(realFile),
      load(synthFile),
      holdoutFile === undefined ? undefined : load(holdoutFile),
    ])
    const parts = split === undefined ? undefined : splitHoldout(full, { ...split, source: realFile.name })
    const real = parts?.train ?? full
    const holdout = parts?.holdout ?? holdoutTable
    const { report } = evaluateSynthetic({
      real,
      synthetic,
      ...(holdout === undefined ? {} : { holdout }),
      ...(target === undefined ? {} : { target }),
      ...(failUnder === undefined ? {} : { failUnder }),
      ...(pii === undefined ? {} : { pii }),
      ...(seed === undefined ? {} : { seed }),
      names: {
        real: parts === undefined ? realFile.name : `${realFile.name} (training part)`,
        synthetic: synthFile.name,
        ...(holdoutFile === undefined ? {} : { holdout: holdoutFile.name }),
      },
    })
    return emitReport(ctx, report)
  },
}

const inspect: CommandSpec = {
  name: 'synth inspect',
  summary: 'Show what a model file holds: columns, marginal families, PII types, correlations, DP budget, CTGAN',
  usage: 'modelgate synth inspect <model.json> [--json]',
  allowPositionals: true,
  options: { json: { type: 'boolean' } },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const file = read.positional('<model.json>')
    const model = await loadSynthModel(file.path)
    const description = describeModel(model.toJSON())
    model.dispose()
    if (read.flag('json')) ctx.out(JSON.stringify(description, null, 2))
    else ctx.out(renderModelDescription(description, { name: file.name, bytes: (await stat(file.path)).size }))
    return 0
  },
}

export const commands: readonly CommandSpec[] = [train, generate, evaluate, inspect]
