import type { ShadowAnswer } from '../ShadowPair.js'

/** What the proxy reads from answers: which numeric fields are scores, which fields are labels, which are PII. */
export interface AnswerFields {
  /** Dotted paths of the score fields; `undefined` = every finite number in the answer. */
  readonly scores: ReadonlySet<string> | undefined
  readonly labels: ReadonlySet<string>
  /** Dotted paths never read as a score and shown as `[redacted]` as a label. */
  readonly pii: ReadonlySet<string>
}

/** An answer as read, with the leaf paths of its JSON in document order (for added/missing fields; not kept). */
interface ReadAnswer {
  readonly answer: ShadowAnswer
  readonly leaves: readonly string[] | null
}

/** How an exchange ended before its body could be read. */
export type ExchangeError = 'timeout' | 'connection'

const MAX_LEAVES = 1000
const MAX_DEPTH = 16
const MAX_FIELD_LIST = 50
const REDACTED = '[redacted]'

/** An exchange's outcome as readAnswer needs it. */
interface AnswerOutcome {
  readonly status: number
  readonly latencyMs: number
  readonly body: Buffer | null
  readonly error?: ExchangeError | 'parse'
}

/**
 * Reads one answer: a transport error, a status ≥ 500 (`status`), a body that is not JSON (`parse`), or the scores
 * (finite numbers by dotted path; arrays by index: `probs.0`) and labels (the configured paths, as text) of the JSON.
 * At most 1,000 leaves and 16 levels are read (deeper or further leaves are ignored). With `like` (the primary's
 * outcome and its reading), a body byte for byte equal to the primary's is not parsed again: its scores, labels and
 * leaves are the primary's (the read objects are shared, never changed: a pair is copied into the store's columns).
 */
export function readAnswer(
  outcome: AnswerOutcome,
  fields: AnswerFields,
  like?: { readonly outcome: AnswerOutcome; readonly read: ReadAnswer },
): ReadAnswer {
  const { status, latencyMs } = outcome
  if (outcome.error !== undefined)
    return { answer: { status, latencyMs, error: outcome.error, scores: {}, labels: {} }, leaves: null }
  if (status >= 500) return { answer: { status, latencyMs, error: 'status', scores: {}, labels: {} }, leaves: null }
  if (
    like !== undefined &&
    like.read.leaves !== null &&
    outcome.body !== null &&
    like.outcome.body !== null &&
    outcome.body.equals(like.outcome.body)
  ) {
    const { scores, labels } = like.read.answer
    return { answer: { status, latencyMs, scores, labels }, leaves: like.read.leaves }
  }
  let json: unknown
  try {
    json = JSON.parse((outcome.body ?? Buffer.alloc(0)).toString('utf8'))
  } catch {
    return { answer: { status, latencyMs, error: 'parse', scores: {}, labels: {} }, leaves: null }
  }
  const scores: Record<string, number> = {}
  const labels: Record<string, string> = {}
  const leaves: string[] = []
  const visit = (value: unknown, path: string, depth: number): void => {
    if (leaves.length >= MAX_LEAVES) return
    if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
      // plain loops, not Object.entries: this runs for every mirrored answer on the proxy's thread
      if (Array.isArray(value))
        for (let i = 0; i < value.length; i++) visit(value[i], path === '' ? String(i) : `${path}.${i}`, depth + 1)
      else
        for (const key in value)
          visit((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`, depth + 1)
      return
    }
    if (path === '') return
    leaves.push(path)
    if (fields.labels.has(path)) {
      labels[path] = fields.pii.has(path) ? REDACTED : typeof value === 'string' ? value : JSON.stringify(value)
      return
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || fields.pii.has(path)) return
    if (fields.scores === undefined || fields.scores.has(path)) scores[path] = value
  }
  visit(json, '', 0)
  return { answer: { status, latencyMs, scores, labels }, leaves }
}

/** The candidate's (or secondary's) answer with the fields it added to or lost from the primary's. */
export function withFieldDiff(read: ReadAnswer, primary: ReadAnswer): ShadowAnswer {
  if (read.leaves === null || primary.leaves === null || sameList(read.leaves, primary.leaves)) return read.answer
  // the answers' fields differ (or come in another order): sets of them, only now
  const mine = new Set(read.leaves)
  const theirs = new Set(primary.leaves)
  const added: string[] = []
  const missing: string[] = []
  for (const leaf of mine) if (!theirs.has(leaf) && added.length < MAX_FIELD_LIST) added.push(leaf)
  for (const leaf of theirs) if (!mine.has(leaf) && missing.length < MAX_FIELD_LIST) missing.push(leaf)
  if (added.length === 0 && missing.length === 0) return read.answer
  return {
    ...read.answer,
    ...(added.length === 0 ? {} : { addedFields: added }),
    ...(missing.length === 0 ? {} : { missingFields: missing }),
  }
}

/** The same paths in the same order (the usual case: a candidate answering in the primary's shape). */
function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
