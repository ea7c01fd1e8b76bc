import type { ArgumentShape } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import type { BrokerAuth } from './BrokerAuth.js'
import { ContractsError } from './errors.js'
import { canIDeployShape } from './internal/arguments.js'
import { brokerEnv } from './internal/brokerAuth.js'
import { requireBroker } from './internal/requireBroker.js'
import { brokerError, runPactCli } from './internal/runPactCli.js'

export interface Pacticipant {
  readonly name: string
  readonly version?: string
  /** `true` for the latest version, or a tag name for the latest version with that tag. */
  readonly latest?: boolean | string
  readonly branch?: string
}

export interface CanIDeployOptions extends BrokerAuth {
  readonly brokerUrl: string
  readonly pacticipants: readonly Pacticipant[]
  /** Check against what is deployed in this environment, e.g. `production`. */
  readonly toEnvironment?: string
  readonly retryWhileUnknown?: number
  readonly retryIntervalSeconds?: number
}

export interface MatrixRow {
  readonly consumer: string
  readonly consumerVersion: string
  readonly provider: string
  readonly providerVersion: string
  /** undefined when there is no verification result yet. */
  readonly success?: boolean
}

export interface CanIDeployResult {
  readonly deployable: boolean
  readonly reason: string
  readonly matrix: readonly MatrixRow[]
}

interface RawMatrix {
  summary?: { deployable?: unknown; reason?: unknown }
  matrix?: {
    consumer?: { name?: unknown; version?: { number?: unknown } }
    provider?: { name?: unknown; version?: { number?: unknown } }
    verificationResult?: { success?: unknown } | null
  }[]
}

const optionsArgument = z.object(canIDeployShape satisfies ArgumentShape<CanIDeployOptions>)

/**
 * Asks the broker whether versions can be deployed, with the official Pact CLI
 * (`pact broker can-i-deploy --pacticipant … --version … [--to-environment …] --output json`).
 * "No" is a result (`deployable: false`), not an error; errors are for an unreachable or refusing broker.
 */
export async function canIDeploy(options: CanIDeployOptions): Promise<CanIDeployResult> {
  checkArgument(optionsArgument, options, { call: 'canIDeploy(options)', name: 'options' })
  if (options.pacticipants.length === 0) {
    throw new ContractsError('MG_CONTRACTS_USAGE', 'can-i-deploy needs at least one pacticipant.', {
      hint: 'Give pacticipants: [{ name, version }].',
    })
  }
  const args = ['broker', 'can-i-deploy', '--broker-base-url', options.brokerUrl, '--output', 'json']
  for (const p of options.pacticipants) {
    args.push('--pacticipant', p.name)
    if (p.version !== undefined) args.push('--version', p.version)
    if (p.latest === true) args.push('--latest')
    else if (typeof p.latest === 'string') args.push('--latest', p.latest)
    if (p.branch !== undefined) args.push('--branch', p.branch)
  }
  if (options.toEnvironment !== undefined) args.push('--to-environment', options.toEnvironment)
  if (options.retryWhileUnknown !== undefined) args.push('--retry-while-unknown', String(options.retryWhileUnknown))
  if (options.retryIntervalSeconds !== undefined) args.push('--retry-interval', String(options.retryIntervalSeconds))
  await requireBroker(options.brokerUrl, 'answer can-i-deploy')
  const run = await runPactCli(args, brokerEnv(options))
  const start = run.stdout.indexOf('{')
  let parsed: RawMatrix | undefined
  if (start >= 0) {
    try {
      parsed = JSON.parse(run.stdout.slice(start)) as RawMatrix
    } catch {
      parsed = undefined
    }
  }
  if (parsed?.summary === undefined) throw brokerError('answer can-i-deploy', options.brokerUrl, run)
  const matrix: MatrixRow[] = (parsed.matrix ?? []).map((row) => {
    const success = row.verificationResult?.success
    return {
      consumer: String(row.consumer?.name ?? ''),
      consumerVersion: String(row.consumer?.version?.number ?? ''),
      provider: String(row.provider?.name ?? ''),
      providerVersion: String(row.provider?.version?.number ?? ''),
      ...(typeof success === 'boolean' ? { success } : {}),
    }
  })
  return {
    deployable: parsed.summary.deployable === true,
    reason:
      typeof parsed.summary.reason === 'string'
        ? parsed.summary.reason
        : parsed.summary.deployable === true
          ? 'all verified'
          : 'not deployable',
    matrix,
  }
}
