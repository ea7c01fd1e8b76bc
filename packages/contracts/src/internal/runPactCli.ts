import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import { isModuleNotFound, missingDependencyError, redactUrl } from '@modelgate/core'
import { ContractsError } from '../errors.js'

export interface PactCliRun {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** The official Pact CLI, an optional peer dependency: only the broker calls need it. */
const PACT_CLI = {
  name: '@pact-foundation/pact-cli',
  version: '18.1.2',
  peerOf: '@modelgate/contracts',
  neededFor: 'Talking to a Pact broker (publishPacts, canIDeploy)',
}

/** Path of the native `pact` executable shipped in @pact-foundation/pact-cli's platform package. */
function pactExecutable(): string {
  const require = createRequire(import.meta.url)
  const standalone = require('@pact-foundation/pact-cli/src/pact-standalone') as {
    standalone: () => { pactFullPath: string }
  }
  return standalone.standalone().pactFullPath
}

/**
 * Runs the official Pact CLI (the Rust `pact` binary shipped in @pact-foundation/pact-cli). Credentials go
 * through the environment (PACT_BROKER_TOKEN …), never the argument list, so they do not show in `ps`.
 */
export function runPactCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  timeoutMs = 120_000,
): Promise<PactCliRun> {
  let bin: string
  try {
    bin = pactExecutable()
  } catch (cause) {
    if (isModuleNotFound(cause, PACT_CLI.name)) throw missingDependencyError(PACT_CLI, cause)
    throw new ContractsError('MG_CONTRACTS_PACT_CLI_MISSING', 'The Pact CLI could not be found.', {
      cause,
      hint: 'reinstall @pact-foundation/pact-cli; its platform package (e.g. @pact-foundation/pact-cli-linux-x64) must be present',
    })
  }
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
    })
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString()
    })
    child.on('error', (cause) =>
      reject(
        new ContractsError('MG_CONTRACTS_PACT_CLI_MISSING', `The Pact CLI could not be started: ${cause.message}`, {
          cause,
          hint: 'reinstall @pact-foundation/pact-cli; its platform package (e.g. @pact-foundation/pact-cli-linux-x64) must be present',
        }),
      ),
    )
    child.on('close', (code, signal) => resolve({ exitCode: code ?? (signal !== null ? 124 : 1), stdout, stderr }))
  })
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const ANSI = /\u001b\[[0-9;]*m/g

/** Turns a failed broker call of the Pact CLI into a clear error: unreachable vs refused (with the status). */
export function brokerError(action: string, brokerUrl: string, run: PactCliRun): ContractsError {
  const text = `${run.stderr}\n${run.stdout}`.replace(ANSI, '')
  const lines = text.split('\n').map((l) => l.trim())
  const firstLine = (
    lines.find((l) => l.startsWith('❌')) ??
    lines.find((l) => l !== '') ??
    `exit code ${run.exitCode}`
  ).replace(/^❌\s*/, '')
  const status = /failed: (\d{3})\s*([A-Za-z ]*)/.exec(text)
  if (status !== null) {
    const code = Number(status[1])
    const hint =
      code === 401 || code === 403
        ? 'check the broker credentials (PACT_BROKER_TOKEN, or PACT_BROKER_USERNAME and PACT_BROKER_PASSWORD)'
        : code === 404
          ? 'the broker does not know this resource: check the pacticipant names, versions and the broker URL'
          : 'see the broker response above; the Pact CLI message is quoted in full'
    return new ContractsError(
      'MG_CONTRACTS_BROKER_REFUSED',
      `Pact broker at ${redactUrl(brokerUrl)} refused to ${action}: HTTP ${code}${status[2] !== undefined && status[2].trim() !== '' ? ` ${status[2].trim()}` : ''}. ${redactUrl(firstLine)}`,
      { hint },
    )
  }
  if (/failed validation/i.test(firstLine)) {
    return new ContractsError(
      'MG_CONTRACTS_BROKER_REFUSED',
      `Pact broker at ${redactUrl(brokerUrl)} refused to ${action}: ${redactUrl(firstLine)}`,
      {
        hint: 'the broker rejected the request as invalid: check pacticipant names and versions',
      },
    )
  }
  if (/error sending request|IO Error|connection refused|tcp connect|dns error|timed out/i.test(text)) {
    return new ContractsError(
      'MG_CONTRACTS_BROKER_UNREACHABLE',
      `Pact broker at ${redactUrl(brokerUrl)} is unreachable, so could not ${action}. ${redactUrl(firstLine)}`,
      {
        hint: 'check --broker-url (or PACT_BROKER_BASE_URL) and that the broker is up',
      },
    )
  }
  return new ContractsError(
    'MG_CONTRACTS_BROKER_REFUSED',
    `The Pact CLI failed to ${action} (exit ${run.exitCode}): ${redactUrl(firstLine)}`,
    {
      hint: 'run the same `pact broker …` command with --log-level debug for details',
    },
  )
}
