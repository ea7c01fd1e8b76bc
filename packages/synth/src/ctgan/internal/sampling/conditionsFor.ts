import type { SynthError } from '../../../errors.js'
import { impossibleWhere, unknownWhereColumn } from '../../../internal/whereErrors.js'
import type { SynthModelFile } from '../../../modelFile.js'
import type { WhereValue } from '../../../types.js'
import type { CtganSection } from '../ctganSection.js'

type SpecColumn = CtganSection['transformer']['columns'][number]
type ContinuousSpec = Extract<SpecColumn, { type: 'continuous' }>
type DiscreteSpec = Extract<SpecColumn, { type: 'discrete' }>

/** A condition of conditional sampling. */
export interface Condition {
  readonly column: number
  readonly spec: ContinuousSpec | DiscreteSpec
  /** Slot for discrete columns (−1: none to fix in the conditional vector); the value for continuous ones. */
  readonly slot: number
  readonly value: number
  /** For a derived column: the source's decoded codes (−1: null) that give the wanted value; a row must hold one. */
  readonly codes?: readonly number[]
}

/**
 * The conditions of a `where`: a discrete column fixes its slot in the conditional vector (and rows are checked
 * after decoding), a derived column conditions the column it follows, a continuous one is kept by rejection.
 * Throws MG_SYNTH_WHERE_INVALID for an unknown column and MG_SYNTH_WHERE_IMPOSSIBLE for a value the model never
 * generates.
 */
export function conditionsFor(
  where: Readonly<Record<string, WhereValue>> | undefined,
  file: SynthModelFile,
  section: CtganSection,
): Condition[] {
  const spec = section.transformer
  const byName = new Map(file.columns.map((m, i) => [m.name, i]))
  const out: Condition[] = []
  for (const [name, raw] of Object.entries(where ?? {})) {
    const index = byName.get(name)
    if (index === undefined)
      throw unknownWhereColumn(
        name,
        file.columns.map((c) => c.name),
      )
    const s = spec.columns[index]!
    const impossible = (why: string): SynthError => impossibleWhere(name, raw, why)
    if (s.type === 'unlearned')
      throw impossible(
        file.columns[index]!.kind === 'pii'
          ? 'it is a PII column, regenerated fresh and never learned'
          : file.columns[index]!.kind === 'text'
            ? 'it is regenerated from its shape, never learned value by value'
            : 'the column is always null in the model',
      )
    if (s.type === 'derived') {
      // A derived column follows a discrete one: its value names the slots of that column that produce it
      // (one is fixed in the conditional vector; several are kept by rejection).
      const source = spec.columns[s.from]
      const kind = file.columns[index]!.kind
      const wanted =
        kind === 'boolean'
          ? booleanLabel(raw)
          : kind === 'categorical'
            ? String(raw)
            : typeof raw === 'number'
              ? raw
              : Number(String(raw))
      const slots = s.values.flatMap((v, slot) => (v !== null && v === wanted ? [slot] : []))
      if (source?.type !== 'discrete' || slots.length === 0)
        throw impossible('the column follows another column and never takes this value')
      const codes = slots.map((slot) => (slot === source.labels.length ? -1 : slot))
      const slot = codes.length === 1 ? slots[0]! : -1
      out.push({ column: s.from, spec: source, slot, value: slot, codes })
      continue
    }
    if (s.type === 'discrete') {
      const label = s.kind === 'boolean' ? booleanLabel(raw) : String(raw)
      const slot = label === null ? -1 : s.labels.indexOf(label)
      if (slot < 0 || (s.counts[slot] ?? 0) <= 0)
        throw impossible('the value is not among the categories the model stores (rare categories are never stored)')
      out.push({ column: index, spec: s, slot, value: slot })
    } else {
      const x = typeof raw === 'number' ? raw : s.kind === 'datetime' ? Date.parse(String(raw)) : Number(String(raw))
      if (!Number.isFinite(x)) throw impossible(`expected a ${s.kind === 'datetime' ? 'date' : 'number'}`)
      if (x < s.min || x > s.max) throw impossible(`the value is outside the learned range [${s.min}, ${s.max}]`)
      out.push({ column: index, spec: s, slot: -1, value: finish(s, x) })
    }
  }
  return out
}

/** Clip to the learned bounds and round as the column's profile says. */
function finish(s: ContinuousSpec, x: number): number {
  let y = Math.min(s.max, Math.max(s.min, x))
  if (s.kind === 'integer') y = Math.round(y)
  else if (s.decimals !== null) y = Math.round(y * 10 ** s.decimals) / 10 ** s.decimals
  else if (s.roundTo !== null && s.roundTo > 1) y = Math.round(y / s.roundTo) * s.roundTo
  return Math.min(s.max, Math.max(s.min, y))
}

function booleanLabel(raw: WhereValue): string | null {
  const s = String(raw).toLowerCase()
  if (s === 'true' || s === '1') return 'true'
  if (s === 'false' || s === '0') return 'false'
  return null
}
