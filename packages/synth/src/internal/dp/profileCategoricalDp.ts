import type { BooleanColumn, Column, ColumnSchema } from '@modelgate/core'
import { SynthError } from '../../errors.js'
import type { CategoricalColumnModel, ColumnModel, NumericColumnModel } from '../../modelFile.js'
import type { PiiKind } from '../../types.js'
import type { ColumnProfile } from '../profileColumn.js'
import type { DpColumnContext } from './dpColumnContext.js'

/**
 * The DP marginal of a categorical (or text) column.
 * - Categories declared in the schema (`values`) are a public domain: one histogram over nulls, every declared
 *   value and "any other value" gets noise, so whether a value occurs is protected too; a value is kept when its
 *   noisy count reaches k. Pure ε.
 * - Otherwise the categories come from the data and are chosen by noisy counts alone: noise on the count of each
 *   value present, kept when the noisy count reaches a threshold τ set so that a value a single row holds is
 *   released with probability ≤ δ (a stability-based histogram, Korolova et al. 2009; Bun, Nissim & Stemmer 2016;
 *   Wilson et al. 2020). No true count is compared with anything. (ε, δ)-DP. Nulls and the rows of categories not
 *   kept (the `__other__` bucket) come from a separate noisy count of nulls and non-nulls.
 * The latent order starts as the noisy-count order; the DP copula reorders it from noisy tables.
 */
export function profileCategoricalDp(
  name: string,
  numRows: number,
  isNull: Uint8Array,
  valueAt: (i: number) => string,
  schema: ColumnSchema | undefined,
  ctx: DpColumnContext,
): ColumnProfile {
  const counts = new Map<string, number>()
  let nulls = 0
  for (let i = 0; i < numRows; i++) {
    if (isNull[i] === 1) {
      nulls++
      continue
    }
    const v = valueAt(i)
    counts.set(v, (counts.get(v) ?? 0) + 1)
  }
  const present = numRows - nulls
  const allowed = schema?.values === undefined ? null : [...new Set(schema.values)]
  let kept: [string, number][]
  let noisyNulls: number
  let noisyPresent: number
  if (allowed !== null) {
    ctx.publicFacts.push(`${name}: the ${allowed.length} categories declared in the schema`)
    const allowedSet = new Set(allowed)
    let outside = 0
    for (const [v, c] of counts) if (!allowedSet.has(v)) outside += c
    const released = ctx.ledger.noisyCounts(
      {
        column: name,
        quantity: `nulls, each of the schema's ${allowed.length} categories, and values outside them`,
        epsilon: ctx.epsilon,
        sensitivity: 1,
      },
      [nulls, ...allowed.map((v) => counts.get(v) ?? 0), outside],
      NULLS_FALSE_POSITIVE,
    )
    const noisy = released.counts
    noisyNulls = nullsOf(noisy[0] as number, released.threshold as number)
    kept = []
    noisyPresent = 0
    for (let j = 0; j <= allowed.length; j++) {
      const c = Math.max(0, noisy[j + 1] as number)
      noisyPresent += c
      if (j < allowed.length && c >= ctx.k) kept.push([allowed[j] as string, c])
    }
  } else {
    const nullable = schema?.nullable !== false
    if (!nullable) ctx.publicFacts.push(`${name}: no nulls (schema: nullable false)`)
    // The `other` bucket needs the rows of the categories not kept: a noisy count of non-nulls, released first.
    const needPresent = ctx.rareCategories === 'other'
    const eValues = needPresent ? 0.8 * ctx.epsilon : ctx.epsilon
    noisyPresent = Number.NaN
    if (needPresent) {
      const { counts: noisy } = ctx.ledger.noisyCounts(
        { column: name, quantity: 'non-nulls', epsilon: ctx.epsilon - eValues, sensitivity: 1 },
        [present],
      )
      noisyPresent = Math.max(0, noisy[0] as number)
    }
    const released = ctx.ledger.noisySelection(
      {
        column: name,
        quantity: `${nullable ? 'nulls, and ' : ''}categories present in the data, kept when their noisy count reaches the threshold`,
        epsilon: eValues,
        sensitivity: 1,
        delta: ctx.delta,
        minCount: ctx.k,
      },
      counts,
      nullable ? [nulls] : [],
    )
    kept = [...released.selected]
    noisyNulls = nullable ? nullsOf(released.fixed[0] as number, released.noise.quantileAbove(NULLS_FALSE_POSITIVE)) : 0
    // Without a count of non-nulls, the null rate is relative to the kept categories' rows.
    if (Number.isNaN(noisyPresent)) noisyPresent = kept.reduce((s, [, c]) => s + c, 0)
  }
  ctx.rowEstimates.push(noisyNulls + noisyPresent)
  if (kept.length > ctx.maxCategories) {
    throw new SynthError(
      'MG_SYNTH_CATEGORY_EXPLOSION',
      `Column "${name}"${ctx.source === undefined ? '' : ` in ${ctx.source}`} has more than ${ctx.maxCategories.toLocaleString('en-US')} ` +
        'categories whose noisy counts pass the threshold: a synthesizer cannot learn it without memorizing values.',
      {
        hint: `If it is an identifier, tag it as one (pii: { ${name}: 'id' }, or kind "id" in the schema); if it is free text, as 'free_text'; or drop the column.`,
        location: { ...(ctx.source === undefined ? {} : { file: ctx.source }), column: name },
      },
    )
  }
  // Initial latent order: noisy counts, largest first (ties by value); reordered later from noisy tables.
  kept.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  const keptTotal = kept.reduce((s, [, c]) => s + c, 0)
  const rareCount = Math.max(0, noisyPresent - keptTotal)
  const useOther = ctx.rareCategories === 'other' && allowed === null && rareCount >= ctx.k
  const total = keptTotal + (useOther ? rareCount : 0)
  const index = new Map(kept.map(([v], i) => [v, i]))
  const keys = new Float64Array(numRows)
  for (let i = 0; i < numRows; i++) {
    if (isNull[i] === 1) {
      keys[i] = Number.NaN
      continue
    }
    const idx = index.get(valueAt(i))
    keys[i] = idx !== undefined ? idx : useOther ? kept.length : Number.NaN
  }
  const empty = kept.length === 0 && !useOther
  const model: CategoricalColumnModel = {
    name,
    kind: 'categorical',
    nullRate: empty ? 1 : rate(noisyNulls, noisyPresent),
    categories: kept.map(([value, c]) => ({ value, p: total > 0 ? c / total : 0 })),
    rare: {
      mode: useOther ? 'other' : 'drop',
      label: useOther ? ctx.otherLabel : null,
      p: useOther && total > 0 ? rareCount / total : 0,
    },
  }
  return { model, keys: empty ? null : keys, isNull }
}

/** DP marginal of a boolean column: one histogram over null, false and true. Pure ε. */
export function profileBooleanDp(
  column: BooleanColumn,
  isNull: Uint8Array,
  numRows: number,
  ctx: DpColumnContext,
): ColumnProfile {
  const counts = [0, 0, 0]
  const keys = new Float64Array(numRows)
  for (let i = 0; i < numRows; i++) {
    if (isNull[i] === 1) {
      keys[i] = Number.NaN
      counts[0] = (counts[0] as number) + 1
    } else {
      const v = column.values[i] as number
      keys[i] = v
      counts[v === 1 ? 2 : 1] = (counts[v === 1 ? 2 : 1] as number) + 1
    }
  }
  const released = ctx.ledger.noisyCounts(
    { column: column.name, quantity: 'nulls, false and true', epsilon: ctx.epsilon, sensitivity: 1 },
    counts,
    NULLS_FALSE_POSITIVE,
  )
  const [f, t] = Array.from(released.counts.subarray(1), (x) => Math.max(0, x)) as [number, number]
  const n = nullsOf(released.counts[0] as number, released.threshold as number)
  ctx.rowEstimates.push(n + f + t)
  const present = f + t
  const model: ColumnModel = {
    name: column.name,
    kind: 'boolean',
    nullRate: present > 0 ? rate(n, present) : 1,
    pTrue: present > 0 ? t / present : 0,
  }
  return { model, keys: present > 0 ? keys : null, isNull }
}

/** A PII column under DP: never learned; only its null rate, from a noisy count of nulls and non-nulls. */
export function profilePiiDp(
  name: string,
  pii: PiiKind,
  outputKind: 'text' | 'id',
  unique: boolean,
  isNull: Uint8Array,
  numRows: number,
  nullable: boolean,
  ctx: DpColumnContext | null,
): ColumnProfile {
  let nullRate = 0
  if (nullable && ctx !== null) {
    let nulls = 0
    for (let i = 0; i < numRows; i++) nulls += isNull[i] as number
    const { counts: noisy, threshold } = ctx.ledger.noisyCounts(
      {
        column: name,
        quantity: 'nulls and non-nulls (PII column: nothing else is learned)',
        epsilon: ctx.epsilon,
        sensitivity: 1,
      },
      [nulls, numRows - nulls],
      NULLS_FALSE_POSITIVE,
    )
    const n = nullsOf(noisy[0] as number, threshold as number)
    const p = Math.max(0, noisy[1] as number)
    ctx.rowEstimates.push(n + p)
    nullRate = n + p > 0 ? rate(n, p) : 0
  }
  return { model: { name, kind: 'pii', pii, outputKind, nullRate, unique }, keys: null, isNull }
}

/**
 * A quasi-identifier column under DP (the entity-memorization rule flagged it): none of its values is learned, the
 * whole column is folded. The value-by-value fold of training without DP cannot be used here — whether one value is folded depends on the
 * other rows, so one added row could decide whether a whole group is stored (unbounded privacy loss). A categorical
 * column is all null, or with `rareCategories: 'other'` every value becomes the other label, at a null rate from a
 * noisy count of nulls and non-nulls; a numeric one is all null, as when every value is folded without DP.
 */
export function profileQuasiIdentifierDp(
  column: Column,
  isNull: Uint8Array,
  numRows: number,
  nullable: boolean,
  ctx: DpColumnContext,
): ColumnProfile {
  if (column.kind !== 'categorical' && column.kind !== 'text') {
    const kind = column.kind === 'datetime' ? 'datetime' : column.kind === 'integer' ? 'integer' : 'numeric'
    const model: NumericColumnModel = {
      name: column.name,
      kind,
      nullRate: 1,
      min: null,
      max: null,
      decimals: null,
      roundTo: null,
      ...(column.kind === 'datetime' ? { format: column.format } : {}),
      spikes: [],
      continuous: null,
    }
    return { model, keys: null, isNull }
  }
  const useOther = ctx.rareCategories === 'other'
  let nullRate = 1
  if (useOther && ctx.epsilon > 0) {
    let nulls = 0
    for (let i = 0; i < numRows; i++) nulls += isNull[i] as number
    const released = ctx.ledger.noisyCounts(
      {
        column: column.name,
        quantity: 'nulls and non-nulls (quasi-identifier column: none of its values is learned)',
        epsilon: ctx.epsilon,
        sensitivity: 1,
      },
      [nullable ? nulls : 0, numRows - nulls],
      NULLS_FALSE_POSITIVE,
    )
    const n = nullable ? nullsOf(released.counts[0] as number, released.threshold as number) : 0
    const present = Math.max(0, released.counts[1] as number)
    ctx.rowEstimates.push(n + present)
    if (present >= ctx.k) nullRate = rate(n, present)
  }
  const other = nullRate < 1
  const model: CategoricalColumnModel = {
    name: column.name,
    kind: 'categorical',
    nullRate,
    categories: [],
    rare: { mode: other ? 'other' : 'drop', label: other ? ctx.otherLabel : null, p: other ? 1 : 0 },
  }
  return { model, keys: null, isNull }
}

/** Probability that a column without nulls gets a noisy null count at or above the threshold that reads as nulls. */
const NULLS_FALSE_POSITIVE = 0.01

/** A noisy null count below the threshold is what noise alone gives a column without nulls: read as none. */
function nullsOf(noisy: number, threshold: number): number {
  return noisy >= threshold ? noisy : 0
}

function rate(nulls: number, present: number): number {
  const total = nulls + present
  return total > 0 ? Math.min(1, Math.max(0, nulls / total)) : 0
}
