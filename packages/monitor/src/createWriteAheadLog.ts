import type { FileHandle } from 'node:fs/promises'
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { MonitorError } from './errors.js'

export interface WriteAheadLogOptions {
  readonly dir: string
  /** Appends are flushed to disk (fsync) at least this often; an append resolves after its flush. Default 100 ms. */
  readonly flushMs?: number
}

export interface WriteAheadLog {
  /** Appends one record; resolves once it is on disk (group commit: one fsync for every append of the interval). */
  append(text: string): Promise<void>
  /** Starts a new segment; returns a function that deletes the older ones (call it once a checkpoint holds them). */
  rotate(): Promise<() => Promise<void>>
  close(): Promise<void>
}

const HEADER = 8 // u32 length + u32 crc32, little endian
const SEGMENT = /^wal-(\d{12})\.log$/

/** The records of every segment in `dir`, oldest first. A torn last record (a crash mid-write) is ignored. */
export async function readWriteAheadLog(dir: string): Promise<string[]> {
  const names = await segments(dir)
  const out: string[] = []
  for (const name of names) {
    const data = await readFile(join(dir, name))
    let at = 0
    while (at + HEADER <= data.length) {
      const length = data.readUInt32LE(at)
      const sum = data.readUInt32LE(at + 4)
      if (at + HEADER + length > data.length) break // torn tail
      const body = data.subarray(at + HEADER, at + HEADER + length)
      if (crc32(body) !== sum) {
        // A bad checksum before the end is corruption, not a torn tail.
        if (at + HEADER + length < data.length) {
          throw new MonitorError(
            'MG_MONITOR_WAL_INVALID',
            `The write-ahead log ${join(dir, name)} is corrupt at byte ${at} (checksum mismatch before its end).`,
            { hint: 'Move the state directory away to start empty; the events in it are lost.' },
          )
        }
        break
      }
      out.push(body.toString('utf8'))
      at += HEADER + length
    }
  }
  return out
}

async function segments(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.filter((n) => SEGMENT.test(n)).sort()
}

/**
 * The `--durable` write-ahead log of the HTTP source: each accepted batch is appended as one framed record (length,
 * crc32, bytes) and the request is answered only after the record is flushed (fsync), at most `flushMs` later; so an
 * acknowledged batch survives `kill -9`. After each checkpoint the log rotates and the segments the checkpoint holds
 * are deleted; on start, the checkpoint is restored and the remaining segments replayed (request ids de-duplicate
 * what both hold).
 */
export async function createWriteAheadLog(options: WriteAheadLogOptions): Promise<WriteAheadLog> {
  await mkdir(options.dir, { recursive: true })
  const flushMs = options.flushMs ?? 100
  const existing = await segments(options.dir)
  let seq = existing.length === 0 ? 0 : Number(SEGMENT.exec(existing.at(-1) as string)?.[1]) + 1
  const path = (n: number) => join(options.dir, `wal-${String(n).padStart(12, '0')}.log`)
  let file: FileHandle = await open(path(seq), 'a')
  let waiting: { resolve: () => void; reject: (e: unknown) => void }[] = []
  let writes: Promise<unknown> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  let closed = false

  const flush = async (): Promise<void> => {
    timer = undefined
    const batch = waiting
    waiting = []
    const handle = file
    try {
      await writes
      await handle.sync()
      for (const w of batch) w.resolve()
    } catch (error) {
      for (const w of batch) w.reject(error)
    }
  }

  return {
    append(text) {
      if (closed) return Promise.reject(new Error('write-ahead log closed'))
      const body = Buffer.from(text, 'utf8')
      const record = Buffer.allocUnsafe(HEADER + body.length)
      record.writeUInt32LE(body.length, 0)
      record.writeUInt32LE(crc32(body), 4)
      body.copy(record, HEADER)
      const handle = file
      writes = writes.then(() => handle.write(record))
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject })
        timer ??= setTimeout(() => void flush(), flushMs)
      })
    },
    async rotate() {
      const next = await open(path(seq + 1), 'a')
      // Swap synchronously: every append from here on goes to the new segment and waits for its flush.
      const old = file
      const oldWaiting = waiting
      const before = seq
      seq++
      file = next
      waiting = []
      try {
        await writes
        await old.sync()
        for (const w of oldWaiting) w.resolve()
      } catch (error) {
        for (const w of oldWaiting) w.reject(error)
      }
      await old.close()
      return async () => {
        for (const name of await segments(options.dir)) {
          if (Number(SEGMENT.exec(name)?.[1]) <= before) await rm(join(options.dir, name), { force: true })
        }
      }
    },
    async close() {
      closed = true
      if (timer !== undefined) clearTimeout(timer)
      await flush()
      await file.close()
    },
  }
}
