import { basename } from 'node:path'
import { z } from 'zod'
import { TrafficError } from './errors.js'
import { readLines } from './internal/readLines.js'
import type { ShadowCounts, ShadowPair } from './ShadowPair.js'

const answerSchema = z
  .object({
    status: z.number().int().min(0),
    // JSON has no NaN: a missing or null latency is "no answer"
    latencyMs: z
      .number()
      .nullable()
      .optional()
      .transform((v) => v ?? Number.NaN),
    error: z.enum(['timeout', 'connection', 'status', 'parse']).optional(),
    scores: z.record(z.string(), z.number()).default({}),
    labels: z.record(z.string(), z.string()).default({}),
    addedFields: z.array(z.string()).optional(),
    missingFields: z.array(z.string()).optional(),
  })
  .strip()

const pairSchema = z
  .object({
    at: z.number(),
    path: z.string(),
    primary: answerSchema,
    candidate: answerSchema,
    secondary: answerSchema.optional(),
  })
  .strip()

const countsSchema = z.object({
  counts: z.object({
    requests: z.number().int().min(0),
    mirrored: z.number().int().min(0),
    dropped: z.number().int().min(0),
  }),
})

/**
 * Shadow pairs from a JSONL file (`.gz` welcome), one `ShadowPair` per line as the proxy writes them; a line
 * `{"counts": {"requests", "mirrored", "dropped"}}` gives the proxy's counts (the last one wins), else they are taken
 * from the pairs. A bad line is `MG_CANARY_BAD_PAIRS` naming the file, the line and the field — never its content.
 */
export async function readShadowPairs(path: string): Promise<{ pairs: ShadowPair[]; counts: ShadowCounts }> {
  const name = basename(path)
  const pairs: ShadowPair[] = []
  let counts: ShadowCounts | undefined
  for await (const [line, number] of readLines(path, name)) {
    if (line.trim() === '') continue
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw bad(name, number, 'not JSON')
    }
    if (value !== null && typeof value === 'object' && 'counts' in value) {
      const parsed = countsSchema.safeParse(value)
      if (!parsed.success) throw bad(name, number, describe(parsed.error))
      counts = parsed.data.counts
      continue
    }
    const parsed = pairSchema.safeParse(value)
    if (!parsed.success) throw bad(name, number, describe(parsed.error))
    pairs.push(parsed.data as ShadowPair)
  }
  return { pairs, counts: counts ?? { requests: pairs.length, mirrored: pairs.length, dropped: 0 } }
}

/** The field and what was expected — zod's enum message quotes the value received, so it is not used. */
function describe(error: z.ZodError): string {
  const issue = error.issues[0]
  const where = issue?.path.join('.') || '(line)'
  if (issue?.code === 'invalid_type') return `${where}: expected ${issue.expected}, got ${issue.received}`
  if (issue?.code === 'invalid_enum_value') return `${where}: expected one of ${issue.options.join(', ')}`
  return `${where}: ${issue?.code ?? 'invalid'}`
}

function bad(name: string, line: number, what: string): TrafficError {
  return new TrafficError(
    'MG_CANARY_BAD_PAIRS',
    `${name}, line ${line}: not a shadow pair (${what}); expected {"at", "path", "primary", "candidate", "secondary"?} or {"counts": {…}}.`,
    { location: { file: name, row: line } },
  )
}
