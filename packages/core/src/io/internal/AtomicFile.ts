import { randomBytes } from 'node:crypto'
import { type FileHandle, open, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { ModelGateError } from '../../errors.js'

/** A temp file `<dir>/.<name>.<random>.tmp` that becomes `target` on `commit()` and disappears on `discard()`. */
export class AtomicFile {
  readonly target: string
  readonly tempPath: string
  bytes = 0
  private handle: FileHandle | null = null

  private constructor(target: string, tempPath: string) {
    this.target = target
    this.tempPath = tempPath
  }

  static async create(target: string, shown: string): Promise<AtomicFile> {
    const dir = path.dirname(path.resolve(target))
    const tempPath = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
    const file = new AtomicFile(target, tempPath)
    try {
      file.handle = await open(tempPath, 'wx')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      throw new ModelGateError(
        'MG_IO_WRITE_FAILED',
        `Cannot write ${shown}: ${code === 'ENOENT' ? `directory ${dir} does not exist` : (error as Error).message}.`,
        { location: { file: shown }, cause: error },
      )
    }
    return file
  }

  async write(data: string | Uint8Array): Promise<void> {
    if (this.handle === null) throw new Error('AtomicFile is closed')
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    let off = 0
    while (off < buf.length) {
      const { bytesWritten } = await this.handle.write(buf, off, buf.length - off)
      off += bytesWritten
    }
    this.bytes += buf.length
  }

  /** Closes the handle without renaming (for writers that write the temp path themselves). */
  async closeHandle(): Promise<void> {
    const h = this.handle
    this.handle = null
    if (h !== null) await h.close()
  }

  async commit(): Promise<void> {
    await this.closeHandle()
    await rename(this.tempPath, this.target)
  }

  async discard(): Promise<void> {
    try {
      await this.closeHandle()
    } finally {
      await unlink(this.tempPath).catch(() => undefined)
    }
  }
}
