import type { IngestResult, Monitor } from '../createMonitor.js'
import { parseEventBody } from '../parseEventBody.js'

export interface BodyResult extends IngestResult {
  /** The body was a JSON array that did not parse (counted as one `invalid_json`). */
  readonly invalidArray: boolean
  /** True when the body changed the monitor's counts (anything in it, even only refused lines). */
  readonly counted: boolean
}

/**
 * One HTTP batch into the monitor: lines that are not JSON (or a broken JSON array) are refused as `invalid_json`,
 * the values ingested. The server and the write-ahead log's replay both go through here, so a replayed batch counts
 * exactly as it did when it came.
 */
export function ingestEventBody(monitor: Monitor, text: string, source: string): BodyResult {
  const parsed = parseEventBody(text)
  if (parsed.invalidArray) {
    monitor.refuse('invalid_json', 'the body starts as a JSON array but is not valid JSON', source)
    return { accepted: 0, refused: 1, late: 0, duplicates: 0, labels: 0, invalidArray: true, counted: true }
  }
  for (const line of parsed.invalidLines)
    monitor.refuse('invalid_json', `line ${line} is not JSON`, `${source}:${line}`)
  const result = monitor.ingest(parsed.values, source)
  return {
    ...result,
    refused: result.refused + parsed.invalidLines.length,
    invalidArray: false,
    counted: parsed.values.length + parsed.invalidLines.length > 0,
  }
}
