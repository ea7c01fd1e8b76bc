import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import type { Table, TableSchema } from '@modelgate/core'
import { streamTable } from '@modelgate/core'
import { ContractsError } from './errors.js'
import type { PayloadRow } from './types.js'

export interface ReadPayloadsOptions {
  /** Column kinds for non-JSON files (CSV, Parquet …), read through @modelgate/core. */
  readonly schema?: TableSchema
  /** Name of the file in error messages. */
  readonly displayName?: string
}

async function* jsonLines(file: string, name: string): AsyncGenerator<PayloadRow> {
  const lines = createInterface({
    input: createReadStream(file, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  })
  let row = 0
  for await (const line of lines) {
    if (line.trim() === '') continue
    row++
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (cause) {
      throw new ContractsError(
        'MG_CONTRACTS_SAMPLE_INVALID',
        `${name} row ${row.toLocaleString('en-US')}: not valid JSON (${(cause as Error).message}).`,
        {
          cause,
          location: { file: name, row },
          hint: 'payload samples are JSON lines: one JSON object per line',
        },
      )
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new ContractsError(
        'MG_CONTRACTS_SAMPLE_INVALID',
        `${name} row ${row.toLocaleString('en-US')}: expected a JSON object (one payload), got ${Array.isArray(value) ? 'an array' : typeof value}.`,
        {
          location: { file: name, row },
        },
      )
    }
    yield value as PayloadRow
  }
}

/**
 * Streams payloads from a file: JSON lines (`.jsonl`, `.ndjson`) as rows — keeping "field absent" apart
 * from "field null" — and every other format @modelgate/core reads (CSV, JSON, Parquet, Arrow) as tables.
 */
export async function readPayloads(
  file: string,
  options: ReadPayloadsOptions = {},
): Promise<AsyncIterable<PayloadRow | Table>> {
  const name = options.displayName ?? file
  try {
    await access(file)
  } catch (cause) {
    throw new ContractsError('MG_CONTRACTS_SAMPLE_INVALID', `Payload file ${name} does not exist or cannot be read.`, {
      cause,
      location: { file: name },
    })
  }
  if (/\.(jsonl|ndjson)$/i.test(file)) return jsonLines(file, name)
  return streamTable(file, { displayName: name, ...(options.schema !== undefined ? { schema: options.schema } : {}) })
}
