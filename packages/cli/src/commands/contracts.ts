import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { Report, TableSchema } from '@modelgate/core'
import {
  importUserModule,
  loadSchema,
  ModelGateError,
  renderTerminalReport,
  tableSchema,
  writeFileAtomic,
  writeReport,
} from '@modelgate/core'
import type { CommandContext, CommandSpec } from '../Command.js'

// @modelgate/contracts loads the Pact core; it is imported inside each command so that `modelgate --help`
// and other groups never pay for it.
type Contracts = typeof import('@modelgate/contracts')
const contracts = (): Promise<Contracts> => import('@modelgate/contracts')

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.values[name]
  return typeof v === 'string' ? v : undefined
}

function strs(ctx: CommandContext, name: string): string[] {
  const v = ctx.values[name]
  if (v === undefined || typeof v === 'boolean') return []
  return typeof v === 'string' ? [v] : [...v]
}

function flag(ctx: CommandContext, name: string): boolean {
  return ctx.values[name] === true
}

function usage(spec: CommandSpec, message: string): ModelGateError {
  return new ModelGateError('MG_CLI_USAGE', `modelgate ${spec.name}: ${message}`, { hint: `Usage: ${spec.usage}` })
}

function required(spec: CommandSpec, ctx: CommandContext, name: string): string {
  const v = str(ctx, name)
  if (v === undefined || v.trim() === '') throw usage(spec, `--${name} is required.`)
  return v
}

function positiveInt(spec: CommandSpec, ctx: CommandContext, name: string): number | undefined {
  const text = str(ctx, name)
  if (text === undefined) return undefined
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < 1)
    throw usage(spec, `--${name} expects a positive integer, got ${JSON.stringify(text)}.`)
  return n
}

function fraction(spec: CommandSpec, ctx: CommandContext, name: string): number | undefined {
  const text = str(ctx, name)
  if (text === undefined) return undefined
  const n = Number(text)
  if (text.trim() === '' || !(n >= 0 && n <= 1))
    throw usage(spec, `--${name} expects a number between 0 and 1, got ${JSON.stringify(text)}.`)
  return n
}

function headers(spec: CommandSpec, ctx: CommandContext): Record<string, string> {
  const out: Record<string, string> = {}
  for (const h of strs(ctx, 'header')) {
    const i = h.indexOf(':')
    if (i <= 0) throw usage(spec, `--header expects "Name: value", got ${JSON.stringify(h)}.`)
    out[h.slice(0, i).trim()] = h.slice(i + 1).trim()
  }
  return out
}

/** A schema file: JSON as written by `modelgate schema infer`, or a JS/TS module exporting a zod object or a TableSchema. */
async function readSchema(ctx: CommandContext, file: string): Promise<TableSchema> {
  const path = resolve(ctx.cwd, file)
  if (!/\.(m?js|cjs|m?ts)$/.test(file)) return loadSchema(path)
  const mod = await importUserModule(path)
  const candidate = mod.schema ?? mod.default
  const { isZodObject, tableSchemaFromZod } = await contracts()
  if (isZodObject(candidate)) return tableSchemaFromZod(candidate)
  const parsed = tableSchema.safeParse(candidate)
  if (!parsed.success) {
    throw new ModelGateError(
      'MG_SCHEMA_INVALID',
      `Schema module ${file} must export \`schema\` (or a default export): a zod object schema, or a table schema made with defineSchema().`,
      {
        location: { file },
        hint: 'export const schema = z.object({ amount: z.number().min(0), … })',
      },
    )
  }
  return parsed.data
}

/** Rows of a JSON lines / CSV / Parquet file, with datetimes as ISO strings (the JSON a client sends). */
async function readExampleRows(
  ctx: CommandContext,
  file: string,
  schema: TableSchema,
): Promise<Record<string, unknown>[]> {
  const { readPayloads } = await contracts()
  const { tableToRows } = await import('@modelgate/core')
  const rows: Record<string, unknown>[] = []
  for await (const item of await readPayloads(resolve(ctx.cwd, file), { schema, displayName: file })) {
    if ('numRows' in item && 'columns' in item && Array.isArray(item.columns))
      rows.push(...tableToRows(item as Parameters<typeof tableToRows>[0]).map((r) => jsonRow(r, schema)))
    else rows.push(item as Record<string, unknown>)
  }
  return rows
}

function jsonRow(row: Record<string, unknown>, schema: TableSchema): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Date) {
      const format = schema.columns.find((c) => c.name === key)?.format
      out[key] = format === 'date' ? value.toISOString().slice(0, 10) : value.toISOString()
    } else out[key] = value
  }
  return out
}

/** Rows sampled from a synth model file: the CLI wires @modelgate/synth to contracts (they never import each other). */
async function sampleModelRows(
  ctx: CommandContext,
  file: string,
  n: number,
  seed: number,
  schema: TableSchema,
): Promise<Record<string, unknown>[]> {
  const { loadSynthModel } = await import('@modelgate/synth')
  const { tableToRows } = await import('@modelgate/core')
  const model = await loadSynthModel(resolve(ctx.cwd, file))
  return tableToRows(model.sample(n, { seed })).map((r) => jsonRow(r, schema))
}

async function emitReport(ctx: CommandContext, report: Report): Promise<void> {
  const json = str(ctx, 'json-out')
  const junit = str(ctx, 'junit')
  const html = str(ctx, 'html')
  const targets = {
    ...(json !== undefined ? { json: resolve(ctx.cwd, json) } : {}),
    ...(junit !== undefined ? { junit: resolve(ctx.cwd, junit) } : {}),
    ...(html !== undefined ? { html: resolve(ctx.cwd, html) } : {}),
  }
  const written = await writeReport(report, targets)
  if (flag(ctx, 'json')) ctx.out(JSON.stringify(report, null, 2))
  else ctx.out(renderTerminalReport(report, { color: ctx.interactive }))
  for (const file of written) ctx.err(`wrote ${file}`)
}

const reportOptions = {
  json: { type: 'boolean' },
  'json-out': { type: 'string' },
  junit: { type: 'string' },
  html: { type: 'string' },
} as const

const generate: CommandSpec = {
  name: 'contracts generate',
  summary: 'Write Pact v4 contracts for a model endpoint from annotated schemas and realistic examples',
  usage:
    'modelgate contracts generate --request <schema> --response <schema> --consumer <name> --provider <name> [--method POST] [--path /predict] [--examples synthetic.jsonl | --model model.json] [--interactions N] [--seed S] [--feature-log-consumer <name>] [--emit-test [--test-file <path>]] --out pacts/ [--json]',
  options: {
    request: { type: 'string' },
    response: { type: 'string' },
    consumer: { type: 'string' },
    provider: { type: 'string' },
    method: { type: 'string' },
    path: { type: 'string' },
    examples: { type: 'string' },
    model: { type: 'string' },
    rows: { type: 'string' },
    interactions: { type: 'string' },
    seed: { type: 'string' },
    state: { type: 'string' },
    'feature-log-consumer': { type: 'string' },
    'emit-test': { type: 'boolean' },
    'test-file': { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async (ctx) => {
    const spec = generate
    const request = await readSchema(ctx, required(spec, ctx, 'request'))
    const response = await readSchema(ctx, required(spec, ctx, 'response'))
    const consumer = required(spec, ctx, 'consumer')
    const provider = required(spec, ctx, 'provider')
    const out = resolve(ctx.cwd, required(spec, ctx, 'out'))
    const examplesFile = str(ctx, 'examples')
    const modelFile = str(ctx, 'model')
    if (examplesFile !== undefined && modelFile !== undefined)
      throw usage(spec, 'pass either --examples or --model, not both.')
    const seed = positiveInt(spec, ctx, 'seed') ?? 1
    let examples: Record<string, unknown>[] | undefined
    let examplesSource: string | undefined
    if (examplesFile !== undefined) {
      examples = await readExampleRows(ctx, examplesFile, request)
      examplesSource = examplesFile
    } else if (modelFile !== undefined) {
      const n = positiveInt(spec, ctx, 'rows') ?? 500
      examples = await sampleModelRows(ctx, modelFile, n, seed, request)
      examplesSource = `${n} rows sampled from ${modelFile}`
    }
    const interactions = positiveInt(spec, ctx, 'interactions')
    const featureLogConsumer = str(ctx, 'feature-log-consumer')
    const testFile = flag(ctx, 'emit-test')
      ? resolve(ctx.cwd, str(ctx, 'test-file') ?? `${consumer}-${provider}.pact.test.ts`)
      : undefined
    const state = str(ctx, 'state')
    const method = str(ctx, 'method')
    const path = str(ctx, 'path')
    const { generateContracts } = await contracts()
    const result = await generateContracts({
      consumer,
      provider,
      request,
      response,
      outDir: out,
      seed,
      ...(method !== undefined ? { method } : {}),
      ...(path !== undefined ? { path } : {}),
      ...(examples !== undefined ? { examples } : {}),
      ...(examplesSource !== undefined ? { examplesSource } : {}),
      ...(interactions !== undefined ? { interactions } : {}),
      ...(state !== undefined ? { providerState: state } : {}),
      ...(featureLogConsumer !== undefined ? { featureLog: { consumer: featureLogConsumer } } : {}),
      ...(testFile !== undefined ? { emitTest: testFile } : {}),
      onProgress: (p) => {
        if (ctx.interactive) ctx.err(`  [${p.done}/${p.total}] ${p.label}`)
      },
    })
    for (const warning of result.warnings) ctx.err(`warn ${warning}`)
    if (flag(ctx, 'json')) {
      ctx.out(JSON.stringify(result, null, 2))
      return 0
    }
    const lines = [`wrote ${result.pactFile} (${result.interactions.length} interactions, Pact specification v4)`]
    for (const i of result.interactions) lines.push(`  - ${i.description}`)
    if (result.messagePactFile !== undefined) lines.push(`wrote ${result.messagePactFile} (feature-log message pact)`)
    if (result.testFile !== undefined) lines.push(`wrote ${result.testFile} (vitest consumer test)`)
    if (result.uncovered.length > 0) lines.push(`not covered (raise --interactions): ${result.uncovered.join(', ')}`)
    if (result.unenforcedBounds.length > 0) {
      lines.push(
        `bounds Pact cannot express exactly (check them with \`modelgate contracts check\`): ${result.unenforcedBounds.join(', ')}`,
      )
    }
    ctx.out(lines.join('\n'))
    return 0
  },
}

async function loadStateHandlers(ctx: CommandContext, file: string): Promise<Record<string, () => Promise<undefined>>> {
  const mod = await importUserModule(resolve(ctx.cwd, file))
  const handlers = mod.stateHandlers ?? mod.default
  const valid =
    typeof handlers === 'object' &&
    handlers !== null &&
    Object.values(handlers).every(
      (h) => typeof h === 'function' || (typeof h === 'object' && h !== null && ('setup' in h || 'teardown' in h)),
    )
  if (!valid) {
    throw new ModelGateError(
      'MG_CONTRACTS_STATE_HANDLERS_INVALID',
      `State handlers module ${file} must export \`stateHandlers\`: an object of provider state name → async function.`,
      {
        location: { file },
        hint: "export const stateHandlers = { 'the model is loaded': async () => undefined }",
      },
    )
  }
  return handlers as Record<string, () => Promise<undefined>>
}

const verify: CommandSpec = {
  name: 'contracts verify',
  summary: 'Verify a running provider against pacts (files or a broker) with the Pact verifier',
  usage:
    'modelgate contracts verify --provider-base-url <url> (--pact <file>… | --broker-url <url> --provider <name> [--consumer-version-selector <json>]… [--include-pending] [--include-wip-since <date>]) [--provider-version v [--provider-branch b] --publish-results] [--state-handlers <module>] [--header "Authorization: Bearer …"]… [--json] [--junit <file>] [--html <file>]',
  options: {
    'provider-base-url': { type: 'string' },
    pact: { type: 'string', multiple: true },
    'broker-url': { type: 'string' },
    provider: { type: 'string' },
    'consumer-version-selector': { type: 'string', multiple: true },
    'include-pending': { type: 'boolean' },
    'include-wip-since': { type: 'string' },
    'provider-version': { type: 'string' },
    'provider-branch': { type: 'string' },
    'publish-results': { type: 'boolean' },
    'state-handlers': { type: 'string' },
    header: { type: 'string', multiple: true },
    ...reportOptions,
  },
  run: async (ctx) => {
    const spec = verify
    const selectors = strs(ctx, 'consumer-version-selector').map((text) => {
      try {
        const value = JSON.parse(text) as unknown
        if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object')
        return value as Record<string, unknown>
      } catch {
        throw usage(
          spec,
          `--consumer-version-selector expects a JSON object such as '{"mainBranch":true}', got ${JSON.stringify(text)}.`,
        )
      }
    })
    const stateHandlersFile = str(ctx, 'state-handlers')
    const stateHandlers = stateHandlersFile !== undefined ? await loadStateHandlers(ctx, stateHandlersFile) : undefined
    const brokerUrl = str(ctx, 'broker-url') ?? process.env.PACT_BROKER_BASE_URL
    const pacts = strs(ctx, 'pact').map((p) => resolve(ctx.cwd, p))
    const provider = str(ctx, 'provider')
    const providerVersion = str(ctx, 'provider-version')
    const providerBranch = str(ctx, 'provider-branch')
    const wip = str(ctx, 'include-wip-since')
    const hdrs = headers(spec, ctx)
    const env = process.env
    const { verifyProvider } = await contracts()
    const result = await verifyProvider({
      providerBaseUrl: required(spec, ctx, 'provider-base-url'),
      ...(pacts.length > 0 ? { pactFiles: pacts } : {}),
      ...(pacts.length === 0 && brokerUrl !== undefined ? { brokerUrl } : {}),
      ...(provider !== undefined ? { provider } : {}),
      ...(env.PACT_BROKER_TOKEN !== undefined ? { brokerToken: env.PACT_BROKER_TOKEN } : {}),
      ...(env.PACT_BROKER_USERNAME !== undefined ? { brokerUsername: env.PACT_BROKER_USERNAME } : {}),
      ...(env.PACT_BROKER_PASSWORD !== undefined ? { brokerPassword: env.PACT_BROKER_PASSWORD } : {}),
      ...(selectors.length > 0 ? { consumerVersionSelectors: selectors } : {}),
      ...(flag(ctx, 'include-pending') ? { enablePending: true } : {}),
      ...(wip !== undefined ? { includeWipPactsSince: wip } : {}),
      ...(providerVersion !== undefined ? { providerVersion } : {}),
      ...(providerBranch !== undefined ? { providerVersionBranch: providerBranch } : {}),
      ...(flag(ctx, 'publish-results') ? { publishVerificationResult: true } : {}),
      ...(Object.keys(hdrs).length > 0 ? { headers: hdrs } : {}),
      ...(stateHandlers !== undefined ? { stateHandlers } : {}),
    })
    await emitReport(ctx, result.report)
    if (!result.passed && !flag(ctx, 'json')) ctx.err(result.output)
    return result.passed ? 0 : 1
  },
}

const brokerAuth = (): { brokerToken?: string; brokerUsername?: string; brokerPassword?: string } => {
  const env = process.env
  return {
    ...(env.PACT_BROKER_TOKEN !== undefined ? { brokerToken: env.PACT_BROKER_TOKEN } : {}),
    ...(env.PACT_BROKER_USERNAME !== undefined ? { brokerUsername: env.PACT_BROKER_USERNAME } : {}),
    ...(env.PACT_BROKER_PASSWORD !== undefined ? { brokerPassword: env.PACT_BROKER_PASSWORD } : {}),
  }
}

function brokerUrlOf(spec: CommandSpec, ctx: CommandContext): string {
  const url = str(ctx, 'broker-url') ?? process.env.PACT_BROKER_BASE_URL
  if (url === undefined) throw usage(spec, '--broker-url is required (or set PACT_BROKER_BASE_URL).')
  return url
}

const publish: CommandSpec = {
  name: 'contracts publish',
  summary: 'Publish pact files to a Pact broker (official Pact CLI)',
  usage:
    'modelgate contracts publish <pacts/ or files…> --broker-url <url> --consumer-version <v> [--branch <b>] [--tag <t>]… [--build-url <url>] [--merge]   (credentials: PACT_BROKER_TOKEN or PACT_BROKER_USERNAME/PASSWORD)',
  allowPositionals: true,
  options: {
    'broker-url': { type: 'string' },
    'consumer-version': { type: 'string' },
    branch: { type: 'string' },
    tag: { type: 'string', multiple: true },
    'build-url': { type: 'string' },
    merge: { type: 'boolean' },
  },
  run: async (ctx) => {
    const spec = publish
    if (ctx.positionals.length === 0) throw usage(spec, 'give the pact files or directories to publish.')
    const branch = str(ctx, 'branch')
    const buildUrl = str(ctx, 'build-url')
    const tags = strs(ctx, 'tag')
    const { publishPacts } = await contracts()
    const result = await publishPacts({
      brokerUrl: brokerUrlOf(spec, ctx),
      pacts: ctx.positionals.map((p) => resolve(ctx.cwd, p)),
      consumerVersion: required(spec, ctx, 'consumer-version'),
      ...(branch !== undefined ? { branch } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(buildUrl !== undefined ? { buildUrl } : {}),
      ...(flag(ctx, 'merge') ? { merge: true } : {}),
      ...brokerAuth(),
    })
    ctx.out(
      `published ${result.files.length} pact file${result.files.length === 1 ? '' : 's'}:\n${result.files.map((f) => `  - ${f}`).join('\n')}`,
    )
    if (result.output !== '') ctx.err(result.output)
    return 0
  },
}

const canIDeployCommand: CommandSpec = {
  name: 'contracts can-i-deploy',
  summary: 'Ask the Pact broker whether versions can be deployed (official Pact CLI); exit 1 when not',
  usage:
    'modelgate contracts can-i-deploy --pacticipant <name> (--version <v> | --latest) [--pacticipant <name> --version <v>]… [--to-environment <env>] --broker-url <url> [--json]',
  options: {
    'broker-url': { type: 'string' },
    pacticipant: { type: 'string', multiple: true },
    version: { type: 'string', multiple: true },
    latest: { type: 'boolean' },
    'to-environment': { type: 'string' },
    'retry-while-unknown': { type: 'string' },
    'retry-interval': { type: 'string' },
    json: { type: 'boolean' },
  },
  run: async (ctx) => {
    const spec = canIDeployCommand
    const names = strs(ctx, 'pacticipant')
    const versions = strs(ctx, 'version')
    if (names.length === 0) throw usage(spec, '--pacticipant is required.')
    if (!flag(ctx, 'latest') && versions.length !== names.length) {
      throw usage(
        spec,
        `give one --version per --pacticipant (got ${names.length} pacticipants and ${versions.length} versions), or --latest.`,
      )
    }
    const environment = str(ctx, 'to-environment')
    const retries = positiveInt(spec, ctx, 'retry-while-unknown')
    const interval = positiveInt(spec, ctx, 'retry-interval')
    const { canIDeploy } = await contracts()
    const result = await canIDeploy({
      brokerUrl: brokerUrlOf(spec, ctx),
      pacticipants: names.map((name, i) => {
        const version = versions[i]
        return { name, ...(version !== undefined ? { version } : { latest: true }) }
      }),
      ...(environment !== undefined ? { toEnvironment: environment } : {}),
      ...(retries !== undefined ? { retryWhileUnknown: retries } : {}),
      ...(interval !== undefined ? { retryIntervalSeconds: interval } : {}),
      ...brokerAuth(),
    })
    if (flag(ctx, 'json')) ctx.out(JSON.stringify(result, null, 2))
    else {
      const lines = [result.deployable ? `can deploy: yes — ${result.reason}` : `can deploy: NO — ${result.reason}`]
      for (const row of result.matrix) {
        const verdict = row.success === undefined ? 'not verified' : row.success ? 'verified' : 'FAILED'
        lines.push(`  ${row.consumer} ${row.consumerVersion} → ${row.provider} ${row.providerVersion}: ${verdict}`)
      }
      ctx.out(lines.join('\n'))
    }
    return result.deployable ? 0 : 1
  },
}

const expect: CommandSpec = {
  name: 'contracts expect',
  summary: 'Derive per-feature distribution expectations (null rates, categories, quantile bands) to edit and check',
  usage:
    'modelgate contracts expect --profile <schema.json | model.json> [--schema <schema.json>] [--sample-data <payloads.jsonl|csv|parquet> | --rows N] [--null-slack 0.04] [--band-width 0.1] --out expectations.json',
  options: {
    profile: { type: 'string' },
    schema: { type: 'string' },
    'sample-data': { type: 'string' },
    rows: { type: 'string' },
    seed: { type: 'string' },
    'null-slack': { type: 'string' },
    'band-width': { type: 'string' },
    out: { type: 'string' },
  },
  run: async (ctx) => {
    const spec = expect
    const profile = required(spec, ctx, 'profile')
    const out = resolve(ctx.cwd, required(spec, ctx, 'out'))
    const sampleFile = str(ctx, 'sample-data')
    let profileJson: unknown
    try {
      profileJson = JSON.parse(await readFile(resolve(ctx.cwd, profile), 'utf8'))
    } catch (cause) {
      throw new ModelGateError(
        'MG_CLI_USAGE',
        `Profile ${profile} cannot be read as JSON: ${(cause as Error).message}`,
        { cause, location: { file: profile } },
      )
    }
    // A synth model file says `"format": "modelgate-synth"`; anything else must be a schema (loadSchema says why not).
    const isSchema = (profileJson as { format?: unknown } | null)?.format !== 'modelgate-synth'
    const { deriveExpectations, readPayloads } = await contracts()
    let schema: TableSchema
    let sample: Awaited<ReturnType<Contracts['readPayloads']>> | Record<string, unknown>[] | undefined
    let sampleSource: string | undefined
    if (isSchema) {
      schema = await readSchema(ctx, profile)
      if (sampleFile !== undefined) {
        sample = await readPayloads(resolve(ctx.cwd, sampleFile), { schema, displayName: sampleFile })
        sampleSource = sampleFile
      }
    } else {
      // A synth model file: its samples stand in for healthy traffic; the schema gives fields and nullability.
      const schemaFile = str(ctx, 'schema')
      if (schemaFile === undefined)
        throw usage(spec, `${profile} is a synth model, so --schema <schema.json> is required too.`)
      schema = await readSchema(ctx, schemaFile)
      const n = positiveInt(spec, ctx, 'rows') ?? 5000
      sample = await sampleModelRows(ctx, profile, n, positiveInt(spec, ctx, 'seed') ?? 1, schema)
      sampleSource = `${n} rows sampled from ${profile}`
    }
    const slack = fraction(spec, ctx, 'null-slack')
    const band = fraction(spec, ctx, 'band-width')
    const expectations = await deriveExpectations({
      schema,
      schemaSource: isSchema ? profile : (str(ctx, 'schema') as string),
      ...(sample !== undefined ? { sample } : {}),
      ...(sampleSource !== undefined ? { sampleSource } : {}),
      ...(slack !== undefined ? { nullRateSlack: slack } : {}),
      ...(band !== undefined ? { bandWidth: band } : {}),
    })
    await writeFileAtomic(out, `${JSON.stringify(expectations, null, 2)}\n`)
    const bounded = expectations.features.filter((f) => f.maxNullRate !== undefined).length
    const banded = expectations.features.filter((f) => f.quantiles !== undefined).length
    ctx.out(
      `wrote ${out}: ${expectations.features.length} features (${bounded} null-rate bounds, ${banded} with quantile bands) from ${(expectations.derivedFrom?.rows ?? 0).toLocaleString('en-US')} payloads`,
    )
    return 0
  },
}

const check: CommandSpec = {
  name: 'contracts check',
  summary: 'Check a sample of payloads against distribution expectations; exit 1 on a broken expectation',
  usage:
    'modelgate contracts check --expectations expectations.json --sample <payloads.jsonl|csv|parquet> [--json] [--json-out <file>] [--junit <file>] [--html <file>]',
  options: {
    expectations: { type: 'string' },
    sample: { type: 'string' },
    ...reportOptions,
  },
  run: async (ctx) => {
    const spec = check
    const expectationsFile = required(spec, ctx, 'expectations')
    const sampleFile = required(spec, ctx, 'sample')
    const { checkExpectations, loadExpectations, readPayloads } = await contracts()
    const expectations = await loadExpectations(resolve(ctx.cwd, expectationsFile))
    const schema: TableSchema = {
      version: 1,
      // Kinds only: unknown categories must reach the check, not fail the reader.
      columns: expectations.features.map((f) => ({ name: f.name, kind: f.kind, nullable: true })),
    }
    const report = await checkExpectations(
      expectations,
      await readPayloads(resolve(ctx.cwd, sampleFile), { schema, displayName: sampleFile }),
      {
        source: sampleFile,
      },
    )
    await emitReport(ctx, report)
    return report.verdict === 'fail' ? 1 : 0
  },
}

export const commands: readonly CommandSpec[] = [generate, verify, publish, canIDeployCommand, expect, check]
