import { AtomicFile } from './internal/AtomicFile.js'

/** A file to write with `writeFilesAtomic`. */
export interface AtomicFileContent {
  readonly path: string
  readonly content: string | Uint8Array
}

/**
 * Writes `content` (text as UTF-8) to `path` through a temporary file beside it and a rename, creating the directory
 * if needed: the old file or the whole new one, never part of it. Throws `MG_IO_WRITE_FAILED`, leaving nothing behind.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  await writeFilesAtomic([{ path, content }])
}

/**
 * Writes files that belong together (a model and its weights): each to its temporary file first, and only when all
 * are written, renames them in the order given, so the last one (the file a reader opens first) appears last. Throws
 * `MG_IO_WRITE_FAILED` naming the file, removing every temporary file.
 */
export async function writeFilesAtomic(files: readonly AtomicFileContent[]): Promise<void> {
  const opened: AtomicFile[] = []
  try {
    for (const file of files) {
      const atomic = await AtomicFile.create(file.path)
      opened.push(atomic)
      await atomic.write(file.content)
    }
    for (const atomic of opened) await atomic.commit()
  } catch (error) {
    for (const atomic of opened) await atomic.discard()
    throw error
  }
}
