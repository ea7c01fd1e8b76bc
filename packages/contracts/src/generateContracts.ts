import path from 'node:path'
import type { TableSchema } from '@modelgate/core'
import { createRandom, redactText, withAtomicDirectory, writeFileAtomic } from '@modelgate/core'
import { ContractsError } from './errors.js'
import { checkGenerateOptions } from './internal/arguments.js'
import type { EmittedInteraction } from './internal/emitConsumerTest.js'
import { emitConsumerTest } from './internal/emitConsumerTest.js'
import { guardExamples } from './internal/guardExamples.js'
import { loadPact } from './internal/loadPact.js'
import type { PathRule } from './internal/matchers.js'
import { matchBody } from './internal/matchers.js'
import { mockServerPort } from './internal/mockServerPort.js'
import { postJson } from './internal/postJson.js'
import { selectExamples } from './internal/selectExamples.js'
import { schemaValue } from './internal/synthetic.js'
import { validateExamples } from './internal/validateExample.js'
import type { GenerateContractsOptions, GenerateContractsResult, GeneratedInteraction } from './types.js'

/** Provider state of every generated interaction, unless overridden. */
export const DEFAULT_PROVIDER_STATE = 'the model is loaded'
/** Description of the feature-log message interaction, unless overridden. */
export const DEFAULT_FEATURE_LOG_DESCRIPTION = 'a feature-log event for a scored payload'
const MAX_DESCRIPTION = 180

function checkSchema(schema: TableSchema, role: string): void {
  const names = new Set<string>()
  for (const column of schema.columns) {
    if (names.has(column.name)) {
      throw new ContractsError(
        'MG_CONTRACTS_SCHEMA_INVALID',
        `The ${role} schema declares column "${column.name}" twice.`,
        {
          hint: 'column names of a payload schema must be unique',
        },
      )
    }
    names.add(column.name)
  }
}

function describe(kind: 'typical' | 'coverage', covers: readonly string[], index: number): string {
  if (kind === 'typical') return `a typical feature payload (#${index})`
  let text = `a feature payload with ${covers.join(', ')}`
  if (text.length > MAX_DESCRIPTION) {
    let shown = 0
    let cut = 'a feature payload with '
    while (shown < covers.length && cut.length + (covers[shown] as string).length < MAX_DESCRIPTION - 20) {
      cut += `${shown > 0 ? ', ' : ''}${covers[shown]}`
      shown++
    }
    text = `${cut} (+${covers.length - shown} more)`
  }
  return `${text} (#${index})`
}

const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10))

/**
 * Runs one interaction through the Pact core; retries (twice) only the core's bookkeeping race, where our
 * request was answered 200 yet reported "expected but not received". Any other rejection is final.
 */
async function recordWithRetry(record: () => Promise<void>, description: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await record()
      return
    } catch (cause) {
      // our own failures (no mock server port) keep their code
      if (cause instanceof ContractsError) throw cause
      const message = cause instanceof Error ? cause.message : String(cause)
      if (attempt < 3 && message.includes('expected but not received')) continue
      throw new ContractsError(
        'MG_CONTRACTS_PACT_WRITE_FAILED',
        `The Pact core rejected interaction "${description}": ${message}`,
        {
          cause,
          hint: 'this usually means a schema annotation produced a matcher the example does not satisfy',
        },
      )
    }
  }
}

const rulesOf = (rules: readonly PathRule[]): { body: { path: string; rules: never[] }[] } => ({
  body: rules.map((r) => ({ path: r.path, rules: [...r.rules] as never[] })),
})

/**
 * Writes a Pact specification v4 file for a model endpoint, through the real Pact core: one interaction
 * per chosen example, with matchers derived from the annotated schemas. Optionally also a message pact for
 * the feature-log event and a ready vitest consumer test. Output appears whole or not at all.
 */
export async function generateContracts(options: GenerateContractsOptions): Promise<GenerateContractsResult> {
  checkGenerateOptions(options)
  const method = (options.method ?? 'POST').toUpperCase()
  const urlPath = options.path ?? '/predict'
  const state = options.providerState ?? DEFAULT_PROVIDER_STATE
  const rng = createRandom(options.seed ?? 1)
  const k = options.k ?? 5
  if (options.interactions !== undefined && (!Number.isInteger(options.interactions) || options.interactions < 1)) {
    throw new ContractsError(
      'MG_CONTRACTS_USAGE',
      `interactions must be a positive integer, got ${options.interactions}.`,
    )
  }
  for (const [role, name] of [
    ['consumer', options.consumer],
    ['provider', options.provider],
    ['feature-log consumer', options.featureLog?.consumer],
  ] as const) {
    if (name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._ -]*$/.test(name)) {
      throw new ContractsError(
        'MG_CONTRACTS_USAGE',
        `The ${role} name ${JSON.stringify(name)} cannot name a pact file.`,
        {
          hint: 'use letters, digits, dots, dashes, underscores and spaces, e.g. checkout-web',
        },
      )
    }
  }
  checkSchema(options.request, 'request')
  checkSchema(options.response, 'response')
  validateExamples(options.request, options.examples ?? [], options.examplesSource ?? 'examples')
  // Untagged PII and values marking repeated entities in the examples never reach a contract.
  const guarded = guardExamples(options.request, options.examples ?? [], rng.fork('guard examples'))
  const request = guarded.schema
  const examples = guarded.examples
  const { MatchersV3, PactV4 } = await loadPact('Generating Pact contracts (generateContracts)')

  const selection = selectExamples(request, examples, {
    rng,
    k,
    ...(options.interactions !== undefined ? { interactions: options.interactions } : {}),
  })
  const responseRow = Object.fromEntries(
    options.response.columns.map((c) => {
      if ((c.kind === 'numeric' || c.kind === 'integer') && typeof c.min === 'number' && typeof c.max === 'number') {
        const mid = (c.min + c.max) / 2
        return [c.name, c.kind === 'integer' ? Math.round(mid) : mid]
      }
      return [c.name, schemaValue(c, rng)]
    }),
  )
  const response = matchBody(MatchersV3, options.response, responseRow)
  const unenforced = new Set<string>(response.unenforcedBounds)

  const interactions: GeneratedInteraction[] = []
  const emitted: EmittedInteraction[] = []
  const total = selection.examples.length + (options.featureLog !== undefined ? 1 : 0)
  const pactName = `${options.consumer}-${options.provider}.json`
  const messageName =
    options.featureLog !== undefined ? `${options.featureLog.consumer}-${options.provider}.json` : undefined

  await withAtomicDirectory(options.outDir, async (tmpDir) => {
    let typicalIndex = 0
    let coverageIndex = 0
    for (const example of selection.examples) {
      const index = example.kind === 'typical' ? ++typicalIndex : ++coverageIndex
      const description = describe(example.kind, example.covers, index)
      const body = matchBody(MatchersV3, request, example.row)
      for (const f of body.unenforcedBounds) unenforced.add(f)
      // One PactV4 per interaction: a mock server serves every interaction of its pact, and examples of the
      // same schema satisfy each other's matchers, so a shared pact would let the mock server match a request
      // to an earlier interaction. The Pact core merges each interaction into the same file.
      const record = async (): Promise<void> => {
        const pact = new PactV4({
          consumer: options.consumer,
          provider: options.provider,
          dir: tmpDir,
          logLevel: 'error',
          port: await mockServerPort(),
        })
        await pact
          .addInteraction()
          .given(state)
          .uponReceiving(description)
          .withRequest(method, urlPath, (builder) => {
            builder.headers({ 'Content-Type': 'application/json' }).jsonBody(body.body)
            if (body.rules.length > 0) builder.matchingRules(rulesOf(body.rules))
          })
          .willRespondWith(200, (builder) => {
            builder
              .headers({ 'Content-Type': MatchersV3.regex('application/json.*', 'application/json') })
              .jsonBody(response.body)
            if (response.rules.length > 0) builder.matchingRules(rulesOf(response.rules))
          })
          .executeTest(async (mockServer) => {
            const res = await postJson(`${mockServer.url}${urlPath}`, method, MatchersV3.reify(body.body))
            // (wrapped by recordWithRetry as MG_CONTRACTS_PACT_WRITE_FAILED; the mock server's mismatch text echoes
            // the example's values, so only a redacted excerpt of it)
            if (res.status !== 200)
              throw new Error(`mock server answered ${res.status}: ${redactText(res.text, { maxLength: 400 })}`)
            // The mock server may record the match just after answering; reading its results at once
            // occasionally finds the request "expected but not received" (about 1 in 300 under load).
            await settle()
            return JSON.parse(res.text) as unknown
          })
      }
      await recordWithRetry(record, description)
      interactions.push({ description, providerState: state, kind: example.kind, covers: example.covers })
      emitted.push({
        description,
        providerState: state,
        request: body.body,
        requestRules: body.rules,
        response: response.body,
        responseRules: response.rules,
      })
      options.onProgress?.({ done: interactions.length, total, label: description })
    }

    if (options.featureLog !== undefined) {
      const typical = selection.examples.find((e) => e.kind === 'typical') ?? selection.examples[0]
      const features = matchBody(MatchersV3, request, typical?.row ?? {}, '$.features')
      const prediction = matchBody(MatchersV3, options.response, responseRow, '$.prediction')
      const description = options.featureLog.description ?? DEFAULT_FEATURE_LOG_DESCRIPTION
      const messagePact = new PactV4({
        consumer: options.featureLog.consumer,
        provider: options.provider,
        dir: tmpDir,
        logLevel: 'error',
      })
      try {
        await messagePact
          .addAsynchronousInteraction()
          .given(state)
          .expectsToReceive(description, (builder) => {
            builder
              .withJSONContent({
                event_type: MatchersV3.equal('prediction.logged'),
                event_id: MatchersV3.uuid('7f0c3e1a-4b5d-4c6e-9f80-1a2b3c4d5e6f'),
                logged_at: MatchersV3.regex(
                  '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]+)?Z$',
                  '2026-11-25T12:00:00.000Z',
                ),
                features: features.body,
                prediction: prediction.body,
              })
              .withMatchingRules(rulesOf([...features.rules, ...prediction.rules]))
          })
          .executeTest(async (message) => {
            const contents = message.contents.content as Record<string, unknown>
            if (typeof contents !== 'object' || contents === null || !('prediction' in contents)) {
              throw new Error('feature-log event has no prediction')
            }
            return undefined
          })
      } catch (cause) {
        throw new ContractsError(
          'MG_CONTRACTS_PACT_WRITE_FAILED',
          `The Pact core rejected the feature-log message "${description}": ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        )
      }
      options.onProgress?.({ done: total, total, label: description })
    }
  })

  let testFile: string | undefined
  if (options.emitTest !== undefined) {
    testFile = path.resolve(options.emitTest)
    await writeFileAtomic(
      testFile,
      emitConsumerTest({
        consumer: options.consumer,
        provider: options.provider,
        method,
        path: urlPath,
        interactions: emitted,
      }),
    )
  }
  return {
    pactFile: path.join(options.outDir, pactName),
    ...(messageName !== undefined ? { messagePactFile: path.join(options.outDir, messageName) } : {}),
    ...(testFile !== undefined ? { testFile } : {}),
    interactions,
    uncovered: selection.uncovered,
    unenforcedBounds: [...unenforced],
    warnings: guarded.warnings,
  }
}
