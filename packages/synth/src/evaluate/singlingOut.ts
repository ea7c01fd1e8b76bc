import type { Random } from '@modelgate/core'
import { lnGamma } from '@modelgate/stats'
import type { AttackColumn, AttackTable } from './encodeAttackTables.js'

type ConditionOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'null' | 'notnull'

/** `column op value` on encoded values (a code for categories, the number itself for numbers). */
interface Condition {
  readonly column: number
  readonly op: ConditionOp
  readonly value: number
}

/** A conjunction of conditions: "the one person with X, Y and Z". Holds values: never leaves the evaluation. */
export type Predicate = readonly Condition[]

function isNull(x: number, numeric: boolean): boolean {
  return numeric ? Number.isNaN(x) : x === -1
}

function holds(x: number, c: Condition, numeric: boolean): boolean {
  switch (c.op) {
    case 'null':
      return isNull(x, numeric)
    case 'notnull':
      return !isNull(x, numeric)
    case 'eq':
      return x === c.value
    case 'ne':
      return !isNull(x, numeric) && x !== c.value
    case 'lt':
      return x < c.value
    case 'le':
      return x <= c.value
    case 'gt':
      return x > c.value
    case 'ge':
      return x >= c.value
  }
}

/** Counts the rows of one table that match predicates. */
export interface RowMatcher {
  readonly rows: number
  /** Rows matching the predicate, counting no further than `limit`. Nulls match only null tests. */
  count(predicate: Predicate, limit?: number): number
}

/**
 * A matcher over an encoded table. Equality and null tests are answered from posting lists (value → rows, built
 * per column on first use): a predicate with such a test only visits the rows of its shortest list; one without
 * scans the table.
 */
export function createRowMatcher(table: AttackTable, columns: readonly AttackColumn[]): RowMatcher {
  const postings = new Map<number, Map<number, number[]>>()
  const listsOf = (j: number): Map<number, number[]> => {
    let lists = postings.get(j)
    if (lists === undefined) {
      lists = new Map()
      const v = table.values[j] as Float64Array
      for (let i = 0; i < table.rows; i++) {
        const x = v[i] as number
        const list = lists.get(x)
        if (list === undefined) lists.set(x, [i])
        else list.push(i)
      }
      postings.set(j, lists)
    }
    return lists
  }
  const nullKey = (j: number): number => (columns[j]?.numeric === true ? Number.NaN : -1)
  const holdsAt = (c: Condition, i: number): boolean =>
    holds((table.values[c.column] as Float64Array)[i] as number, c, columns[c.column]?.numeric === true)
  return {
    rows: table.rows,
    count(predicate, limit = Number.POSITIVE_INFINITY) {
      let shortest: number[] | undefined
      let anchor = -1
      predicate.forEach((c, p) => {
        if (c.op !== 'eq' && c.op !== 'null') return
        const list = listsOf(c.column).get(c.op === 'eq' ? c.value : nullKey(c.column)) ?? []
        if (shortest === undefined || list.length < shortest.length) {
          shortest = list
          anchor = p
        }
      })
      let count = 0
      if (shortest !== undefined) {
        for (const i of shortest) {
          let all = true
          for (let p = 0; p < predicate.length && all; p++)
            if (p !== anchor) all = holdsAt(predicate[p] as Condition, i)
          if (all && ++count >= limit) return count
        }
        return count
      }
      for (let i = 0; i < table.rows; i++) {
        let all = true
        for (let p = 0; p < predicate.length && all; p++) all = holdsAt(predicate[p] as Condition, i)
        if (all && ++count >= limit) return count
      }
      return count
    },
  }
}

/**
 * Columns whose synthetic values are (nearly) all different and not numbers — ids, emails, regenerated names: an
 * equality on one is a lookup key, not a combination of attributes, and a predicate on a regenerated one can never
 * match a real row, so such predicates would only dilute the singling-out rate. (A copied identifier is still
 * caught: by the membership and inference attacks, the exact-copy check and the PII scan.)
 */
export function identifierLike(synthetic: AttackTable, columns: readonly AttackColumn[]): number[] {
  return columns.flatMap((col, j) => {
    if (col.numeric) return []
    const v = synthetic.values[j] as Float64Array
    let present = 0
    const distinct = new Set<number>()
    for (const x of v)
      if (x !== -1) {
        present++
        distinct.add(x)
      }
    return present >= 20 && distinct.size >= 0.9 * present ? [j] : []
  })
}

function key(predicate: Predicate): string {
  return predicate.map((c) => `${c.column}${c.op}${c.value}`).join('&')
}

function shuffle<T>(xs: T[], random: Random): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = random.int(i + 1)
    ;[xs[i], xs[j]] = [xs[j] as T, xs[i] as T]
  }
  return xs
}

/**
 * The univariate attack of the Anonymeter paper: predicates on one attribute that single out a synthetic row — a
 * value seen once, the minimum or maximum of a numeric column, the only null — kept when they match exactly one
 * synthetic row, at most `count` of them, in random order.
 */
export function univariatePredicates(
  synthetic: AttackTable,
  columns: readonly AttackColumn[],
  options: { count: number; random: Random; usable?: readonly number[] },
): Predicate[] {
  const { count, random } = options
  const matcher = createRowMatcher(synthetic, columns)
  const candidates: Predicate[] = []
  for (const j of options.usable ?? columns.map((_, i) => i)) {
    const col = columns[j] as AttackColumn
    const v = synthetic.values[j] as Float64Array
    const seen = new Map<number, number>()
    let nulls = 0
    let lo = Number.POSITIVE_INFINITY
    let hi = Number.NEGATIVE_INFINITY
    for (const x of v) {
      if (isNull(x, col.numeric)) {
        nulls++
        continue
      }
      seen.set(x, (seen.get(x) ?? 0) + 1)
      if (x < lo) lo = x
      if (x > hi) hi = x
    }
    if (nulls === 1) candidates.push([{ column: j, op: 'null', value: 0 }])
    if (col.numeric && lo <= hi)
      candidates.push([{ column: j, op: 'le', value: lo }], [{ column: j, op: 'ge', value: hi }])
    for (const [x, n] of seen) if (n === 1) candidates.push([{ column: j, op: 'eq', value: x }])
  }
  const kept = new Map<string, Predicate>()
  for (const p of shuffle(candidates, random)) {
    if (kept.size >= count) break
    const k = key(p)
    if (!kept.has(k) && matcher.count(p, 2) === 1) kept.set(k, p)
  }
  return [...kept.values()]
}

/**
 * The multivariate attack of the Anonymeter paper: pick a synthetic row and `nCols` of its attributes at random;
 * a category must equal the row's, a number must be at least the row's value when that is above the column's
 * synthetic median and at most it otherwise (as Anonymeter does), a null must be null. Keep the predicate when it
 * singles out that row among the synthetic rows; stop at `count` predicates or after `maxAttempts` tries.
 */
export function multivariatePredicates(
  synthetic: AttackTable,
  columns: readonly AttackColumn[],
  options: { count: number; nCols: number; maxAttempts: number; random: Random; usable?: readonly number[] },
): Predicate[] {
  const { random } = options
  const draws = columnDraws(columns, options)
  if (synthetic.rows === 0 || draws.nCols === 0) return []
  const medians = columns.map((col, j) => (col.numeric ? median(synthetic.values[j] as Float64Array) : Number.NaN))
  const matcher = createRowMatcher(synthetic, columns)
  const kept = new Map<string, Predicate>()
  for (let attempt = 0; attempt < options.maxAttempts && kept.size < options.count; attempt++) {
    const row = random.int(synthetic.rows)
    const chosen = draws.draw().sort((a, b) => a - b)
    const predicate: Condition[] = chosen.map((j) => {
      const col = columns[j] as AttackColumn
      const x = (synthetic.values[j] as Float64Array)[row] as number
      if (isNull(x, col.numeric)) return { column: j, op: 'null', value: 0 }
      if (!col.numeric) return { column: j, op: 'eq', value: x }
      return { column: j, op: x > (medians[j] as number) ? 'ge' : 'le', value: x }
    })
    if (matcher.count(predicate, 2) !== 1) continue
    const k = key(predicate)
    if (!kept.has(k)) kept.set(k, predicate)
  }
  return [...kept.values()]
}

/**
 * The attribute draws of a predicate maker: `nCols` distinct columns of `usable` (default: all) per `draw()`, by a
 * partial Fisher–Yates shuffle of one list kept between draws.
 */
function columnDraws(
  columns: readonly AttackColumn[],
  options: { nCols: number; random: Random; usable?: readonly number[] },
): { readonly nCols: number; draw(): number[] } {
  const picks = [...(options.usable ?? columns.map((_, j) => j))]
  const p = picks.length
  const nCols = Math.min(options.nCols, p)
  return {
    nCols,
    draw: () => {
      for (let i = 0; i < nCols; i++) {
        const j = i + options.random.int(p - i)
        ;[picks[i], picks[j]] = [picks[j] as number, picks[i] as number]
      }
      return picks.slice(0, nCols)
    },
  }
}

/**
 * The paper's baseline attacker (a sanity check): `count` predicates on `nCols` random attributes with random
 * values seen in the synthetic data and random operators, made without looking at any row as a whole.
 */
export function randomPredicates(
  synthetic: AttackTable,
  columns: readonly AttackColumn[],
  options: { count: number; nCols: number; random: Random; usable?: readonly number[] },
): Predicate[] {
  const { random } = options
  const draws = columnDraws(columns, options)
  if (synthetic.rows === 0 || draws.nCols === 0) return []
  const distinct = columns.map((_, j) => [...new Set(synthetic.values[j] as Float64Array)])
  const out: Predicate[] = []
  for (let q = 0; q < options.count; q++) {
    out.push(
      draws.draw().map((j): Condition => {
        const col = columns[j] as AttackColumn
        const values = distinct[j] as number[]
        const x = values[random.int(values.length)] as number
        if (isNull(x, col.numeric)) return { column: j, op: random.int(2) === 0 ? 'null' : 'notnull', value: 0 }
        const ops: readonly ConditionOp[] = col.numeric ? ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] : ['eq', 'ne']
        return { column: j, op: ops[random.int(ops.length)] as ConditionOp, value: x }
      }),
    )
  }
  return out
}

/**
 * How many of the predicates are expected to single out one row of a random subset of `size` of the `rows` rows,
 * given how many of them each predicate matches (`matches`): exactly, by the hypergeometric law — a predicate
 * matching c rows singles out a subset of n with probability c · C(N − c, n − 1) / C(N, n).
 */
export function expectedSinglingOut(matches: readonly number[], rows: number, size: number): number {
  if (size >= rows) return matches.filter((c) => c === 1).length
  const lnChoose = (n: number, k: number): number => lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1)
  const denominator = lnChoose(rows, size)
  let sum = 0
  for (const c of matches) {
    if (c <= 0 || rows - c < size - 1) continue
    sum += c * Math.exp(lnChoose(rows - c, size - 1) - denominator)
  }
  return sum
}

function median(v: Float64Array): number {
  const s = v.filter((x) => !Number.isNaN(x)).sort()
  if (s.length === 0) return Number.NaN
  const m = s.length >> 1
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2
}
