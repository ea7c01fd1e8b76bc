import type { FileHandle } from 'node:fs/promises'
import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { ModelGateError } from '@modelgate/core'
import { MonitorError } from './errors.js'

export interface WriteAheadLogOptions {
  readonly dir: string
  /** The sequence number of the first record appended (one more than the last of the log or checkpoint). Default 1. */
  readonly nextSeq?: number
  /** Appends are flushed to disk (fsync) at least this often; an append resolves after its flush. Default 100 ms. */
  readonly flushMs?: number
}

/** One record of the log: its sequence number (1, 2, … in append order) and its text. */
export interface WriteAheadLogRecord {
  readonly seq: number
  readonly text: string
}

export interface WriteAheadLog {
  /**
   * Appends one record, numbered at once (synchronously, so records are numbered in the order of the calls); resolves
   * once it is on disk (group commit: one fsync for every append of the interval).
   */
  append(text: string): Promise<void>
  /** The sequence number of the last record appended (a checkpoint stores it: replay skips what it holds). */
  readonly lastSeq: number
  /** Starts a new segment; returns a function that deletes the older ones (call it once a checkpoint holds them). */
  rotate(): Promise<() => Promise<void>>
  close(): Promise<void>
}

const HEADER = 16 // u32 length, u32 crc32 (of the sequence number and the text), u64 sequence number; little endian
const SEGMENT = /^wal-(\d{12})\.log$/

/** The records of every segment in `dir`, oldest first. A torn last record (a crash mid-write) is ignored. */
export async function readWriteAheadLog(dir: string): Promise<WriteAheadLogRecord[]> {
  const names = await segments(dir)
  const out: WriteAheadLogRecord[] = []
  for (const name of names) {
    const data = await readFile(join(dir, name))
    let at = 0
    while (at + HEADER <= data.length) {
      const length = data.readUInt32LE(at)
      const sum = data.readUInt32LE(at + 4)
      if (at + HEADER + length > data.length) break // torn tail
      const seqBytes = data.subarray(at + 8, at + HEADER)
      const body = data.subarray(at + HEADER, at + HEADER + length)
      if (crc32(body, crc32(seqBytes)) !== sum) {
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
      out.push({ seq: Number(seqBytes.readBigUInt64LE(0)), text: body.toString('utf8') })
      at += HEADER + length
    }
  }
  return out
}

async function segments(dir: string): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (error) {
    // no directory yet: no log; one that cannot be listed would replay nothing, silently losing its records
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new ModelGateError(
      'MG_IO_READ_FAILED',
      `The write-ahead log directory ${dir} cannot be listed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
      { cause: error, hint: 'Check that the state directory is readable by the monitor.' },
    )
  }
  return names.filter((n) => SEGMENT.test(n)).sort()
}

/** An append that could not be written or flushed: core's `MG_IO_WRITE_FAILED`, naming the segment. */
function writeFailed(file: string, error: unknown): ModelGateError {
  const code = (error as NodeJS.ErrnoException).code
  return new ModelGateError(
    'MG_IO_WRITE_FAILED',
    `The write-ahead log ${file} cannot be written (${code ?? (error as Error).message}): the batch is not on disk.`,
    { cause: error, hint: 'Check the free space and permissions of the state directory.' },
  )
}

/**
 * The `--durable` write-ahead log of the HTTP source: each batch is appended as one framed record (length, crc32,
 * sequence number, bytes) and the request is answered only after the record is flushed (fsync), at most `flushMs`
 * later; so an acknowledged batch survives `kill -9`. Each checkpoint stores `lastSeq` (the batches it holds); after
 * it the log rotates and the older segments are deleted. On start, the checkpoint is restored and only the records
 * numbered after its `lastSeq` are replayed, so a batch is counted once — its refused, late and duplicate events too —
 * even when a crash left segments the checkpoint already holds.
 */
export async function createWriteAheadLog(options: WriteAheadLogOptions): Promise<WriteAheadLog> {
  await mkdir(options.dir, { recursive: true })
  const flushMs = options.flushMs ?? 100
  const existing = await segments(options.dir)
  let segment = existing.length === 0 ? 0 : Number(SEGMENT.exec(existing.at(-1) as string)?.[1]) + 1
  const path = (n: number) => join(options.dir, `wal-${String(n).padStart(12, '0')}.log`)
  let file: FileHandle = await open(path(segment), 'a')
  let waiting: { resolve: () => void; reject: (e: unknown) => void }[] = []
  let writes: Promise<unknown> = Promise.resolve()
  let timer: NodeJS.Timeout | undefined
  let closed = false
  let lastSeq = (options.nextSeq ?? 1) - 1

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
      const failed = writeFailed(path(segment), error)
      for (const w of batch) w.reject(failed)
    }
  }

  return {
    append(text) {
      if (closed)
        return Promise.reject(
          new ModelGateError(
            'MG_IO_WRITER_CLOSED',
            `The write-ahead log in ${options.dir} is closed: nothing was appended.`,
          ),
        )
      const body = Buffer.from(text, 'utf8')
      const record = Buffer.allocUnsafe(HEADER + body.length)
      lastSeq++
      record.writeUInt32LE(body.length, 0)
      record.writeBigUInt64LE(BigInt(lastSeq), 8)
      record.writeUInt32LE(crc32(body, crc32(record.subarray(8, HEADER))), 4)
      body.copy(record, HEADER)
      const handle = file
      writes = writes.then(() => handle.write(record))
      return new Promise<void>((resolve, reject) => {
        waiting.push({ resolve, reject })
        timer ??= setTimeout(() => void flush(), flushMs)
      })
    },
    get lastSeq() {
      return lastSeq
    },
    async rotate() {
      const next = await open(path(segment + 1), 'a')
      // Swap synchronously: every append from here on goes to the new segment and waits for its flush.
      const old = file
      const oldWaiting = waiting
      const before = segment
      segment++
      file = next
      waiting = []
      try {
        await writes
        await old.sync()
        for (const w of oldWaiting) w.resolve()
      } catch (error) {
        const failed = writeFailed(path(before), error)
        for (const w of oldWaiting) w.reject(failed)
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
