import type { CheckResult } from '@modelgate/core'
import type { InteractionVerification, VerificationMismatch, VerifyProviderResult } from '../VerifyProviderResult.js'

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
const ANSI = /\u001b\[[0-9;]*m/g
const stripAnsi = (text: string): string => text.replace(ANSI, '')

interface RawMismatch {
  path?: unknown
  expected?: unknown
  actual?: unknown
  mismatch?: unknown
  description?: unknown
  type?: unknown
}
interface RawResult {
  result?: unknown
  output?: unknown
  errors?: { interaction?: unknown; mismatch?: { mismatches?: RawMismatch[]; message?: unknown; type?: unknown } }[]
  interactionResults?: { description?: unknown; result?: unknown }[]
}

const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v)

/** Parses the JSON the Pact core's verifier returns (pactffi_verifier_json) into a result and a report. */
export function parseVerification(json: string, title: string, startedAt: number): VerifyProviderResult {
  let raw: RawResult
  try {
    raw = JSON.parse(json) as RawResult
  } catch {
    raw = { result: false, output: [json] }
  }
  const output = stripAnsi(Array.isArray(raw.output) ? raw.output.map(String).join('\n') : '')
  const errorsByInteraction = new Map<string, VerificationMismatch[]>()
  for (const error of raw.errors ?? []) {
    const name = String(error.interaction ?? '')
    const list = errorsByInteraction.get(name) ?? []
    const mismatches = error.mismatch?.mismatches
    if (Array.isArray(mismatches)) {
      for (const m of mismatches) {
        const path = str(m.path)
        const expected = str(m.expected)
        const actual = str(m.actual)
        list.push({
          ...(path !== undefined ? { path } : {}),
          ...(expected !== undefined ? { expected } : {}),
          ...(actual !== undefined ? { actual } : {}),
          message: str(m.mismatch) ?? str(m.description) ?? 'mismatch',
          type: str(m.type) ?? 'Mismatch',
        })
      }
    } else {
      list.push({
        message: str(error.mismatch?.message) ?? 'the request to the provider failed',
        type: str(error.mismatch?.type) ?? 'Error',
      })
    }
    errorsByInteraction.set(name, list)
  }
  const interactions: InteractionVerification[] = (raw.interactionResults ?? []).map((r) => {
    const description = String(r.description ?? '')
    const mismatches = [...errorsByInteraction].filter(([name]) => name.endsWith(description)).flatMap(([, m]) => m)
    return { description, passed: r.result === 'OK', mismatches }
  })
  const passed = raw.result === true && interactions.every((i) => i.passed)
  const checks: CheckResult[] = interactions.map((i, n) => ({
    id: `contracts.verify.${n + 1}`,
    name: i.description,
    group: 'provider verification',
    verdict: i.passed ? 'pass' : 'fail',
    message: i.passed
      ? `${i.description}: response matches the contract`
      : `${i.description}: ${i.mismatches.map((m) => (m.path !== undefined ? `${m.path} — ${m.message}` : m.message)).join('; ')}`,
    ...(i.passed ? {} : { details: { mismatches: i.mismatches } }),
  }))
  const failed = checks.filter((c) => c.verdict === 'fail').length
  return {
    passed,
    interactions,
    output,
    report: {
      kind: 'contracts.verify',
      title,
      createdAt: new Date(startedAt).toISOString(),
      durationMs: Date.now() - startedAt,
      summary: { interactions: interactions.length, failed },
      checks,
      verdict: passed ? 'pass' : 'fail',
    },
  }
}
