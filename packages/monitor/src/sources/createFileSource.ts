import type { FileHandle } from 'node:fs/promises'
import { open, stat } from 'node:fs/promises'
import { MonitorError } from '../errors.js'
import { sourceFailure } from '../internal/sourceFailure.js'
import type { EventSink, EventSource } from './EventSource.js'

export interface FilePosition {
  readonly path: string
  /** Bytes of the file already handed to the monitor (complete lines only). */
  readonly offset: number
  /** The file's inode: a different one means the file was rotated, and reading starts again at 0. */
  readonly ino: number
}

export interface FileSource extends EventSource {
  position(): FilePosition
}

export interface FileSourceOptions {
  readonly path: string
  /** Where to resume (from a checkpoint's `extra`); default the start of the file. */
  readonly position?: FilePosition
  /** How often the file is checked for new lines. Default 200 ms. */
  readonly pollMs?: number
  /** Most bytes read at once. Default 4 MiB. */
  readonly chunkBytes?: number
  /** A read that failed (the source tries again at the next poll). */
  readonly onError?: (error: unknown) => void
}

/**
 * A JSONL file, tailed (the inference service's own log): complete lines are handed over as they are appended; a
 * file that shrinks (truncated) or changes inode (rotated) is read again from its start. `position()` goes into each
 * checkpoint, so a restart resumes after the last line the checkpoint holds.
 */
export function createFileSource(options: FileSourceOptions): FileSource {
  const name = `file:${options.path}`
  let offset = options.position?.path === options.path ? options.position.offset : 0
  let ino = options.position?.path === options.path ? options.position.ino : -1
  let handle: FileHandle | undefined
  let timer: NodeJS.Timeout | undefined
  let reading: Promise<void> = Promise.resolve()
  let stopped = false
  /** The message of the failure the last poll reported (undefined: it read). */
  let failing: string | undefined

  const poll = async (sink: EventSink) => {
    let info: Awaited<ReturnType<typeof stat>>
    try {
      info = await stat(options.path)
    } catch (error) {
      // not there (yet, or mid-rotation): wait for it; anything else (no permission …) is the poll's failure
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw error
    }
    if (handle === undefined || info.ino !== ino || info.size < offset) {
      if (info.ino !== ino || info.size < offset) {
        if (ino !== -1) offset = 0
        ino = info.ino
      }
      await handle?.close()
      handle = await open(options.path, 'r')
    }
    const buffer = Buffer.allocUnsafe(options.chunkBytes ?? 4 * 1024 * 1024)
    while (!stopped) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset)
      if (bytesRead === 0) return
      const end = buffer.lastIndexOf(0x0a, bytesRead - 1)
      if (end < 0) {
        if (bytesRead === buffer.length)
          throw new MonitorError(
            'MG_MONITOR_SOURCE_FAILED',
            `${options.path}: a line longer than ${buffer.length} bytes.`,
          )
        return // an incomplete last line: wait for its newline
      }
      const text = buffer.toString('utf8', 0, end)
      const values: unknown[] = []
      const invalidLines: number[] = []
      let line = 0
      for (const row of text.split('\n')) {
        line++
        if (row.trim() === '') continue
        try {
          values.push(JSON.parse(row))
        } catch {
          invalidLines.push(line)
        }
      }
      const at = offset
      offset += end + 1
      sink({ values, invalidLines, source: `${name}@${at}` })
    }
  }

  return {
    name,
    async start(sink) {
      const tick = () => {
        reading = reading
          .then(() => poll(sink))
          .then(
            () => {
              failing = undefined
            },
            (error: unknown) => {
              const failure = sourceFailure(name, 'reading the file', error, 'trying again at each poll')
              // a lasting failure (no permission) is reported once, not at every poll
              if (failure.message !== failing) options.onError?.(failure)
              failing = failure.message
            },
          )
      }
      tick()
      await reading
      timer = setInterval(tick, options.pollMs ?? 200)
      timer.unref()
    },
    async stop() {
      stopped = true
      if (timer !== undefined) clearInterval(timer)
      await reading
      await handle?.close()
      handle = undefined
    },
    position: () => ({ path: options.path, offset, ino }),
  }
}
