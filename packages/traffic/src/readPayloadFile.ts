import { detectFormat, streamTable, tableToRows } from '@modelgate/core'
import { TrafficError } from './errors.js'
import { readLines } from './internal/readLines.js'
import type { PayloadRow } from './runLoad.js'

export interface ReadPayloadFileOptions {
  /** The file's name in messages (default: the path). */
  readonly displayName?: string
}

/**
 * Payload rows from a file: JSONL (`.jsonl`, `.ndjson`, also `.gz`) one JSON object per line, kept as written (nested
 * objects stay nested); CSV, JSON arrays, Parquet and Arrow through core's readers. A malformed line fails with
 * `MG_LOAD_BAD_PAYLOADS` naming the file and line, never its content (payloads may be production data).
 */
export async function* readPayloadFile(path: string, options: ReadPayloadFileOptions = {}): AsyncGenerator<PayloadRow> {
  const name = options.displayName ?? path
  if (/\.(jsonl|ndjson)(\.gz)?$/i.test(path)) {
    for await (const [line, n] of readLines(path, name)) {
      if (line.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        throw badPayload(`${name} line ${n}: not valid JSON (expected one JSON object per line).`)
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw badPayload(
          `${name} line ${n}: expected a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
        )
      yield value as PayloadRow
    }
    return
  }
  detectFormat(path)
  for await (const chunk of streamTable(path, { displayName: name })) yield* tableToRows(chunk) as PayloadRow[]
}

function badPayload(message: string): TrafficError {
  return new TrafficError('MG_LOAD_BAD_PAYLOADS', message, {
    hint: 'Fix or remove the line; payload files are JSONL, CSV, JSON, Parquet or Arrow.',
  })
}
