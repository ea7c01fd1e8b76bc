import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  generateContracts,
  loadContractSchema,
  loadStateHandlers,
  readPayloadRows,
  verifyProvider,
} from '@modelgate/contracts'
import type { CheckResult, Report } from '@modelgate/core'
import { createReport } from '@modelgate/core'
import type { ContractsCheckConfig } from '../../gateConfig.js'
import { displayPath } from '../../gateConfig.js'
import type { CheckContext } from './CheckContext.js'
import { required } from './CheckContext.js'

/**
 * `contracts`: Pact v4 contracts generated from the request/response schemas and example payloads (real Pact core),
 * then the endpoint's provider verified against them.
 */
export async function runContractsCheck(check: ContractsCheckConfig, context: CheckContext): Promise<Report> {
  const { config } = context
  const started = performance.now()
  const requestFile = required(config.schemas?.request, check, 'schemas.request', 'schemas.request')
  const responseFile = required(config.schemas?.response, check, 'schemas.response', 'schemas.response')
  const examplesFile = required(check.examples ?? config.data?.reference, check, 'examples', 'data.reference')
  const endpoint = check.verify ? required(context.endpoint, check, 'endpoint', 'endpoint') : context.endpoint
  const url = endpoint === undefined ? undefined : new URL(endpoint)
  const request = await loadContractSchema(requestFile, { displayName: displayPath(config, requestFile) })
  const response = await loadContractSchema(responseFile, { displayName: displayPath(config, responseFile) })
  const examples = await readPayloadRows(examplesFile, request, { displayName: displayPath(config, examplesFile) })
  const outDir = check.out ?? (await mkdtemp(join(tmpdir(), 'modelgate-gate-pacts-')))
  try {
    context.progress('generating contracts')
    const generated = await generateContracts({
      consumer: check.consumer,
      provider: check.provider,
      request,
      response,
      method: check.method,
      path: check.path ?? (url === undefined || url.pathname === '/' ? '/predict' : url.pathname),
      examples,
      examplesSource: displayPath(config, examplesFile),
      outDir,
      ...(check.seed === undefined ? {} : { seed: check.seed }),
    })
    const generation: CheckResult = {
      id: 'contracts.generate',
      name: `${check.consumer} → ${check.provider}`,
      group: 'generation',
      verdict: 'pass',
      message: `${generated.interactions.length} interactions generated (Pact v4)${generated.uncovered.length === 0 ? '' : `; not covered: ${generated.uncovered.join(', ')}`}`,
      metrics: { interactions: generated.interactions.length },
    }
    if (!check.verify || url === undefined)
      return createReport({
        kind: 'gate.contracts',
        title: `Contracts ${check.consumer} → ${check.provider}`,
        checks: [generation],
        durationMs: performance.now() - started,
      })
    context.signal.throwIfAborted()
    context.progress(`verifying the provider at ${url.origin}`)
    const verification = await verifyProvider({
      providerBaseUrl: url.origin,
      pactFiles: [generated.pactFile],
      ...(check.stateHandlers === undefined ? {} : { stateHandlers: await loadStateHandlers(check.stateHandlers) }),
    })
    return createReport({
      kind: 'gate.contracts',
      title: `Contracts ${check.consumer} → ${check.provider}: generated and verified`,
      summary: { ...verification.report.summary, interactions: generated.interactions.length },
      checks: [generation, ...verification.report.checks],
      durationMs: performance.now() - started,
    })
  } finally {
    if (check.out === undefined) await rm(outDir, { recursive: true, force: true })
  }
}
