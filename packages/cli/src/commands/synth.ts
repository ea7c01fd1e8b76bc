import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { setImmediate } from 'node:timers/promises'
import type { Table, TableSchema } from '@modelgate/core'
import {
  cancelledError,
  loadSchema,
  ModelGateError,
  PII_TYPES,
  piiTypeFromName,
  readTable,
  renderTerminalReport,
  writeFileAtomic,
  writeReport,
} from '@modelgate/core'
import type { CtganBackend, PiiKind, SynthModelFile, WhereValue } from '@modelgate/synth'
import {
  evaluateSynthetic,
  fitCtgan,
  fitSynthModelFile,
  loadSynthModel,
  parseSynthModelFile,
  writeSynthetic,
} from '@modelgate/synth'
import type { CommandContext, CommandSpec } from '../Command.js'
import { naOption } from '../naOption.js'

const train: CommandSpec = {
  cancellable: true,
  name: 'synth train',
  summary: 'Learn a privacy-safe synthesizer (Gaussian copula or CTGAN) from a data file; PII is never learned',
  usage:
    'modelgate synth train --data <file> --out <model.json> [--schema schema.json] [--pii col[:type],...] [--synthesizer copula|ctgan] [--seed N] [--epsilon E] [--k 5] [--rare drop|other] [--na "?"] [--strict]\n' +
    '  ctgan only: [--epochs 300] [--batch-size 500] [--backend auto|onnxruntime|tensorflow|wasm|cpu] [--threads N] [--checkpoint-every N] [--resume <checkpoint.json>]',
  options: {
    data: { type: 'string' },
    out: { type: 'string', short: 'o' },
    schema: { type: 'string' },
    pii: { type: 'string', multiple: true },
    synthesizer: { type: 'string' },
    seed: { type: 'string' },
    epsilon: { type: 'string' },
    k: { type: 'string' },
    rare: { type: 'string' },
    na: { type: 'string' },
    strict: { type: 'boolean' },
    // ctgan
    epochs: { type: 'string' },
    'batch-size': { type: 'string' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    'checkpoint-every': { type: 'string' },
    resume: { type: 'string' },
  },
  run: async (ctx) => {
    const started = performance.now()
    const data = required(ctx, 'data', train.usage)
    const out = required(ctx, 'out', train.usage)
    const synthesizer = str(ctx, 'synthesizer') ?? 'copula'
    if (synthesizer !== 'copula' && synthesizer !== 'ctgan') {
      throw new ModelGateError('MG_SYNTH_BAD_OPTION', `--synthesizer expects copula or ctgan, got "${synthesizer}".`, {
        hint: 'Use --synthesizer copula (fast) or ctgan (GAN, for dependencies a copula cannot capture).',
      })
    }
    const rare = str(ctx, 'rare') ?? 'drop'
    if (rare !== 'drop' && rare !== 'other')
      throw new ModelGateError('MG_CLI_USAGE', `--rare expects drop or other, got "${rare}".`)
    const schemaPath = str(ctx, 'schema')
    const schema = schemaPath === undefined ? undefined : await loadSchema(resolve(ctx.cwd, schemaPath))
    const table = await readTable(resolve(ctx.cwd, data), {
      displayName: data,
      ...naOption(ctx),
      ...(schema === undefined ? {} : { schema }),
    })
    const pii = parsePii(ctx)
    const seed = integer(ctx, 'seed')
    const k = integer(ctx, 'k')
    const epsilon = number(ctx, 'epsilon')
    const strict = ctx.values.strict === true
    if (synthesizer === 'ctgan') {
      if (epsilon !== undefined)
        throw new ModelGateError('MG_SYNTH_BAD_OPTION', 'CTGAN does not support differential privacy (--epsilon).', {
          hint: 'Use --synthesizer copula with --epsilon.',
        })
      return trainCtgan(ctx, table, {
        data,
        out,
        rare,
        started,
        ...(schema === undefined ? {} : { schema }),
        ...(pii === undefined ? {} : { pii }),
        ...(seed === undefined ? {} : { seed }),
        ...(k === undefined ? {} : { k }),
        strict,
      })
    }
    const file = fitSynthModelFile(table, {
      source: data,
      strict,
      ...(schema === undefined ? {} : { schema }),
      ...(pii === undefined ? {} : { pii }),
      ...(seed === undefined ? {} : { seed }),
      ...(k === undefined ? {} : { k }),
      ...(epsilon === undefined ? {} : { epsilon }),
      rareCategories: rare,
    })
    await stopIfCancelled(ctx, `Training was cancelled; ${out} was not written.`)
    const json = JSON.stringify(file)
    await writeFileAtomic(resolve(ctx.cwd, out), json)
    const piiColumns = file.columns.filter((c) => c.kind === 'pii')
    ctx.out(
      `Trained a ${file.synthesizer} synthesizer on ${table.numRows.toLocaleString('en-US')} rows × ${table.columns.length} columns of ${data} ` +
        `in ${((performance.now() - started) / 1000).toFixed(2)} s → ${out} (${kb(json.length)})`,
    )
    if (piiColumns.length > 0) {
      ctx.out(
        `PII columns (never learned, regenerated fresh): ${piiColumns.map((c) => `${c.name} (${c.kind === 'pii' ? c.pii : ''})`).join(', ')}`,
      )
    }
    printPrivacyFindings(ctx, file)
    ctx.out(
      `Categories seen fewer than ${file.privacy.k} times are never stored (${rare === 'drop' ? 'dropped' : 'collapsed into one bucket'}).`,
    )
    if (file.privacy.budget !== null) {
      const b = file.privacy.budget
      ctx.out(
        `Differential privacy: ε = ${file.privacy.epsilon} spent (marginals ${b.marginals}, correlation ${b.correlation})`,
      )
    }
    ctx.out(`Inspect it with: modelgate synth inspect ${out}`)
    return 0
  },
}

/** Untagged PII found by detection and quasi-identifier columns folded by the entity-memorization rule. */
function printPrivacyFindings(ctx: CommandContext, file: SynthModelFile): void {
  for (const d of file.detectedPii ?? []) ctx.out(`  detected ${d.column} as ${d.type}: ${d.reason}`)
  if (file.detectedPii !== undefined)
    ctx.err(
      'warn: untagged columns that look like PII are treated as PII; tag them in a schema (--strict refuses them)',
    )
  for (const q of file.quasiIdentifiers ?? []) {
    ctx.out(
      `  quasi-identifier ${q.column}: ${q.values.toLocaleString('en-US')} values each mark one repeated entity (${q.rows.toLocaleString('en-US')} rows; ${q.partners.join(', ')} repeat with them) — not stored, folded like rare categories`,
    )
  }
}

/**
 * Lets a Ctrl-C pressed during synchronous work (a fit, a calibration) be seen, which happens only once the event
 * loop turns, and stops if it was.
 */
async function stopIfCancelled(ctx: CommandContext, message: string): Promise<void> {
  await setImmediate()
  if (ctx.signal.aborted) throw cancelledError(message)
}

/** `synth train --synthesizer ctgan`: per-epoch progress on stderr, Ctrl-C cancels and writes nothing, weights beside the JSON. */
async function trainCtgan(
  ctx: CommandContext,
  table: Table,
  o: {
    data: string
    out: string
    rare: 'drop' | 'other'
    started: number
    schema?: TableSchema
    pii?: Readonly<Record<string, PiiKind>>
    seed?: number
    k?: number
    strict: boolean
  },
): Promise<number> {
  const epochs = integer(ctx, 'epochs')
  const batchSize = integer(ctx, 'batch-size')
  const every = integer(ctx, 'checkpoint-every')
  const resume = str(ctx, 'resume')
  const backend = str(ctx, 'backend') ?? 'auto'
  if (!['auto', 'onnxruntime', 'tensorflow', 'wasm', 'cpu'].includes(backend)) {
    throw new ModelGateError(
      'MG_CLI_USAGE',
      `--backend expects auto, onnxruntime, tensorflow, wasm or cpu, got "${backend}".`,
    )
  }
  const threads = integer(ctx, 'threads')
  const outPath = resolve(ctx.cwd, o.out)
  const model = await fitCtgan(table, {
    source: o.data,
    rareCategories: o.rare,
    ...(o.schema === undefined ? {} : { schema: o.schema }),
    ...(o.pii === undefined ? {} : { pii: o.pii }),
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.k === undefined ? {} : { k: o.k }),
    strict: o.strict,
    ...(epochs === undefined ? {} : { epochs }),
    ...(batchSize === undefined ? {} : { batchSize }),
    ...(threads === undefined ? {} : { threads }),
    ...(every === undefined
      ? {}
      : { checkpoint: { path: outPath.replace(/\.json$/i, '') + '.checkpoint.json', every } }),
    ...(resume === undefined ? {} : { resumeFrom: resolve(ctx.cwd, resume) }),
    backend: backend as CtganBackend | 'auto',
    signal: ctx.signal,
    onProgress: (p) => {
      if (p.phase === 'transform')
        ctx.err(
          `CTGAN on backend ${p.backend}${p.replicas > 1 ? ` (${p.replicas} training threads, data-parallel)` : ''}: data transformer ready in ${p.seconds.toFixed(1)} s`,
        )
      if (p.phase === 'epoch') {
        const width = 24
        const filled = Math.round((p.epoch / Math.max(1, p.epochs)) * width)
        ctx.err(
          `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] epoch ${p.epoch}/${p.epochs}  G ${p.lossG.toFixed(3)}  D ${p.lossD.toFixed(3)}  ${p.seconds.toFixed(0)} s`,
        )
      }
    },
  })
  try {
    await stopIfCancelled(ctx, `CTGAN training was cancelled after its last epoch; ${o.out} was not written.`)
    await model.save(outPath)
  } finally {
    model.dispose()
  }
  ctx.out(
    `Trained a ctgan synthesizer (${model.epochsTrained} epochs, backend ${model.backend}) on ${table.numRows.toLocaleString('en-US')} rows × ${table.columns.length} columns of ${o.data} ` +
      `in ${((performance.now() - o.started) / 1000).toFixed(1)} s → ${o.out} (weights beside it)`,
  )
  const piiColumns = model.toJSON().columns.filter((c) => c.kind === 'pii')
  if (piiColumns.length > 0)
    ctx.out(`PII columns (never learned, regenerated fresh): ${piiColumns.map((c) => c.name).join(', ')}`)
  printPrivacyFindings(ctx, model.toJSON())
  ctx.out(`Inspect it with: modelgate synth inspect ${o.out}`)
  return 0
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
    const modelPath = required(ctx, 'model', generate.usage)
    const out = required(ctx, 'out', generate.usage)
    const rows = integer(ctx, 'rows')
    if (rows === undefined) throw usage('synth generate: --rows is required', generate.usage)
    const seed = integer(ctx, 'seed') ?? 0
    const chunkRows = integer(ctx, 'chunk-rows')
    const where = parseWhere(ctx)
    const shard = parseShard(str(ctx, 'shard'))
    const model = await loadSynthModel(resolve(ctx.cwd, modelPath))
    let lastReport = 0
    const result = await writeSynthetic(model, {
      rows,
      out: resolve(ctx.cwd, out),
      displayName: out,
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
    ctx.out(
      `Wrote ${result.rows.toLocaleString('en-US')} rows to ${out} (${kb(result.bytes)}) in ${seconds.toFixed(2)} s, seed ${seed}` +
        (shard === undefined ? '' : `, shard ${shard.index}/${shard.count}`) +
        (where === undefined
          ? ''
          : `, where ${Object.entries(where)
              .map(([k, v]) => `${k}=${String(v)}`)
              .join(' and ')}`),
    )
    return 0
  },
}

const evaluate: CommandSpec = {
  name: 'synth evaluate',
  summary: 'Score synthetic data against real data: quality, utility (TSTR), privacy (exact matches, DCR, PII leaks)',
  usage:
    'modelgate synth evaluate --real <file> --synthetic <file> [--holdout <file>] [--target col] [--json] [--html report.html] [--junit report.xml] [--fail-under 0.8] [--pii col,...] [--na "?"]',
  options: {
    real: { type: 'string' },
    synthetic: { type: 'string' },
    holdout: { type: 'string' },
    target: { type: 'string' },
    json: { type: 'boolean' },
    html: { type: 'string' },
    junit: { type: 'string' },
    'fail-under': { type: 'string' },
    pii: { type: 'string' },
    na: { type: 'string' },
    seed: { type: 'string' },
  },
  run: async (ctx) => {
    const realPath = required(ctx, 'real', evaluate.usage)
    const synthPath = required(ctx, 'synthetic', evaluate.usage)
    const holdoutPath = str(ctx, 'holdout')
    const failUnder = number(ctx, 'fail-under')
    if (failUnder !== undefined && (failUnder < 0 || failUnder > 1))
      throw usage(`--fail-under expects a score in [0, 1], got ${failUnder}`, evaluate.usage)
    const read = (p: string): Promise<Table> => readTable(resolve(ctx.cwd, p), { displayName: p, ...naOption(ctx) })
    const [real, synthetic, holdout] = await Promise.all([
      read(realPath),
      read(synthPath),
      holdoutPath === undefined ? undefined : read(holdoutPath),
    ])
    const target = str(ctx, 'target')
    const pii = str(ctx, 'pii')
    const seed = integer(ctx, 'seed')
    const { report } = evaluateSynthetic({
      real,
      synthetic,
      ...(holdout === undefined ? {} : { holdout }),
      ...(target === undefined ? {} : { target }),
      ...(failUnder === undefined ? {} : { failUnder }),
      ...(pii === undefined
        ? {}
        : {
            pii: pii
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== ''),
          }),
      ...(seed === undefined ? {} : { seed }),
      names: { real: realPath, synthetic: synthPath, ...(holdoutPath === undefined ? {} : { holdout: holdoutPath }) },
    })
    const html = str(ctx, 'html')
    const junit = str(ctx, 'junit')
    if (html !== undefined || junit !== undefined) {
      await writeReport(report, {
        ...(html === undefined ? {} : { html: resolve(ctx.cwd, html) }),
        ...(junit === undefined ? {} : { junit: resolve(ctx.cwd, junit) }),
      })
    }
    if (ctx.values.json === true) ctx.out(JSON.stringify(report, null, 2))
    else ctx.out(renderTerminalReport(report, { color: ctx.interactive }).trimEnd())
    return report.verdict === 'fail' ? 1 : 0
  },
}

const inspect: CommandSpec = {
  name: 'synth inspect',
  summary: 'Show what a model file holds: columns, marginal families, PII types, correlations, DP budget',
  usage: 'modelgate synth inspect <model.json> [--json]',
  allowPositionals: true,
  options: { json: { type: 'boolean' } },
  run: async (ctx) => {
    const [path, ...rest] = ctx.positionals
    if (path === undefined || rest.length > 0)
      throw usage(`synth inspect: expected one <model.json>, got ${ctx.positionals.length}`, inspect.usage)
    const model = await loadSynthModel(resolve(ctx.cwd, path))
    const file = parseSynthModelFile(model.toJSON())
    const bytes = (await stat(resolve(ctx.cwd, path))).size
    if (ctx.values.json === true) {
      ctx.out(JSON.stringify(describeModel(file), null, 2))
      return 0
    }
    ctx.out(renderInspect(file, path, bytes))
    if (file.synthesizer === 'ctgan') ctx.out(renderCtgan(file))
    return 0
  },
}

/** CTGAN section of `synth inspect`: training record, architecture, modes, weight file. */
function renderCtgan(file: SynthModelFile): string {
  const c = file.ctgan as {
    training: {
      backend: string
      epochs: number
      seconds: number
      losses: { lossG: number; lossD: number }[]
      calibration?: {
        gapBefore: number
        gapAfter: number
        conditional?: { conditions: number; of: number; gapBefore: number; gapAfter: number }
      }
    }
    architecture: {
      embeddingDim: number
      generatorDims: number[]
      discriminatorDims: number[]
      pac: number
      dataDim: number
      condDim: number
    }
    hyperparameters: Record<string, unknown>
    transformer: {
      columns: {
        type: string
        name: string
        pointMasses?: number
        weights?: number[]
        from?: number
        valueMap?: unknown
      }[]
    }
    weightsManifest: { paths: string[]; weights: { shape: number[] }[] }[]
  }
  const t = c.training
  const a = c.architecture
  const last = t.losses.at(-1)
  const params = c.weightsManifest[0]?.weights.reduce((s, w) => s + w.shape.reduce((x, y) => x * y, 1), 0) ?? 0
  const modes = c.transformer.columns
    .filter((x) => x.type === 'continuous')
    .map((x) => `${x.name} ${x.weights?.length ?? 0}${x.pointMasses ? ` (${x.pointMasses} exact)` : ''}`)
  const derived = c.transformer.columns
    .filter((x) => x.type === 'derived')
    .map((x) => `${x.name} from ${c.transformer.columns[x.from ?? -1]?.name ?? '?'}`)
  const average = c.hyperparameters.generatorAverage
  const cal = t.calibration
  const after = [
    typeof average === 'number' && average > 0 ? `weights averaged (decay ${average})` : 'last weights',
    cal === undefined
      ? 'no calibration'
      : `calibrated (mean span gap ${(100 * cal.gapBefore).toFixed(1)}% → ${(100 * cal.gapAfter).toFixed(2)}%)`,
  ]
  const conditional = cal?.conditional
  if (conditional !== undefined && conditional.conditions > 0) {
    after.push(
      `per condition for ${conditional.conditions} of ${conditional.of} conditions (mean gap ${(100 * conditional.gapBefore).toFixed(1)}% → ${(100 * conditional.gapAfter).toFixed(2)}%)`,
    )
  }
  return [
    '',
    `  CTGAN: ${t.epochs} epochs on ${t.backend} in ${t.seconds.toFixed(0)} s${last === undefined ? '' : `, last losses G ${last.lossG.toFixed(3)} D ${last.lossD.toFixed(3)}`}`,
    `  generator (${a.generatorDims.join(', ')}) from noise ${a.embeddingDim} + condition ${a.condDim}; discriminator (${a.discriminatorDims.join(', ')}), pac ${a.pac}; row width ${a.dataDim}`,
    `  modes per numeric column: ${modes.join(', ') || 'none'}${derived.length > 0 ? `; derived: ${derived.join(', ')}` : ''}`,
    `  sampling from: ${after.join(', ')}`,
    `  generator weights: ${c.weightsManifest[0]?.paths[0] ?? '?'} (${params.toLocaleString('en-US')} float32 values)`,
  ].join('\n')
}

export const commands: readonly CommandSpec[] = [train, generate, evaluate, inspect]

interface ColumnSummary {
  readonly name: string
  readonly kind: string
  readonly nullRate: number
  readonly detail: string
}

function describeModel(file: SynthModelFile): {
  header: Record<string, unknown>
  columns: ColumnSummary[]
  strongestCorrelations: { a: string; b: string; rho: number }[]
} {
  const columns: ColumnSummary[] = file.columns.map((c) => {
    switch (c.kind) {
      case 'pii':
        return {
          name: c.name,
          kind: `pii:${c.pii}`,
          nullRate: c.nullRate,
          detail: `regenerated fresh${c.unique ? ', unique' : ''}; no values stored`,
        }
      case 'categorical':
        return {
          name: c.name,
          kind: 'categorical',
          nullRate: c.nullRate,
          detail: `${c.categories.length === 0 ? 'no category stored' : `${c.categories.length} categories (top: ${topCategories(c.categories)})`}; rare ${c.rare.mode === 'drop' ? 'dropped' : `→ ${c.rare.label} ${(c.rare.p * 100).toFixed(1)}%`}`,
        }
      case 'boolean':
        return { name: c.name, kind: 'boolean', nullRate: c.nullRate, detail: `P(true) ${(c.pTrue * 100).toFixed(1)}%` }
      default: {
        const spikes =
          c.spikes.length === 0
            ? ''
            : `${c.spikes.length} point mass${c.spikes.length === 1 ? '' : 'es'} (${(c.spikes.reduce((s, x) => s + x.p, 0) * 100).toFixed(1)}%) + `
        const cont =
          c.continuous === null
            ? 'no continuous part'
            : `${c.continuous.family} (KS ${c.continuous.ks.toFixed(3)}, ${(c.continuous.weight * 100).toFixed(1)}%)`
        const range =
          c.min === null || c.max === null ? '' : `, range [${fmtBound(c.min, c.kind)}, ${fmtBound(c.max, c.kind)}]`
        return {
          name: c.name,
          kind: c.kind,
          nullRate: c.nullRate,
          detail: `${spikes}${cont}${range}${c.decimals === null ? '' : `, ${c.decimals} decimals`}`,
        }
      }
    }
  })
  const strongest: { a: string; b: string; rho: number }[] = []
  const copula = file.copula
  if (copula !== undefined) {
    const label = (i: number): string => {
      const d = copula.dims[i]
      return d === undefined ? '?' : d.part === 'null' ? `${d.column} (is null)` : d.column
    }
    for (let i = 0; i < copula.dims.length; i++) {
      for (let j = i + 1; j < copula.dims.length; j++)
        strongest.push({ a: label(i), b: label(j), rho: copula.correlation[i]?.[j] ?? 0 })
    }
    strongest.sort((x, y) => Math.abs(y.rho) - Math.abs(x.rho))
  }
  return {
    header: {
      format: file.format,
      version: file.version,
      synthesizer: file.synthesizer,
      trainingRows: file.trainingRows,
      k: file.privacy.k,
      epsilon: file.privacy.epsilon,
      budget: file.privacy.budget,
      latentDimensions: copula?.dims.length ?? 0,
    },
    columns,
    strongestCorrelations: strongest.slice(0, 8),
  }
}

function renderInspect(file: SynthModelFile, path: string, bytes: number): string {
  const d = describeModel(file)
  const lines = [
    `${path}: ${file.format} v${file.version}, ${file.synthesizer} synthesizer, ${kb(bytes)}`,
    `trained on ${file.trainingRows.toLocaleString('en-US')} rows; categories seen < ${file.privacy.k} times never stored; ` +
      (file.privacy.epsilon === null
        ? 'no differential privacy'
        : `ε-DP with ε = ${file.privacy.epsilon} (marginals ${file.privacy.budget?.marginals}, correlation ${file.privacy.budget?.correlation})`),
    '',
  ]
  const w = Math.max(6, ...d.columns.map((c) => c.name.length))
  const kw = Math.max(4, ...d.columns.map((c) => c.kind.length))
  lines.push(`  ${'column'.padEnd(w)}  ${'kind'.padEnd(kw)}  nulls   model`)
  for (const c of d.columns)
    lines.push(
      `  ${c.name.padEnd(w)}  ${c.kind.padEnd(kw)}  ${`${(c.nullRate * 100).toFixed(1)}%`.padStart(6)}  ${c.detail}`,
    )
  if (d.strongestCorrelations.length > 0) {
    lines.push('', `Gaussian copula: ${d.header.latentDimensions} latent dimensions; strongest correlations:`)
    for (const s of d.strongestCorrelations)
      lines.push(`  ${s.rho >= 0 ? ' ' : ''}${s.rho.toFixed(3)}  ${s.a} ↔ ${s.b}`)
  }
  return lines.join('\n')
}

function fmtBound(x: number, kind: string): string {
  return kind === 'datetime' ? new Date(x).toISOString() : String(x)
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} KB`
}

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name]
  return typeof v === 'string' ? v : undefined
}

function required(ctx: CommandContext, name: string, usageLine: string): string {
  const v = str(ctx, name)
  if (v === undefined || v === '') throw usage(`--${name} is required`, usageLine)
  return v
}

function usage(message: string, usageLine: string): ModelGateError {
  return new ModelGateError('MG_CLI_USAGE', message, { hint: `Usage: ${usageLine}` })
}

function integer(ctx: CommandContext, name: string): number | undefined {
  const v = str(ctx, name)
  if (v === undefined) return undefined
  const n = Number(v.replaceAll('_', ''))
  if (!Number.isSafeInteger(n) || n < 0)
    throw new ModelGateError('MG_CLI_USAGE', `--${name} expects a non-negative integer, got "${v}".`)
  return n
}

function number(ctx: CommandContext, name: string): number | undefined {
  const v = str(ctx, name)
  if (v === undefined) return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new ModelGateError('MG_CLI_USAGE', `--${name} expects a number, got "${v}".`)
  return n
}

/** `--pii email,phone:phone,user_id:id` (repeatable); without a type, it comes from the name, else free_text. */
function parsePii(ctx: CommandContext): Record<string, PiiKind> | undefined {
  const raw = ctx.values.pii
  const items = (Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [])
    .flatMap((s: string) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '')
  if (items.length === 0) return undefined
  const out: Record<string, PiiKind> = {}
  const kinds: readonly string[] = [...PII_TYPES, 'id']
  for (const item of items) {
    const [name, type] = item.split(':') as [string, string | undefined]
    if (type !== undefined && !kinds.includes(type)) {
      throw new ModelGateError('MG_CLI_USAGE', `--pii ${item}: unknown PII type "${type}".`, {
        hint: `Types: ${kinds.join(', ')}.`,
      })
    }
    out[name] = (type as PiiKind | undefined) ?? piiTypeFromName(name) ?? 'free_text'
  }
  return out
}

function parseWhere(ctx: CommandContext): Record<string, WhereValue> | undefined {
  const raw = ctx.values.where
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : []
  if (items.length === 0) return undefined
  const out: Record<string, WhereValue> = {}
  for (const item of items as string[]) {
    const eq = item.indexOf('=')
    if (eq <= 0) {
      throw new ModelGateError('MG_SYNTH_WHERE_INVALID', `--where "${item}" is not col=value.`, {
        hint: 'Example: --where "merchant_category=travel" --where is_fraud=true',
      })
    }
    out[item.slice(0, eq).trim()] = item.slice(eq + 1)
  }
  return out
}

function parseShard(text: string | undefined): { index: number; count: number } | undefined {
  if (text === undefined) return undefined
  const m = /^(\d+)\/(\d+)$/.exec(text.trim())
  if (m === null || Number(m[1]) >= Number(m[2]) || Number(m[2]) < 1) {
    throw new ModelGateError('MG_SYNTH_BAD_OPTION', `--shard "${text}" is not i/n with 0 ≤ i < n.`, {
      hint: 'Example: --shard 0/4 (first of four shards).',
    })
  }
  return { index: Number(m[1]), count: Number(m[2]) }
}

function topCategories(categories: readonly { value: string; p: number }[]): string {
  return categories
    .slice()
    .sort((a, b) => b.p - a.p)
    .slice(0, 3)
    .map((x) => `${x.value} ${(x.p * 100).toFixed(1)}%`)
    .join(', ')
}
