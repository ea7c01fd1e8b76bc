import { open, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '@modelgate/core'
import { MonitorError } from '../errors.js'
import type { MonitorSnapshot, SnapshotWindow } from '../monitorSnapshot.js'

/** The file operations of a checkpoint (injected by tests to fail after any of them). */
export interface CheckpointFileOps {
  /** Temporary file + rename: the old file or the whole new one. */
  writeAtomic(path: string, content: string): Promise<void>
  /** Appends and flushes to disk. */
  append(path: string, content: string): Promise<void>
  remove(path: string): Promise<void>
}

const fileOps: CheckpointFileOps = {
  writeAtomic: (path, content) => writeFileAtomic(path, content),
  async append(path, content) {
    const handle = await open(path, 'a')
    try {
      await handle.write(content)
      await handle.datasync()
    } finally {
      await handle.close()
    }
  },
  remove: (path) => unlink(path).catch(() => undefined),
}

/** Where the parts written apart live, as the manifest (`checkpoint.json`) names them. */
interface StoredParts {
  /** Closed hops, oldest first: each in its own file, written once when it first appears in a checkpoint. */
  readonly hops: readonly string[]
  /** The remembered request ids: the last `count` lines of the first `bytes` bytes of an append-only log. */
  readonly ids: { readonly file: string; readonly bytes: number; readonly count: number }
}

const MANIFEST = 'checkpoint.json'
const HOP_FILE = /^hop-(-?\d+)\.json$/
const ID_LOG = /^ids-(\d+)\.log$/
/** The last ids of a checkpoint that the next one looks for (an id evicted and seen again is not mistaken for them). */
const TAIL = 4

export interface CheckpointStore {
  /** Writes a checkpoint; gives the bytes written. */
  write(snapshot: MonitorSnapshot): Promise<number>
}

/**
 * The checkpoint in a state directory, written incrementally: what changes slowly is not written again every second.
 * A closed hop's state (`hop-<start>.json`) is written once, when it first appears; the request ids are appended to a
 * log (`ids-<generation>.log`, one JSON string a line) and the log is compacted into a new generation once it holds
 * more than twice the ids the set remembers; the rest — open windows, label join, totals, source positions, the
 * history — goes into the manifest `checkpoint.json`, written atomically last, which names the hop files and the
 * log's length. So a crash between any two writes leaves the previous manifest, whose files are all there (files are
 * deleted only once a manifest that no longer names them is on disk, and bytes appended after its length are
 * ignored): the restored state is always one checkpoint's whole state. After a failed write the next one starts a
 * new log generation and writes its hops again.
 */
export function createCheckpointStore(stateDir: string, files: CheckpointFileOps = fileOps): CheckpointStore {
  /** Hop states already on disk (a closed hop's snapshot object is the same in every checkpoint that holds it). */
  let hopFiles = new WeakMap<SnapshotWindow, string>()
  let log: { generation: number; bytes: number; lines: number; tail: readonly string[] } | null = null

  const nextGeneration = async (): Promise<number> => {
    const names = await readdir(stateDir).catch(() => [] as string[])
    let max = 0
    for (const name of names) max = Math.max(max, Number(ID_LOG.exec(name)?.[1] ?? 0))
    return max + 1
  }

  /**
   * The ids added since the last checkpoint follow its last ids (`tail`) in the set's order; when those are gone (the
   * set rolled over), or the log is long, a new generation holds the set as it is.
   */
  const writeIds = async (seen: readonly string[]): Promise<{ bytes: number; written: number }> => {
    let from = -1
    if (log !== null) {
      const tail = log.tail
      const at = tail.length === 0 ? 0 : seen.lastIndexOf(tail.at(-1) as string) + 1
      if (at >= tail.length && tail.every((id, i) => seen[at - tail.length + i] === id)) from = at
    }
    if (log === null || from < 0 || log.lines + seen.length - from > 2 * Math.max(seen.length, 1024)) {
      // The first write of a process, after a failure, a rolled-over set, or compaction.
      const generation = await nextGeneration()
      const content = lines(seen)
      await files.writeAtomic(join(stateDir, `ids-${generation}.log`), content)
      const bytes = Buffer.byteLength(content)
      log = { generation, bytes, lines: seen.length, tail: seen.slice(-TAIL) }
      return { bytes, written: bytes }
    }
    const added = seen.slice(from)
    if (added.length === 0) return { bytes: log.bytes, written: 0 }
    const content = lines(added)
    await files.append(join(stateDir, `ids-${log.generation}.log`), content)
    const written = Buffer.byteLength(content)
    log = { ...log, bytes: log.bytes + written, lines: log.lines + added.length, tail: seen.slice(-TAIL) }
    return { bytes: log.bytes, written }
  }

  const write = async (snapshot: MonitorSnapshot): Promise<number> => {
    const { hops = [], seen, ...rest } = snapshot
    let written = 0
    const hopNames: string[] = []
    for (const hop of hops) {
      let name = hopFiles.get(hop)
      if (name === undefined) {
        name = `hop-${hop.start}.json`
        const content = JSON.stringify(hop)
        await files.writeAtomic(join(stateDir, name), content)
        written += Buffer.byteLength(content)
        hopFiles.set(hop, name)
      }
      hopNames.push(name)
    }
    const ids = await writeIds(seen)
    written += ids.written
    const stored: StoredParts = {
      hops: hopNames,
      ids: { file: `ids-${(log as { generation: number }).generation}.log`, bytes: ids.bytes, count: seen.length },
    }
    const manifest = JSON.stringify({ ...rest, seen: [], stored })
    await files.writeAtomic(join(stateDir, MANIFEST), manifest)
    written += Buffer.byteLength(manifest)
    // Only now may the files no manifest names any more go.
    const keep = new Set([...hopNames, stored.ids.file])
    for (const name of await readdir(stateDir)) {
      if ((HOP_FILE.test(name) || ID_LOG.test(name)) && !keep.has(name)) await files.remove(join(stateDir, name))
    }
    return written
  }

  return {
    async write(snapshot) {
      try {
        return await write(snapshot)
      } catch (error) {
        // What is on disk past the last manifest is unknown: start over with a new generation and the hops again.
        log = null
        hopFiles = new WeakMap()
        throw error
      }
    },
  }
}

function lines(ids: readonly string[]): string {
  let text = ''
  for (const id of ids) text += `${JSON.stringify(id)}\n`
  return text
}

/**
 * Reads the checkpoint of a state directory (`checkpoint.json` and the files it names) as one snapshot; undefined
 * when there is none yet. A checkpoint written whole (an older version) is read as it is.
 */
export async function readCheckpointStore(stateDir: string): Promise<MonitorSnapshot | undefined> {
  const path = join(stateDir, MANIFEST)
  const text = await readPart(path, true)
  if (text === undefined) return undefined
  const manifest = parseJson(text, path) as MonitorSnapshot & { stored?: StoredParts }
  const { stored, ...snapshot } = manifest
  if (stored === undefined) return snapshot
  const hops: SnapshotWindow[] = []
  for (const name of stored.hops) {
    const hopPath = join(stateDir, name)
    hops.push(parseJson((await readPart(hopPath, false)) as string, hopPath) as SnapshotWindow)
  }
  const logPath = join(stateDir, stored.ids.file)
  const bytes = Buffer.from((await readPart(logPath, false)) as string)
  if (bytes.length < stored.ids.bytes) {
    throw new MonitorError(
      'MG_MONITOR_STATE_INVALID',
      `The request-id log ${logPath} holds ${bytes.length} bytes; its checkpoint names ${stored.ids.bytes}.`,
    )
  }
  const all = bytes.subarray(0, stored.ids.bytes).toString('utf8').split('\n')
  all.pop() // after the last newline
  const seen = all.slice(Math.max(0, all.length - stored.ids.count)).map((line) => parseJson(line, logPath) as string)
  return { ...snapshot, hops, seen }
}

async function readPart(path: string, optional: boolean): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if (optional && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new MonitorError('MG_MONITOR_STATE_INVALID', `The checkpoint file ${path} cannot be read.`, { cause: error })
  }
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new MonitorError('MG_MONITOR_STATE_INVALID', `The checkpoint file ${path} is not valid JSON.`, { cause })
  }
}
