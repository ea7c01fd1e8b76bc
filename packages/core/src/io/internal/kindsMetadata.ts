import type { Column, ColumnKind } from '../../Table.js'

/** Key under which writers store ModelGate column kinds in Parquet/Arrow metadata, so a round trip keeps them. */
export const KINDS_METADATA_KEY = 'modelgate.kinds'

export type KindsMetadata = Record<string, { kind: ColumnKind; format?: string }>

// Null-prototype objects on both sides: a column named `__proto__` (or `constructor`) is a key like any other.
export function kindsMetadata(columns: readonly Column[]): string {
  const out: KindsMetadata = Object.create(null) as KindsMetadata
  for (const c of columns) out[c.name] = c.kind === 'datetime' ? { kind: c.kind, format: c.format } : { kind: c.kind }
  return JSON.stringify(out)
}

export function parseKindsMetadata(text: string | undefined): KindsMetadata | undefined {
  if (text === undefined) return undefined
  try {
    const parsed = JSON.parse(text) as unknown
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
    return Object.assign(Object.create(null) as KindsMetadata, parsed)
  } catch {
    return undefined
  }
}
