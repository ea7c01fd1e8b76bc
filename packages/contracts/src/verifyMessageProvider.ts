import type { ArgumentShape } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import { ContractsError } from './errors.js'
import { verifyMessageProviderShape } from './internal/arguments.js'
import { loadPact } from './internal/loadPact.js'
import { parseVerification } from './internal/verificationResult.js'
import { readPactFile } from './readPactFile.js'
import type { VerifyProviderResult } from './VerifyProviderResult.js'

export interface VerifyMessageProviderOptions {
  /** Message pact files (e.g. the feature-log pact written by `generateContracts`). */
  readonly pactFiles: readonly string[]
  /** For each message description, the producer code that builds the message. */
  readonly messageProviders: Readonly<Record<string, () => Promise<unknown>>>
  /** Provider state name → setup function. */
  readonly stateHandlers?: Readonly<
    Record<string, (state: string, params?: Record<string, string>) => Promise<unknown>>
  >
  readonly provider?: string
}

const optionsArgument = z.object(verifyMessageProviderShape satisfies ArgumentShape<VerifyMessageProviderOptions>)

/**
 * Verifies message producers (such as the feature-log event an endpoint emits) against message pacts,
 * with pact-js `MessageProviderPact` and the Pact core. As with HTTP, a failed verification is a result.
 */
export async function verifyMessageProvider(options: VerifyMessageProviderOptions): Promise<VerifyProviderResult> {
  checkArgument(optionsArgument, options, { call: 'verifyMessageProvider(options)', name: 'options' })
  const startedAt = Date.now()
  if (options.pactFiles.length === 0) {
    throw new ContractsError('MG_CONTRACTS_USAGE', 'Nothing to verify: give at least one message pact file.')
  }
  const pacts = await Promise.all(options.pactFiles.map((f) => readPactFile(f)))
  const { MessageProviderPact } = await loadPact('Verifying a message provider (verifyMessageProvider)')
  const verifier = new MessageProviderPact({
    pactUrls: [...options.pactFiles],
    messageProviders: { ...options.messageProviders },
    logLevel: 'error',
    ...(options.stateHandlers !== undefined ? { stateHandlers: { ...options.stateHandlers } } : {}),
    ...(options.provider !== undefined ? { provider: options.provider } : {}),
  })
  const title = `Message verification: ${[...new Set(pacts.map((p) => `${p.consumer} ← ${p.provider}`))].join(', ')}`
  try {
    const json = await verifier.verify()
    return parseVerification(typeof json === 'string' ? json : JSON.stringify(json), title, startedAt)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (message.trimStart().startsWith('{')) return parseVerification(message, title, startedAt)
    throw new ContractsError('MG_CONTRACTS_VERIFIER_FAILED', `The Pact message verifier could not run: ${message}`, {
      cause: error,
    })
  }
}
