import { mkdir, mkdtemp, readdir, rename, rm, rmdir } from 'node:fs/promises'
import path from 'node:path'
import { writeFailed } from './internal/AtomicFile.js'

/**
 * Output that a tool writes into a directory (the Pact core writes pact files itself) appearing whole or not at all:
 * `write` fills a temporary directory inside `outDir` (same file system), then each file is renamed into `outDir`.
 * On error the temporary directory is removed, and so is `outDir` when this call created it. Returns `write`'s value
 * and the paths of the files moved into place.
 */
export async function withAtomicDirectory<T>(
  outDir: string,
  write: (tempDir: string) => Promise<T>,
): Promise<{ value: T; files: string[] }> {
  const existed = await readdir(outDir).then(
    () => true,
    () => false,
  )
  let tempDir: string
  try {
    await mkdir(outDir, { recursive: true })
    tempDir = await mkdtemp(path.join(outDir, '.modelgate-tmp-'))
  } catch (error) {
    throw writeFailed(outDir, error)
  }
  try {
    const value = await write(tempDir)
    const files: string[] = []
    for (const entry of await readdir(tempDir, { withFileTypes: true })) {
      if (!entry.isFile()) continue
      const target = path.join(outDir, entry.name)
      try {
        await rename(path.join(tempDir, entry.name), target)
      } catch (error) {
        throw writeFailed(target, error)
      }
      files.push(target)
    }
    return { value, files }
  } catch (error) {
    if (!existed) {
      await rm(tempDir, { recursive: true, force: true })
      await rmdir(outDir).catch(() => undefined)
    }
    throw error
  } finally {
    await rm(tempDir, { recursive: true, force: true })
  }
}
