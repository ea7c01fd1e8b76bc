import type { Baseline, ColumnBaseline } from '@modelgate/drift'

type Numeric = Extract<ColumnBaseline, { kind: 'numeric' }>
type Categorical = Extract<ColumnBaseline, { kind: 'categorical' }>
type Pii = Extract<ColumnBaseline, { kind: 'pii' }>

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
const num = (x: number): string =>
  Math.abs(x) >= 1000 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3)
const nullRate = (c: ColumnBaseline): number => (c.rows === 0 ? 0 : c.nulls / c.rows)
const std = (c: Numeric): number => (c.count > 1 ? Math.sqrt(c.m2 / (c.count - 1)) : 0)

/** What moved in one column, as short phrases (empty: nothing beyond the thresholds). */
function columnChanges(a: ColumnBaseline, b: ColumnBaseline): string[] {
  const out: string[] = []
  if (a.kind !== b.kind) return [`kind ${a.kind} → ${b.kind}`]
  if (Math.abs(nullRate(a) - nullRate(b)) >= 0.005) out.push(`null rate ${pct(nullRate(a))} → ${pct(nullRate(b))}`)
  if (a.kind === 'numeric') {
    const nb = b as Numeric
    const sd = std(a) || 1
    if (Math.abs(nb.mean - a.mean) / sd >= 0.05)
      out.push(`mean ${num(a.mean)} → ${num(nb.mean)} (${((nb.mean - a.mean) / sd).toFixed(2)} sd)`)
    if (std(a) > 0 && Math.abs(std(nb) / std(a) - 1) >= 0.05) out.push(`sd ${num(std(a))} → ${num(std(nb))}`)
    if (nb.trimmedMin !== a.trimmedMin || nb.trimmedMax !== a.trimmedMax)
      out.push(
        `trimmed range [${num(a.trimmedMin)}, ${num(a.trimmedMax)}] → [${num(nb.trimmedMin)}, ${num(nb.trimmedMax)}]`,
      )
  } else if (a.kind === 'categorical') {
    const cb = b as Categorical
    const share = (c: Categorical): Map<string, number> =>
      new Map(c.categories.map(([name, n]) => [name, c.count === 0 ? 0 : n / c.count]))
    const sa = share(a)
    const sb = share(cb)
    const added = [...sb.keys()].filter((k) => !sa.has(k))
    const removed = [...sa.keys()].filter((k) => !sb.has(k))
    // categories in a baseline are the non-rare ones (seen ≥ rareMinCount times): naming them reveals no rare value
    if (added.length > 0) out.push(`new categories ${added.join(', ')}`)
    if (removed.length > 0) out.push(`categories no longer common: ${removed.join(', ')}`)
    for (const [name, before] of sa) {
      const after = sb.get(name)
      if (after !== undefined && Math.abs(after - before) >= 0.01) out.push(`${name} ${pct(before)} → ${pct(after)}`)
    }
  } else if (a.kind === 'pii') {
    const pb = b as Pii
    const valid = (c: Pii): number => (c.count === 0 ? 1 : c.valid / c.count)
    if (Math.abs(valid(a) - valid(pb)) >= 0.005) out.push(`valid format ${pct(valid(a))} → ${pct(valid(pb))}`)
  }
  return out
}

/**
 * A readable account of what changed between two baselines (Markdown): columns added, removed or changed kind;
 * per column the null rate, mean and spread, trimmed range, category shares and PII format validity beyond small
 * thresholds. It quotes what baselines already hold (aggregates and non-rare categories), never a row.
 */
export function diffBaselines(
  before: Baseline,
  after: Baseline,
  names: { before?: string; after?: string } = {},
): string {
  const lines = [
    `# Baseline change${names.before === undefined ? '' : `: ${names.before}`}`,
    '',
    `- before: ${before.source.rows.toLocaleString('en-US')} rows${before.source.name === undefined ? '' : ` of ${before.source.name}`}, built ${before.createdAt}`,
    `- after: ${after.source.rows.toLocaleString('en-US')} rows${after.source.name === undefined ? '' : ` of ${after.source.name}`}, built ${after.createdAt}${names.after === undefined ? '' : ` (${names.after})`}`,
    '',
  ]
  const old = new Map(before.columns.map((c) => [c.name, c]))
  const now = new Map(after.columns.map((c) => [c.name, c]))
  const rows: string[] = []
  for (const c of after.columns) if (!old.has(c.name)) rows.push(`| ${c.name} | ${c.kind} | added |`)
  for (const c of before.columns) if (!now.has(c.name)) rows.push(`| ${c.name} | ${c.kind} | removed |`)
  for (const c of before.columns) {
    const d = now.get(c.name)
    if (d === undefined) continue
    const changes = columnChanges(c, d)
    if (changes.length > 0) rows.push(`| ${c.name} | ${d.kind} | ${changes.join('; ')} |`)
  }
  if ((before.prediction?.column ?? null) !== (after.prediction?.column ?? null))
    rows.push(`| (prediction) | | ${before.prediction?.column ?? 'none'} → ${after.prediction?.column ?? 'none'} |`)
  if (rows.length === 0)
    lines.push(
      'No column changed beyond the thresholds (null rate ±0.5 points, mean ±0.05 sd, sd ±5%, category share ±1 point).',
    )
  else lines.push('| column | kind | what changed |', '| --- | --- | --- |', ...rows)
  return `${lines.join('\n')}\n`
}
