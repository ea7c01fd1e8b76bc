import type { ShadowAnswer, ShadowPair } from '../ShadowPair.js'

/** One score field's paired values: the pairs where the primary and the candidate both answered and both carry it. */
export interface ScoreColumn {
  readonly primary: number[]
  readonly candidate: number[]
  /** The secondary's value of the same pair, NaN where there was no usable secondary answer. */
  readonly secondary: number[]
  /** When each pair arrived (epoch ms), for the examples. */
  readonly at: number[]
  /** Index of the pair in the input, for the examples' paths. */
  readonly pairIndex: number[]
  /** Pairs (both answered) whose primary answer carries the field. */
  primaryCarried: number
}

/** One label field: agreement counts and the flips by primary → candidate value. */
export interface LabelColumn {
  /** Pairs where both answered and both carry the label. */
  n: number
  /** Candidate ≠ primary. */
  rawFlips: number
  /** Secondary ≠ primary (the primary's own non-determinism). */
  noise: number
  /** Both: candidate ≠ primary and secondary ≠ primary. */
  both: number
  /** Pairs with a usable secondary label. */
  withSecondary: number
  readonly kinds: Map<string, number>
  readonly values: Map<string, number>
}

export interface FieldCount {
  /** Pairs where the candidate's answer lacks (or adds) the path, counted with the noise rule. */
  count: number
  /** … of them, where the secondary lacks (adds) it too: noise, not counted. */
  noise: number
}

/** Everything the canary judge reads from the pairs, gathered in one pass. */
export interface CanaryColumns {
  pairs: number
  withSecondary: number
  /** Pairs where both the primary and the candidate gave a usable answer. */
  bothOk: number
  primaryErrors: number
  candidateErrors: number
  /** Pairs where only the candidate failed, and where only the primary did (McNemar's discordant pairs). */
  candidateOnlyErrors: number
  primaryOnlyErrors: number
  readonly candidateErrorKinds: Map<string, number>
  readonly primaryErrorKinds: Map<string, number>
  readonly primaryLatency: number[]
  readonly candidateLatency: number[]
  readonly scores: Map<string, ScoreColumn>
  readonly labels: Map<string, LabelColumn>
  readonly missing: Map<string, FieldCount>
  readonly added: Map<string, FieldCount>
  /** Scores that were not finite numbers (ignored, counted). */
  nonFinite: number
  firstAt: number
  lastAt: number
  /** The paths of the pairs kept for examples (by pair index): only those the examples may show. */
  readonly paths: string[]
}

export interface CollectOptions {
  readonly scoreFields?: readonly string[] | undefined
  readonly labelFields?: readonly string[] | undefined
}

const usable = (a: ShadowAnswer | undefined): a is ShadowAnswer => a !== undefined && a.error === undefined
const ok = (a: ShadowAnswer): boolean => a.error === undefined

/**
 * One pass over the pairs (any iterable: an array, a generator over a JSONL file, the proxy's ring buffer), into
 * columns. Score fields default to every numeric field the primary's answers carry, label fields to every label.
 */
export function collectCanaryColumns(pairs: Iterable<ShadowPair>, options: CollectOptions): CanaryColumns {
  const cols: CanaryColumns = {
    pairs: 0,
    withSecondary: 0,
    bothOk: 0,
    primaryErrors: 0,
    candidateErrors: 0,
    candidateOnlyErrors: 0,
    primaryOnlyErrors: 0,
    candidateErrorKinds: new Map(),
    primaryErrorKinds: new Map(),
    primaryLatency: [],
    candidateLatency: [],
    scores: new Map(),
    labels: new Map(),
    missing: new Map(),
    added: new Map(),
    nonFinite: 0,
    firstAt: Number.POSITIVE_INFINITY,
    lastAt: Number.NEGATIVE_INFINITY,
    paths: [],
  }
  const scoreFilter = options.scoreFields === undefined ? undefined : new Set(options.scoreFields)
  const labelFilter = options.labelFields === undefined ? undefined : new Set(options.labelFields)
  for (const field of options.scoreFields ?? []) cols.scores.set(field, newScoreColumn())
  for (const field of options.labelFields ?? []) cols.labels.set(field, newLabelColumn())
  for (const pair of pairs) {
    const index = cols.pairs++
    cols.paths.push(pair.path)
    if (pair.at < cols.firstAt) cols.firstAt = pair.at
    if (pair.at > cols.lastAt) cols.lastAt = pair.at
    const { primary, candidate } = pair
    const secondary = usable(pair.secondary) ? pair.secondary : undefined
    if (secondary !== undefined) cols.withSecondary++
    if (!ok(primary)) bump(cols.primaryErrorKinds, primary.error ?? 'status', cols, 'primaryErrors')
    if (!ok(candidate)) bump(cols.candidateErrorKinds, candidate.error ?? 'status', cols, 'candidateErrors')
    if (!ok(candidate) && ok(primary)) cols.candidateOnlyErrors++
    if (ok(candidate) && !ok(primary)) cols.primaryOnlyErrors++
    if (ok(primary) && Number.isFinite(primary.latencyMs)) cols.primaryLatency.push(primary.latencyMs)
    if (ok(candidate) && Number.isFinite(candidate.latencyMs)) cols.candidateLatency.push(candidate.latencyMs)
    if (!ok(primary) || !ok(candidate)) continue
    cols.bothOk++
    for (const [field, p] of Object.entries(primary.scores)) {
      if (scoreFilter !== undefined && !scoreFilter.has(field)) continue
      let column = cols.scores.get(field)
      if (column === undefined) {
        column = newScoreColumn()
        cols.scores.set(field, column)
      }
      column.primaryCarried++
      const c = candidate.scores[field]
      if (c === undefined) continue
      if (!Number.isFinite(p) || !Number.isFinite(c)) {
        cols.nonFinite++
        continue
      }
      const s = secondary?.scores[field]
      column.primary.push(p)
      column.candidate.push(c)
      column.secondary.push(s !== undefined && Number.isFinite(s) ? s : Number.NaN)
      column.at.push(pair.at)
      column.pairIndex.push(index)
    }
    for (const [field, p] of Object.entries(primary.labels)) {
      if (labelFilter !== undefined && !labelFilter.has(field)) continue
      let column = cols.labels.get(field)
      if (column === undefined) {
        column = newLabelColumn()
        cols.labels.set(field, column)
      }
      const c = candidate.labels[field]
      if (c === undefined) continue
      column.n++
      column.values.set(p, (column.values.get(p) ?? 0) + 1)
      const s = secondary?.labels[field]
      if (s !== undefined) column.withSecondary++
      if (s !== undefined && s !== p) column.noise++
      if (c === p) continue
      column.rawFlips++
      if (s !== undefined && s !== p) column.both++
      const kind = `${p} → ${c}`
      column.kinds.set(kind, (column.kinds.get(kind) ?? 0) + 1)
    }
    countFields(cols.missing, candidate.missingFields, secondary?.missingFields, secondary !== undefined)
    countFields(cols.added, candidate.addedFields, secondary?.addedFields, secondary !== undefined)
  }
  return cols
}

function countFields(
  into: Map<string, FieldCount>,
  paths: readonly string[] | undefined,
  secondaryPaths: readonly string[] | undefined,
  hasSecondary: boolean,
): void {
  if (paths === undefined || paths.length === 0) return
  const noise = hasSecondary ? new Set(secondaryPaths ?? []) : undefined
  for (const path of paths) {
    let entry = into.get(path)
    if (entry === undefined) {
      entry = { count: 0, noise: 0 }
      into.set(path, entry)
    }
    if (noise?.has(path) === true) entry.noise++
    else entry.count++
  }
}

function bump(
  kinds: Map<string, number>,
  kind: string,
  cols: CanaryColumns,
  key: 'primaryErrors' | 'candidateErrors',
): void {
  kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
  cols[key]++
}

function newScoreColumn(): ScoreColumn {
  return { primary: [], candidate: [], secondary: [], at: [], pairIndex: [], primaryCarried: 0 }
}

function newLabelColumn(): LabelColumn {
  return { n: 0, rawFlips: 0, noise: 0, both: 0, withSecondary: 0, kinds: new Map(), values: new Map() }
}
