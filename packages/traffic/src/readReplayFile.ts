import { TrafficError } from './errors.js'
import { readLines } from './internal/readLines.js'
import type { PayloadRow } from './runLoad.js'

/** Recorded arrivals: offsets from the first (ms, ascending) and the payloads some of them carry. */
export interface ReplayTrace {
  readonly offsetsMs: Float64Array
  /** `payloads[k]` is arrival k's payload, when the trace carries one (JSONL only). */
  readonly payloads: readonly (PayloadRow | undefined)[]
  readonly format: 'jsonl' | 'access-log'
  /** How many arrivals carry a payload. */
  readonly withPayload: number
}

export interface ReadReplayFileOptions {
  readonly displayName?: string
  /** `jsonl` or `access-log`; default from the extension (`.jsonl`/`.ndjson` → jsonl, anything else → access-log). */
  readonly format?: 'jsonl' | 'access-log'
}

// 127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 (common and combined formats)
const CLF = /^\S+ \S+ .*?\[(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-]\d{4})\] "/
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/**
 * Reads a recorded traffic trace for replay.
 * - JSONL: one object per line with `ts` (or `timestamp`, `time`): epoch milliseconds or an ISO 8601 string, and an
 *   optional `payload` object (sent as the request's row).
 * - Common (or combined) access-log format: the `[10/Oct/2000:13:55:36 -0700]` timestamp of each line. Its one-second
 *   resolution is spread evenly: the m requests logged in one second are placed at (j + ½)·1000/m ms within it, so a
 *   burst keeps its size per second and the shape across seconds is exact. Request lines, paths and queries are not
 *   read (they may hold personal data).
 * Lines must be in time order: a line earlier than the one before fails with `MG_LOAD_BAD_REPLAY` naming both lines,
 * as does a malformed line (by number; its content is never echoed, since a trace may hold production data).
 */
export async function readReplayFile(path: string, options: ReadReplayFileOptions = {}): Promise<ReplayTrace> {
  const name = options.displayName ?? path
  const format = options.format ?? (/\.(jsonl|ndjson)(\.gz)?$/i.test(path) ? 'jsonl' : 'access-log')
  let times = new Float64Array(1024)
  let n = 0
  const payloads: (PayloadRow | undefined)[] = []
  let withPayload = 0
  let previousLine = 0
  const push = (t: number, line: number): void => {
    if (n > 0 && t < (times[n - 1] as number))
      throw bad(
        `${name} line ${line}: its timestamp is earlier than line ${previousLine}'s; a replay trace must be in time order.`,
        'Sort the trace by time first.',
      )
    if (n === times.length) {
      const bigger = new Float64Array(n * 2)
      bigger.set(times)
      times = bigger
    }
    times[n++] = t
    previousLine = line
  }
  if (format === 'jsonl') {
    for await (const [line, number] of readLines(path, name)) {
      if (line.trim() === '') continue
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        throw bad(`${name} line ${number}: not valid JSON (expected {"ts": …, "payload": {…}}).`)
      }
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw bad(`${name} line ${number}: expected a JSON object with a "ts" field.`)
      const record = value as Record<string, unknown>
      const ts = record.ts ?? record.timestamp ?? record.time
      const t = typeof ts === 'number' ? ts : typeof ts === 'string' ? Date.parse(ts) : Number.NaN
      if (!Number.isFinite(t))
        throw bad(
          `${name} line ${number}: "ts" must be epoch milliseconds or an ISO 8601 time, got ${ts === undefined ? 'nothing' : `a ${typeof ts} that is neither`}.`,
        )
      const payload = record.payload
      if (payload !== undefined && (payload === null || typeof payload !== 'object' || Array.isArray(payload)))
        throw bad(`${name} line ${number}: "payload" must be a JSON object.`)
      push(t, number)
      payloads.push(payload as PayloadRow | undefined)
      if (payload !== undefined) withPayload++
    }
  } else {
    // spread each second's lines evenly once the second is complete
    let second = Number.NaN
    let inSecond = 0
    const flush = (): void => {
      for (let j = 0; j < inSecond; j++) times[n - inSecond + j] = second + ((j + 0.5) * 1000) / inSecond
    }
    for await (const [line, number] of readLines(path, name)) {
      if (line.trim() === '') continue
      const m = CLF.exec(line)
      if (m === null)
        throw bad(
          `${name} line ${number}: not a common-log-format line (expected host ident user [dd/Mon/yyyy:HH:MM:SS ±zzzz] "request" status bytes).`,
        )
      const [, dd, mon, yyyy, hh, mi, ss, zone = '+0000'] = m
      const month = MONTHS.indexOf(mon as string)
      if (month < 0) throw bad(`${name} line ${number}: unknown month "${mon}".`)
      const offsetMin = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5)))
      const t = Date.UTC(Number(yyyy), month, Number(dd), Number(hh), Number(mi), Number(ss)) - offsetMin * 60_000
      if (t !== second) {
        if (inSecond > 0) flush()
        push(t, number)
        second = t
        inSecond = 1
      } else {
        push(t, number)
        inSecond++
      }
      payloads.push(undefined)
    }
    if (inSecond > 0) flush()
  }
  if (n === 0) throw bad(`${name} holds no arrivals.`)
  const t0 = times[0] as number
  const offsetsMs = new Float64Array(n)
  for (let i = 0; i < n; i++) offsetsMs[i] = (times[i] as number) - t0
  return { offsetsMs, payloads: withPayload === 0 ? [] : payloads, format, withPayload }
}

function bad(message: string, hint?: string): TrafficError {
  return new TrafficError('MG_LOAD_BAD_REPLAY', message, hint === undefined ? {} : { hint })
}
