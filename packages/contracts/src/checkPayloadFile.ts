import type { Report, TableSchema } from '@modelgate/core'
import type { Expectations } from '@modelgate/drift'
import { checkExpectations } from '@modelgate/drift'
import { readPayloads } from './readPayloads.js'

export interface CheckPayloadFileOptions {
  /** Name of the file in messages and in the report. */
  readonly displayName?: string
}

/**
 * `checkExpectations` over a payload file (JSON lines, CSV, Parquet …), read with the kinds the expectations name
 * and nothing more, so that an unknown category reaches the check instead of failing the reader.
 */
export async function checkPayloadFile(
  expectations: Expectations,
  file: string,
  options: CheckPayloadFileOptions = {},
): Promise<Report> {
  const name = options.displayName ?? file
  const schema: TableSchema = {
    version: 1,
    columns: expectations.features.map((f) => ({
      name: f.name,
      kind: f.kind,
      nullable: true,
      ...(f.format === undefined ? {} : { format: f.format }),
    })),
  }
  return checkExpectations(expectations, await readPayloads(file, { schema, displayName: name }), { source: name })
}
