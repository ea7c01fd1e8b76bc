import type { BrokerAuth } from '../BrokerAuth.js'
/** Broker credentials as the environment variables the Pact CLI reads. */
export function brokerEnv(auth: BrokerAuth): Record<string, string> {
  return {
    ...(auth.brokerToken !== undefined ? { PACT_BROKER_TOKEN: auth.brokerToken } : {}),
    ...(auth.brokerUsername !== undefined ? { PACT_BROKER_USERNAME: auth.brokerUsername } : {}),
    ...(auth.brokerPassword !== undefined ? { PACT_BROKER_PASSWORD: auth.brokerPassword } : {}),
  }
}
