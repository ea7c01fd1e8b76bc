import { readFile } from 'node:fs/promises'
import { ContractsError } from './errors.js'

/** Pact specification major versions the Pact core bundled here reads. */
export const SUPPORTED_PACT_SPECS = [1, 2, 3, 4] as const

export interface PactFileInfo {
  readonly file: string
  readonly consumer: string
  readonly provider: string
  /** As declared, e.g. `4.0` or `2.0.0`. */
  readonly specification: string
  readonly interactions: number
}

/**
 * Reads a pact file far enough to refuse what the Pact core would choke on: not JSON, not a pact, or a
 * specification version outside 1–4 (`MG_CONTRACTS_PACT_SPEC_UNSUPPORTED`).
 */
export async function readPactFile(file: string): Promise<PactFileInfo> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (cause) {
    throw new ContractsError(
      'MG_CONTRACTS_PACT_INVALID',
      `Pact file ${file} cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)}).`,
      {
        cause,
        location: { file },
        hint: 'Generate one with generateContracts().',
      },
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new ContractsError(
      'MG_CONTRACTS_PACT_INVALID',
      `Pact file ${file} is not valid JSON: ${(cause as Error).message}`,
      {
        cause,
        location: { file },
      },
    )
  }
  const pact = json as {
    consumer?: { name?: unknown }
    provider?: { name?: unknown }
    interactions?: unknown
    messages?: unknown
    metadata?: Record<string, unknown>
  }
  if (
    typeof pact !== 'object' ||
    pact === null ||
    typeof pact.consumer?.name !== 'string' ||
    typeof pact.provider?.name !== 'string'
  ) {
    throw new ContractsError(
      'MG_CONTRACTS_PACT_INVALID',
      `Pact file ${file} has no consumer and provider names; it is not a pact.`,
      {
        location: { file },
      },
    )
  }
  const meta = pact.metadata ?? {}
  const specObject = (meta.pactSpecification ?? meta['pact-specification'] ?? meta.pactSpecificationVersion) as unknown
  const declared =
    typeof specObject === 'string'
      ? specObject
      : typeof specObject === 'object' && specObject !== null
        ? (specObject as { version?: unknown }).version
        : undefined
  const specification = declared === undefined ? '1.0.0' : String(declared)
  const major = Number.parseInt(specification, 10)
  if (!SUPPORTED_PACT_SPECS.includes(major as 1 | 2 | 3 | 4)) {
    throw new ContractsError(
      'MG_CONTRACTS_PACT_SPEC_UNSUPPORTED',
      `Pact file ${file} declares specification version ${specification}; the Pact core here reads versions 1 to 4.`,
      { location: { file }, hint: 'regenerate the pact with a Pact library that writes specification v4 (or v3/v2)' },
    )
  }
  const list = Array.isArray(pact.interactions) ? pact.interactions : Array.isArray(pact.messages) ? pact.messages : []
  return { file, consumer: pact.consumer.name, provider: pact.provider.name, specification, interactions: list.length }
}
