import type { ArgumentShape } from '@modelgate/core'
import { checkArgument, redactUrl } from '@modelgate/core'
import type { VerifierOptions } from '@pact-foundation/pact'
import { z } from 'zod'
import { ContractsError } from './errors.js'
import { verifyProviderShape } from './internal/arguments.js'
import { loadPact } from './internal/loadPact.js'
import { probeHttp } from './internal/probe.js'
import { startProviderGuard } from './internal/providerGuard.js'
import { parseVerification } from './internal/verificationResult.js'
import { readPactFile } from './readPactFile.js'
import type { VerifyProviderResult } from './VerifyProviderResult.js'

/** Which consumer versions to verify when pacts come from a broker (Pact's consumer version selectors). */
export interface ConsumerVersionSelector {
  readonly mainBranch?: boolean
  readonly branch?: string
  readonly matchingBranch?: boolean
  readonly deployedOrReleased?: boolean
  readonly deployed?: boolean
  readonly released?: boolean
  readonly environment?: string
  readonly consumer?: string
  readonly tag?: string
  readonly latest?: boolean
  readonly fallbackTag?: string
}

/** Sets up (and optionally tears down) a provider state; may return values to inject into the request. */
export type StateHandler =
  | ((params?: unknown) => Promise<Record<string, unknown> | undefined>)
  | {
      readonly setup?: (params?: unknown) => Promise<Record<string, unknown> | undefined>
      readonly teardown?: (params?: unknown) => Promise<Record<string, unknown> | undefined>
    }

export interface VerifyProviderOptions {
  /** Where the provider under test listens, e.g. `http://127.0.0.1:8080`. */
  readonly providerBaseUrl: string
  /** Provider name; required with a broker. */
  readonly provider?: string
  /** Local pact files. Either these or `brokerUrl`. */
  readonly pactFiles?: readonly string[]
  readonly brokerUrl?: string
  readonly brokerToken?: string
  readonly brokerUsername?: string
  readonly brokerPassword?: string
  readonly consumerVersionSelectors?: readonly ConsumerVersionSelector[]
  /** Verify pending pacts without failing the build on them. */
  readonly enablePending?: boolean
  /** Also verify work-in-progress pacts created since this date (ISO). */
  readonly includeWipPactsSince?: string
  readonly providerVersion?: string
  readonly providerVersionBranch?: string
  /** Send the results to the broker (needs `providerVersion`). */
  readonly publishVerificationResult?: boolean
  /**
   * Headers added to every request the verifier sends (through a request filter), e.g.
   * `{ Authorization: 'Bearer …' }`. They never end up in a pact file.
   */
  readonly headers?: Readonly<Record<string, string>>
  readonly stateHandlers?: Readonly<Record<string, StateHandler>>
  /**
   * Per-interaction timeout, ms (default 10 000): a request the provider has not answered by then fails its
   * interaction (HTTP 504 with a clear body); a dropped connection fails it too (502), never crashing the run.
   */
  readonly timeoutMs?: number
  /** Deadline for the whole verification, ms (default 10 minutes); past it the run stops with MG_CONTRACTS_VERIFY_TIMEOUT. */
  readonly deadlineMs?: number
}

/** Defaults of verifyProvider's bounds (documented in the README). */
export const VERIFY_DEFAULTS = { timeoutMs: 10_000, deadlineMs: 10 * 60_000 } as const

interface FilterRequest {
  headers: Record<string, string | string[] | undefined>
}

const optionsArgument = z.object(verifyProviderShape satisfies ArgumentShape<VerifyProviderOptions>)

/**
 * Verifies a running provider against pacts with the Pact core's verifier (pact-js `Verifier`). A failed
 * verification is a result (`passed: false`, with the Pact diff per interaction), not an error; errors are
 * for what stops verification from running: unreachable provider or broker, unreadable pact files.
 */
export async function verifyProvider(options: VerifyProviderOptions): Promise<VerifyProviderResult> {
  checkArgument(optionsArgument, options, { call: 'verifyProvider(options)', name: 'options' })
  const startedAt = Date.now()
  const pactFiles = options.pactFiles ?? []
  if (pactFiles.length === 0 && options.brokerUrl === undefined) {
    throw new ContractsError('MG_CONTRACTS_USAGE', 'Nothing to verify: give pact files or a broker URL.', {
      hint: 'Give pactFiles, or brokerUrl and provider.',
    })
  }
  if (options.brokerUrl !== undefined && options.provider === undefined) {
    throw new ContractsError('MG_CONTRACTS_USAGE', 'Verifying pacts from a broker needs the provider name.', {
      hint: 'Give provider: the name the pacts were written for.',
    })
  }
  if (options.publishVerificationResult === true && options.providerVersion === undefined) {
    throw new ContractsError('MG_CONTRACTS_USAGE', 'Publishing verification results needs the provider version.', {
      hint: 'Give providerVersion, e.g. the git commit of the provider.',
    })
  }
  const shownProvider = redactUrl(options.providerBaseUrl)
  const protocol = URL.canParse(options.providerBaseUrl) ? new URL(options.providerBaseUrl).protocol : undefined
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ContractsError(
      'MG_CONTRACTS_BAD_URL',
      `The provider base URL "${shownProvider}" is not an http:// or https:// URL${protocol === undefined ? '' : ` (it uses ${protocol})`}.`,
      { hint: 'Give the address where the running provider listens, e.g. http://127.0.0.1:8080.' },
    )
  }
  const { Verifier } = await loadPact('Verifying a provider (verifyProvider)')
  const pacts = await Promise.all(pactFiles.map((f) => readPactFile(f)))
  const probe = await probeHttp(options.providerBaseUrl)
  if (!probe.ok) {
    throw new ContractsError(
      'MG_CONTRACTS_PROVIDER_UNREACHABLE',
      `Provider at ${shownProvider} is unreachable (${probe.reason}).`,
      { hint: 'Start the provider first, and check the host and port of providerBaseUrl.' },
    )
  }
  if (options.brokerUrl !== undefined) {
    const broker = await probeHttp(options.brokerUrl)
    if (!broker.ok) {
      throw new ContractsError(
        'MG_CONTRACTS_BROKER_UNREACHABLE',
        `Pact broker at ${redactUrl(options.brokerUrl)} is unreachable (${broker.reason}).`,
        {
          hint: 'Check brokerUrl and your network; PACT_BROKER_BASE_URL may point elsewhere.',
        },
      )
    }
  }

  const timeoutMs = options.timeoutMs ?? VERIFY_DEFAULTS.timeoutMs
  const deadlineMs = options.deadlineMs ?? VERIFY_DEFAULTS.deadlineMs
  const guard = await startProviderGuard(options.providerBaseUrl, { timeoutMs, deadlineMs })
  const headers = options.headers ?? {}
  const config: VerifierOptions = {
    // The verifier talks to the guard, which bounds every request to the provider (see startProviderGuard).
    providerBaseUrl: guard.url,
    logLevel: 'error',
    timeout: timeoutMs + 5000,
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
    ...(pactFiles.length > 0 ? { pactUrls: [...pactFiles] } : {}),
    ...(options.brokerUrl !== undefined ? { pactBrokerUrl: options.brokerUrl } : {}),
    ...(options.brokerToken !== undefined ? { pactBrokerToken: options.brokerToken } : {}),
    ...(options.brokerUsername !== undefined ? { pactBrokerUsername: options.brokerUsername } : {}),
    ...(options.brokerPassword !== undefined ? { pactBrokerPassword: options.brokerPassword } : {}),
    ...(options.consumerVersionSelectors !== undefined
      ? { consumerVersionSelectors: options.consumerVersionSelectors.map((s) => ({ ...s })) }
      : {}),
    ...(options.enablePending !== undefined ? { enablePending: options.enablePending } : {}),
    ...(options.includeWipPactsSince !== undefined ? { includeWipPactsSince: options.includeWipPactsSince } : {}),
    ...(options.providerVersion !== undefined ? { providerVersion: options.providerVersion } : {}),
    ...(options.providerVersionBranch !== undefined ? { providerVersionBranch: options.providerVersionBranch } : {}),
    ...(options.publishVerificationResult !== undefined
      ? { publishVerificationResult: options.publishVerificationResult }
      : {}),
    ...(Object.keys(headers).length > 0
      ? {
          requestFilter: ((req: FilterRequest, _res: unknown, next: () => void) => {
            for (const [name, value] of Object.entries(headers)) req.headers[name.toLowerCase()] = value
            next()
          }) as unknown as NonNullable<VerifierOptions['requestFilter']>,
        }
      : {}),
    ...(options.stateHandlers !== undefined
      ? { stateHandlers: { ...options.stateHandlers } as NonNullable<VerifierOptions['stateHandlers']> }
      : {}),
  }
  const title =
    pacts.length > 0
      ? `Provider verification: ${[...new Set(pacts.map((p) => `${p.consumer} → ${p.provider}`))].join(', ')}`
      : `Provider verification of ${options.provider ?? 'provider'} against ${options.brokerUrl ?? ''}`
  let result: VerifyProviderResult
  try {
    const json = await new Verifier(config).verifyProvider()
    result = parseVerification(json, title, startedAt)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (!message.trimStart().startsWith('{')) {
      await guard.close()
      if (guard.deadlinePassed()) throw deadlineError(shownProvider, deadlineMs)
      throw new ContractsError(
        'MG_CONTRACTS_VERIFIER_FAILED',
        `The Pact verifier could not run: ${redactUrl(message)}`,
        {
          cause: error,
          hint: 'run again with PACT_LOG_LEVEL=debug for the Pact core log',
        },
      )
    }
    result = parseVerification(message, title, startedAt)
  }
  await guard.close()
  if (guard.deadlinePassed()) throw deadlineError(shownProvider, deadlineMs)
  const problems = guard.problems()
  if (problems.length === 0) return result
  // The Pact diff says only "expected 200 but was 504": say why, in the output and the report.
  const why = problems.map((p) => `ModelGate: ${p}`).join('\n')
  return {
    ...result,
    output: `${result.output.trimEnd()}\n\n${why}\n`,
    report: { ...result.report, summary: { ...result.report.summary, providerProblems: problems.join('; ') } },
  }
}

function deadlineError(provider: string, deadlineMs: number): ContractsError {
  return new ContractsError(
    'MG_CONTRACTS_VERIFY_TIMEOUT',
    `Verifying the provider at ${provider} did not finish within ${deadlineMs.toLocaleString('en-US')} ms; the interactions left were not run.`,
    { hint: 'Check that the provider answers every interaction, or raise the deadline.' },
  )
}
