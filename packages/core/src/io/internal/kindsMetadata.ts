import type { Column, ColumnKind } from '../../Table.js'

/** Key under which writers store ModelGate column kinds in Parquet/Arrow metadata, so a round trip keeps them. */
export const KINDS_METADATA_KEY = 'modelgate.kinds'

export type KindsMetadata = Record<string, { kind: ColumnKind; format?: string }>

export function kindsMetadata(columns: readonly Column[]): string {
  const out: KindsMetadata = {}
  for (const c of columns) out[c.name] = c.kind === 'datetime' ? { kind: c.kind, format: c.format } : { kind: c.kind }
  return JSON.stringify(out)
}

export function parseKindsMetadata(text: string | undefined): KindsMetadata | undefined {
  if (text === undefined) return undefined
  try {
    const parsed = JSON.parse(text) as unknown
    return typeof parsed === 'object' && parsed !== null ? (parsed as KindsMetadata) : undefined
  } catch {
    return undefined
  }
}
