import { isAscii } from 'node:buffer'

export interface ParsedBody {
  /** The parsed values, in order. */
  readonly values: unknown[]
  /** 1-based line numbers of JSONL lines that are not JSON (the text itself is never kept: it may hold PII). */
  readonly invalidLines: number[]
  /** The body was a JSON array that did not parse: nothing in it could be read. */
  readonly invalidArray: boolean
}

/**
 * Reads a batch of events: a JSON array (`[{…}, {…}]`), one JSON object, or JSONL (one object per line). A JSONL
 * line that is not JSON is named by its line number and the rest of the batch is kept.
 */
export function parseEventBody(text: string): ParsedBody {
  const start = firstNonSpace(text)
  if (start < 0) return { values: [], invalidLines: [], invalidArray: false }
  if (text.charCodeAt(start) === 0x5b /* [ */) {
    try {
      const parsed: unknown = JSON.parse(text)
      if (Array.isArray(parsed)) return { values: parsed, invalidLines: [], invalidArray: false }
    } catch {
      // fall through
    }
    return { values: [], invalidLines: [], invalidArray: true }
  }
  const values: unknown[] = []
  const invalidLines: number[] = []
  let line = 0
  let from = 0
  while (from <= text.length) {
    let to = text.indexOf('\n', from)
    if (to < 0) to = text.length
    line++
    const slice = text.slice(from, to)
    if (slice.trim() !== '') {
      try {
        values.push(JSON.parse(slice))
      } catch {
        invalidLines.push(line)
      }
    }
    from = to + 1
  }
  return { values, invalidLines, invalidArray: false }
}

/**
 * The text of a body's bytes (UTF-8). An all-ASCII body — every 20-feature event the bench sends, most real traffic —
 * is read as Latin-1, which is then the same text: a plain copy into a one-byte string instead of UTF-8 decoding,
 * which cost more than the JSON.parse of the body itself in the monitor's profile (bench/RESULTS.md, session 5).
 */
export function decodeEventBody(bytes: Uint8Array): string {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return buffer.toString(isAscii(buffer) ? 'latin1' : 'utf8')
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i
  }
  return -1
}
