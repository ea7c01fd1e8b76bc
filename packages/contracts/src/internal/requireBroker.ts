import { redactUrl } from '@modelgate/core'
import { ContractsError } from '../errors.js'
import { probeHttp } from './probe.js'

/** Fails fast and clearly when nothing answers at the broker URL (the Pact CLI would retry for a minute). */
export async function requireBroker(brokerUrl: string, action: string): Promise<void> {
  const probe = await probeHttp(brokerUrl)
  if (!probe.ok) {
    throw new ContractsError(
      'MG_CONTRACTS_BROKER_UNREACHABLE',
      `Pact broker at ${redactUrl(brokerUrl)} is unreachable (${probe.reason}), so could not ${action}.`,
      {
        hint: 'Check brokerUrl (or PACT_BROKER_BASE_URL) and that the broker is up.',
      },
    )
  }
}
