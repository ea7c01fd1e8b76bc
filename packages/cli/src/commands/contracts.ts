import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import type { PayloadRow } from '@modelgate/contracts'
import type { TableSchema } from '@modelgate/core'
import { ModelGateError, writeFileAtomic } from '@modelgate/core'
import type { SynthModelSchema } from '@modelgate/synth'
import type { CommandSpec } from '../Command.js'
import { emitReport, REPORT_OPTIONS, REPORT_USAGE } from '../emitReport.js'
import type { FileArg, OptionReader } from '../options.js'
import { readOptions } from '../options.js'

// @modelgate/contracts loads the Pact core; it is imported inside each command so that `modelgate --help`
// and other groups never pay for it.
type Contracts = typeof import('@modelgate/contracts')
const contracts = (): Promise<Contracts> => import('@modelgate/contracts')

const schemaOf = async (file: FileArg): Promise<TableSchema> =>
  (await contracts()).loadContractSchema(file.path, { displayName: file.name })

/** Rows sampled from a synth model file: the CLI wires @modelgate/synth to contracts (they never import each other). */
async function sampleModelRows(file: FileArg, n: number, seed: number, schema: TableSchema): Promise<PayloadRow[]> {
  const { sampleSynthModel } = await import('@modelgate/synth')
  const { tableToPayloadRows } = await contracts()
  return tableToPayloadRows(await sampleSynthModel(file.path, n, { seed }), schema)
}

/** Broker credentials from the Pact ecosystem's own variables. */
function brokerAuth(): { brokerToken?: string; brokerUsername?: string; brokerPassword?: string } {
  const env = process.env
  return {
    ...(env.PACT_BROKER_TOKEN === undefined ? {} : { brokerToken: env.PACT_BROKER_TOKEN }),
    ...(env.PACT_BROKER_USERNAME === undefined ? {} : { brokerUsername: env.PACT_BROKER_USERNAME }),
    ...(env.PACT_BROKER_PASSWORD === undefined ? {} : { brokerPassword: env.PACT_BROKER_PASSWORD }),
  }
}

function brokerUrl(read: OptionReader): string {
  const url = read.string('broker-url') ?? process.env.PACT_BROKER_BASE_URL
  if (url === undefined) throw read.usage('--broker-url is required (or set PACT_BROKER_BASE_URL).')
  return url
}

const generate: CommandSpec = {
  name: 'contracts generate',
  summary: 'Write Pact v4 contracts for a model endpoint from annotated schemas and realistic examples',
  usage:
    'modelgate contracts generate --request <schema> --response <schema> --consumer <name> --provider <name> [--method POST] [--path /predict] [--examples synthetic.jsonl | --model model.json [--rows 500]] [--interactions N] [--seed S] [--state <name>] [--feature-log-consumer <name>] [--emit-test [--test-file <path>]] --out pacts/ [--json]',
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
    const read = readOptions(ctx)
    const request = await schemaOf(read.file('request', { required: true }))
    const response = await schemaOf(read.file('response', { required: true }))
    const consumer = read.string('consumer', { required: true })
    const provider = read.string('provider', { required: true })
    const out = read.file('out', { required: true })
    const examplesFile = read.file('examples')
    const modelFile = read.file('model')
    if (examplesFile !== undefined && modelFile !== undefined)
      throw read.usage('pass either --examples or --model, not both.')
    const seed = read.int('seed') ?? 1
    const rows = read.positiveInt('rows') ?? 500
    const interactions = read.positiveInt('interactions')
    const featureLogConsumer = read.string('feature-log-consumer')
    const testFile = read.flag('emit-test')
      ? (read.file('test-file')?.path ?? resolve(ctx.cwd, `${consumer}-${provider}.pact.test.ts`))
      : undefined
    const state = read.string('state')
    const method = read.string('method')
    const path = read.string('path')
    const { generateContracts, readPayloadRows } = await contracts()
    const examples =
      examplesFile !== undefined
        ? {
            examples: await readPayloadRows(examplesFile.path, request, { displayName: examplesFile.name }),
            examplesSource: examplesFile.name,
          }
        : modelFile !== undefined
          ? {
              examples: await sampleModelRows(modelFile, rows, seed, request),
              examplesSource: `${rows} rows sampled from ${modelFile.name}`,
            }
          : {}
    const result = await generateContracts({
      consumer,
      provider,
      request,
      response,
      outDir: out.path,
      seed,
      ...examples,
      ...(method === undefined ? {} : { method }),
      ...(path === undefined ? {} : { path }),
      ...(interactions === undefined ? {} : { interactions }),
      ...(state === undefined ? {} : { providerState: state }),
      ...(featureLogConsumer === undefined ? {} : { featureLog: { consumer: featureLogConsumer } }),
      ...(testFile === undefined ? {} : { emitTest: testFile }),
      onProgress: (p) => {
        if (ctx.interactive) ctx.err(`  [${p.done}/${p.total}] ${p.label}`)
      },
    })
    for (const warning of result.warnings) ctx.err(`warn ${warning}`)
    if (read.flag('json')) {
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

const verify: CommandSpec = {
  name: 'contracts verify',
  summary: 'Verify a running provider against pacts (files or a broker) with the Pact verifier',
  usage: `modelgate contracts verify --provider-base-url <url> (--pact <file>… | --broker-url <url> --provider <name> [--consumer-version-selector <json>]… [--include-pending] [--include-wip-since <date>]) [--provider-version v [--provider-branch b] --publish-results] [--state-handlers <module>] [--header "Authorization: Bearer …"]… [--timeout 10s] [--deadline 10m] ${REPORT_USAGE}`,
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
    timeout: { type: 'string' },
    deadline: { type: 'string' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const timeoutMs = read.duration('timeout')
    const deadlineMs = read.duration('deadline')
    const selectors = read.all('consumer-version-selector').map((text) => {
      const value = parseJson(text)
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw read.usage(
          `--consumer-version-selector expects a JSON object such as '{"mainBranch":true}', got ${JSON.stringify(text)}.`,
        )
      return value as Record<string, unknown>
    })
    const providerBaseUrl = read.string('provider-base-url', { required: true })
    const pacts = read.files('pact').map((f) => f.path)
    const broker = pacts.length === 0 ? (read.string('broker-url') ?? process.env.PACT_BROKER_BASE_URL) : undefined
    const provider = read.string('provider')
    const providerVersion = read.string('provider-version')
    const providerBranch = read.string('provider-branch')
    const wip = read.string('include-wip-since')
    const hdrs = read.headers('header') ?? {}
    const { loadStateHandlers, verifyProvider } = await contracts()
    const handlersFile = read.file('state-handlers')
    const stateHandlers =
      handlersFile === undefined
        ? undefined
        : await loadStateHandlers(handlersFile.path, { displayName: handlersFile.name })
    const result = await verifyProvider({
      providerBaseUrl,
      ...(pacts.length > 0 ? { pactFiles: pacts } : {}),
      ...(broker === undefined ? {} : { brokerUrl: broker }),
      ...(provider === undefined ? {} : { provider }),
      ...brokerAuth(),
      ...(selectors.length > 0 ? { consumerVersionSelectors: selectors } : {}),
      ...(read.flag('include-pending') ? { enablePending: true } : {}),
      ...(wip === undefined ? {} : { includeWipPactsSince: wip }),
      ...(providerVersion === undefined ? {} : { providerVersion }),
      ...(providerBranch === undefined ? {} : { providerVersionBranch: providerBranch }),
      ...(read.flag('publish-results') ? { publishVerificationResult: true } : {}),
      ...(Object.keys(hdrs).length > 0 ? { headers: hdrs } : {}),
      ...(stateHandlers === undefined ? {} : { stateHandlers }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(deadlineMs === undefined ? {} : { deadlineMs }),
    })
    if (!result.passed) ctx.err(result.output)
    return emitReport(ctx, result.report)
  },
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
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
    const read = readOptions(ctx)
    if (ctx.positionals.length === 0) throw read.usage('give the pact files or directories to publish.')
    const branch = read.string('branch')
    const buildUrl = read.string('build-url')
    const tags = read.list('tag') ?? []
    const { publishPacts } = await contracts()
    const result = await publishPacts({
      brokerUrl: brokerUrl(read),
      pacts: ctx.positionals.map((p) => resolve(ctx.cwd, p)),
      consumerVersion: read.string('consumer-version', { required: true }),
      ...(branch === undefined ? {} : { branch }),
      ...(tags.length > 0 ? { tags } : {}),
      ...(buildUrl === undefined ? {} : { buildUrl }),
      ...(read.flag('merge') ? { merge: true } : {}),
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
    'modelgate contracts can-i-deploy --pacticipant <name> (--version <v> | --latest) [--pacticipant <name> --version <v>]… [--to-environment <env>] [--retry-while-unknown N] [--retry-interval S] --broker-url <url> [--json]',
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
    const read = readOptions(ctx)
    const names = read.list('pacticipant') ?? []
    const versions = read.list('version') ?? []
    if (names.length === 0) throw read.usage('--pacticipant is required.')
    if (!read.flag('latest') && versions.length !== names.length) {
      throw read.usage(
        `give one --version per --pacticipant (got ${names.length} pacticipants and ${versions.length} versions), or --latest.`,
      )
    }
    const environment = read.string('to-environment')
    const retries = read.positiveInt('retry-while-unknown')
    const interval = read.positiveInt('retry-interval')
    const { canIDeploy } = await contracts()
    const result = await canIDeploy({
      brokerUrl: brokerUrl(read),
      pacticipants: names.map((name, i) => {
        const version = versions[i]
        return { name, ...(version === undefined ? { latest: true } : { version }) }
      }),
      ...(environment === undefined ? {} : { toEnvironment: environment }),
      ...(retries === undefined ? {} : { retryWhileUnknown: retries }),
      ...(interval === undefined ? {} : { retryIntervalSeconds: interval }),
      ...brokerAuth(),
    })
    if (read.flag('json')) ctx.out(JSON.stringify(result, null, 2))
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
    'modelgate contracts expect --profile <schema.json | model.json> [--schema <schema.json> (optional with a model)] [--sample-data <payloads.jsonl|csv|parquet> | --rows N [--seed S]] [--null-slack 0.04] [--band-width 0.1] --out expectations.json',
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
    const read = readOptions(ctx)
    const profile = read.file('profile', { required: true })
    const out = read.file('out', { required: true })
    const sampleFile = read.file('sample-data')
    const slack = read.probability('null-slack')
    const band = read.probability('band-width')
    const { deriveExpectations, readPayloads } = await contracts()
    // A synth model file stands in for healthy traffic (its samples) and knows every column's kind and stored
    // categories; a schema, when given, is the authority on fields and nullability.
    const model = (await isSynthModel(profile)) ? profile : undefined
    const schemaFile = model === undefined ? profile : read.file('schema')
    const implied = model === undefined ? undefined : await modelSchemaOf(model)
    const schema = schemaFile === undefined ? (implied as SynthModelSchema).schema : await schemaOf(schemaFile)
    const rows = read.positiveInt('rows') ?? 5000
    const sample =
      model !== undefined
        ? {
            sample: await sampleModelRows(model, rows, read.int('seed') ?? 1, schema),
            sampleSource: `${rows} rows sampled from ${model.name}`,
          }
        : sampleFile !== undefined
          ? {
              sample: await readPayloads(sampleFile.path, { schema, displayName: sampleFile.name }),
              sampleSource: sampleFile.name,
            }
          : {}
    const expectations = await deriveExpectations({
      schema,
      schemaSource: (schemaFile ?? profile).name,
      ...sample,
      ...(implied === undefined
        ? {}
        : { knownCategories: implied.categories, effectiveRows: Math.max(1, implied.trainingRows) }),
      ...(slack === undefined ? {} : { nullRateSlack: slack }),
      ...(band === undefined ? {} : { bandWidth: band }),
    })
    await writeFileAtomic(out.path, `${JSON.stringify(expectations, null, 2)}\n`)
    const bounded = expectations.features.filter((f) => f.maxNullRate !== undefined).length
    const banded = expectations.features.filter((f) => f.quantiles !== undefined).length
    ctx.out(
      `wrote ${out.path}: ${expectations.features.length} features (${bounded} null-rate bounds, ${banded} with quantile bands) from ${(expectations.derivedFrom?.rows ?? 0).toLocaleString('en-US')} payloads`,
    )
    return 0
  },
}

/** The schema and stored categories a synth model file implies (the CLI wires synth to contracts). */
async function modelSchemaOf(file: FileArg): Promise<SynthModelSchema> {
  const { parseSynthModelFile, synthModelSchema } = await import('@modelgate/synth')
  return synthModelSchema(parseSynthModelFile(JSON.parse(await readFile(file.path, 'utf8')), file.name))
}

/** A synth model file says `"format": "modelgate-synth"`; anything else must be a schema (its loader says why not). */
async function isSynthModel(file: FileArg): Promise<boolean> {
  if (!file.name.toLowerCase().endsWith('.json')) return false
  try {
    return (JSON.parse(await readFile(file.path, 'utf8')) as { format?: unknown } | null)?.format === 'modelgate-synth'
  } catch (cause) {
    throw new ModelGateError(
      'MG_SCHEMA_INVALID_JSON',
      `${file.name} cannot be read as JSON: ${(cause as Error).message}`,
      {
        cause,
        location: { file: file.name },
      },
    )
  }
}

const check: CommandSpec = {
  name: 'contracts check',
  summary: 'Check a sample of payloads against distribution expectations; exit 1 on a broken expectation',
  usage: `modelgate contracts check --expectations expectations.json --sample <payloads.jsonl|csv|parquet> ${REPORT_USAGE}`,
  options: {
    expectations: { type: 'string' },
    sample: { type: 'string' },
    ...REPORT_OPTIONS,
  },
  run: async (ctx) => {
    const read = readOptions(ctx)
    const expectationsFile = read.file('expectations', { required: true })
    const sample = read.file('sample', { required: true })
    const { checkPayloadFile, loadExpectations } = await contracts()
    const expectations = await loadExpectations(expectationsFile.path)
    return emitReport(ctx, await checkPayloadFile(expectations, sample.path, { displayName: sample.name }))
  },
}

export const commands: readonly CommandSpec[] = [generate, verify, publish, canIDeployCommand, expect, check]
