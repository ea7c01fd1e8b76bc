import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { ArgumentShape } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { z } from 'zod'
import type { BrokerAuth } from './BrokerAuth.js'
import { ContractsError } from './errors.js'
import { publishPactsShape } from './internal/arguments.js'
import { brokerEnv } from './internal/brokerAuth.js'
import { requireBroker } from './internal/requireBroker.js'
import { brokerError, runPactCli } from './internal/runPactCli.js'
import { readPactFile } from './readPactFile.js'

export interface PublishPactsOptions extends BrokerAuth {
  readonly brokerUrl: string
  /** Pact files, or directories holding them. */
  readonly pacts: readonly string[]
  /** The consumer application version, e.g. a git sha. */
  readonly consumerVersion: string
  readonly branch?: string
  readonly tags?: readonly string[]
  readonly buildUrl?: string
  /** Merge with a pact already published for this version instead of overwriting it (`--merge`). */
  readonly merge?: boolean
}

export interface PublishPactsResult {
  readonly files: readonly string[]
  /** The Pact CLI's own report. */
  readonly output: string
}

async function expand(pacts: readonly string[]): Promise<string[]> {
  const files: string[] = []
  for (const p of pacts) {
    const info = await stat(p).catch((error: NodeJS.ErrnoException) => error)
    if (info instanceof Error) {
      const missing = info.code === 'ENOENT' || info.code === 'ENOTDIR'
      throw new ContractsError(
        'MG_CONTRACTS_PACT_INVALID',
        `Pact file or directory ${p} ${missing ? 'does not exist' : `cannot be read (${info.code ?? info.message})`}.`,
        { location: { file: p }, cause: info },
      )
    }
    if (info.isDirectory()) {
      for (const name of (await readdir(p)).sort()) if (name.endsWith('.json')) files.push(path.join(p, name))
    } else files.push(p)
  }
  if (files.length === 0) {
    throw new ContractsError('MG_CONTRACTS_PACT_INVALID', `No pact files found in ${pacts.join(', ')}.`, {
      hint: 'Generate them first with generateContracts().',
    })
  }
  return files
}

const optionsArgument = z.object(publishPactsShape satisfies ArgumentShape<PublishPactsOptions>)

/**
 * Publishes pacts with the official Pact CLI (`pact broker publish … --consumer-app-version … --branch …`).
 * Each file is checked first (JSON, pact, specification 1–4), so a bad file fails before anything is sent.
 */
export async function publishPacts(options: PublishPactsOptions): Promise<PublishPactsResult> {
  checkArgument(optionsArgument, options, { call: 'publishPacts(options)', name: 'options' })
  const files = await expand(options.pacts)
  for (const f of files) await readPactFile(f)
  const args = [
    'broker',
    'publish',
    ...files,
    '--broker-base-url',
    options.brokerUrl,
    '--consumer-app-version',
    options.consumerVersion,
    ...(options.branch !== undefined ? ['--branch', options.branch] : []),
    ...(options.tags ?? []).flatMap((t) => ['--tag', t]),
    ...(options.buildUrl !== undefined ? ['--build-url', options.buildUrl] : []),
    ...(options.merge === true ? ['--merge'] : []),
  ]
  await requireBroker(options.brokerUrl, 'publish pacts')
  const run = await runPactCli(args, brokerEnv(options))
  if (run.exitCode !== 0) throw brokerError('publish pacts', options.brokerUrl, run)
  return { files, output: `${run.stdout}${run.stderr}`.trim() }
}
