import { mkdir, mkdtemp, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Output that appears whole or not at all: files are written into a temporary directory inside the
 * target directory (same file system), then renamed into place. On error the temporary directory is
 * removed, and so is the target directory when this call created it and it is still empty.
 */
export async function withAtomicDir<T>(
  outDir: string,
  write: (tmpDir: string) => Promise<T>,
): Promise<{ value: T; files: string[] }> {
  const existed = await readdir(outDir).then(
    () => true,
    () => false,
  )
  await mkdir(outDir, { recursive: true })
  const tmpDir = await mkdtemp(path.join(outDir, '.modelgate-tmp-'))
  try {
    const value = await write(tmpDir)
    const names = (await readdir(tmpDir)).filter((n) => n.endsWith('.json'))
    const files: string[] = []
    for (const name of names) {
      await rename(path.join(tmpDir, name), path.join(outDir, name))
      files.push(path.join(outDir, name))
    }
    return { value, files }
  } catch (error) {
    if (!existed) {
      await rm(tmpDir, { recursive: true, force: true })
      await rmdir(outDir).catch(() => undefined)
    }
    throw error
  } finally {
    await rm(tmpDir, { recursive: true, force: true })
  }
}

/** Writes `text` to `file` through a temporary sibling and a rename. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true })
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`
  try {
    await writeFile(tmp, text)
    await rename(tmp, file)
  } catch (error) {
    await rm(tmp, { force: true })
    throw error
  }
}
