import { randomBytes } from 'node:crypto'
import { type FileHandle, mkdir, open, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { ModelGateError } from '../../errors.js'

/**
 * The one way ModelGate writes a file: into a temporary file beside the target (same directory, so the same file
 * system), renamed over the target only once complete. A failure or a cancel removes the temporary file, so a reader
 * sees the old file or the whole new one, never part of it. Every writer in core (`writeFileAtomic`,
 * `writeFilesAtomic`, `createTableWriter`, `withAtomicDirectory`) is built on this.
 */
export class AtomicFile {
  readonly target: string
  readonly tempPath: string
  readonly shown: string
  bytes = 0
  private handle: FileHandle | null = null

  private constructor(target: string, shown: string) {
    this.target = target
    this.shown = shown
    this.tempPath = tempPathBeside(target)
  }

  /** Opens the temporary file (creating the target's directory if needed); `shown` names the target in errors. */
  static async create(target: string, shown = target): Promise<AtomicFile> {
    const file = new AtomicFile(target, shown)
    try {
      await mkdir(path.dirname(file.tempPath), { recursive: true })
      file.handle = await open(file.tempPath, 'wx')
    } catch (error) {
      throw writeFailed(shown, error)
    }
    return file
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.handle === null) {
      throw new ModelGateError('MG_IO_WRITER_CLOSED', `The writer for ${this.shown} is already closed.`)
    }
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    try {
      let off = 0
      while (off < buf.length) {
        const { bytesWritten } = await this.handle.write(buf, off, buf.length - off)
        off += bytesWritten
      }
    } catch (error) {
      throw writeFailed(this.shown, error)
    }
    this.bytes += buf.length
  }

  /** The open temp file's descriptor, for a writer thread that writes it directly (nothing else may write meanwhile). */
  get fd(): number {
    if (this.handle === null) {
      throw new ModelGateError('MG_IO_WRITER_CLOSED', `The writer for ${this.shown} is already closed.`)
    }
    return this.handle.fd
  }

  /** Closes the handle without renaming (for writers that write the temp path themselves). */
  async closeHandle(): Promise<void> {
    const h = this.handle
    this.handle = null
    if (h !== null) await h.close()
  }

  /** Renames the complete file over the target. */
  async commit(): Promise<void> {
    try {
      await this.closeHandle()
      await rename(this.tempPath, this.target)
    } catch (error) {
      throw writeFailed(this.shown, error)
    }
  }

  /** Removes the temporary file; the target is left as it was. */
  async discard(): Promise<void> {
    try {
      await this.closeHandle()
    } finally {
      await unlink(this.tempPath).catch(() => undefined)
    }
  }
}

/** `<dir>/.<name>.<random>.tmp`: hidden, beside `target`, unique per call. */
function tempPathBeside(target: string): string {
  const resolved = path.resolve(target)
  return path.join(path.dirname(resolved), `.${path.basename(resolved)}.${randomBytes(6).toString('hex')}.tmp`)
}

/** `MG_IO_WRITE_FAILED` for `shown`, with the system's reason (a missing directory said plainly). */
export function writeFailed(shown: string, cause: unknown): ModelGateError<'MG_IO_WRITE_FAILED'> {
  if (cause instanceof ModelGateError && cause.code === 'MG_IO_WRITE_FAILED')
    return cause as ModelGateError<'MG_IO_WRITE_FAILED'>
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new ModelGateError('MG_IO_WRITE_FAILED', `Cannot write ${shown}: ${reason}.`, {
    location: { file: shown },
    cause,
  })
}
