import { randomBytes } from 'node:crypto'
import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { ModelGateError } from '../errors.js'

/** Writes to a temporary file beside the target, then renames it into place; no partial file is ever left. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    await mkdir(dir, { recursive: true })
    await writeFile(temp, content, 'utf8')
    await rename(temp, path)
  } catch (cause) {
    await rm(temp, { force: true }).catch(() => undefined)
    throw new ModelGateError('MG_IO_WRITE_FAILED', `Cannot write ${path}: ${(cause as Error).message}`, {
      cause,
      location: { file: path },
    })
  }
}
