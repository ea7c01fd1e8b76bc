/** Pact broker credentials (the token, or a user name and password). */
export interface BrokerAuth {
  readonly brokerToken?: string
  readonly brokerUsername?: string
  readonly brokerPassword?: string
}
