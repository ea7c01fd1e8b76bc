import type { WriteStream } from 'node:fs'
import { createWriteStream, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import type { BadEventReason } from './createEventValidator.js'

export interface DeadLetterEntry {
  readonly reason: BadEventReason
  /** Which field and what was expected (never a value). */
  readonly problem: string
  /** Where it came from: `http`, `file:<line>`, `redis:<id>` … */
  readonly source: string
  /** The event after redaction (`createRedactor`), or null when it was not JSON. */
  readonly event: unknown
}

export interface DeadLetter {
  write(entry: DeadLetterEntry): void
  /** Lines written. */
  readonly written: number
  close(): Promise<void>
}

/** Appends refused events as JSON lines (`{"at": …, "reason": …, "problem": …, "source": …, "event": …}`). */
export function createDeadLetter(path: string): DeadLetter {
  mkdirSync(dirname(path), { recursive: true })
  const stream: WriteStream = createWriteStream(path, { flags: 'a' })
  let written = 0
  return {
    write(entry) {
      stream.write(`${JSON.stringify({ at: new Date().toISOString(), ...entry })}\n`)
      written++
    },
    get written() {
      return written
    },
    close: () =>
      new Promise<void>((resolve, reject) => stream.end((error?: Error | null) => (error ? reject(error) : resolve()))),
  }
}
