import type { Table } from '@modelgate/core'
import { checkArgument } from '@modelgate/core'
import { SynthError } from '../errors.js'
import type { SampleOptions, StreamOptions, SynthModel, WhereValue } from '../types.js'
import { sampleOptions, streamOptions } from './arguments.js'
import { concatChunks } from './concatChunks.js'

const DEFAULT_CHUNK_ROWS = 65_536

/** Draws chunk `chunk` (`rows` rows starting at row `rowOffset`) for `seed`, under a prepared condition. */
export type SampleChunk<Condition> = (
  chunk: number,
  rows: number,
  rowOffset: number,
  seed: number,
  condition: Condition,
) => Table

/**
 * Chunks drawn on another thread (CTGAN's sampling worker): `request` one, then read it blocking (`collect`, for
 * the synchronous `sample`) or awaiting (`collectAsync`, for `stream`). A request never collected is dropped.
 */
export interface RemoteChunks {
  request(job: {
    readonly chunk: number
    readonly rows: number
    readonly rowOffset: number
    readonly seed: number
    readonly where: Readonly<Record<string, WhereValue>> | undefined
  }): number
  collect(id: number): Table
  collectAsync(id: number): Promise<Table>
}

/**
 * `sample` and `stream` of every synthesizer, over its chunk function. Rows come in chunks of `chunkRows`,
 * chunk c drawn from a generator derived from (seed, c) alone, so `sample(n)` is the concatenation of what
 * `stream(n)` yields and `--shard i/n` is a contiguous, disjoint range of the same chunks.
 * `prepare` validates `where` once per call (and may cache what it builds). With `remote` (started on the first
 * run of two chunks or more), chunk c + 1 is drawn there while chunk c is drawn here; chunks come out in order.
 */
export function createChunkedSampler<Condition>(
  prepare: (where: Readonly<Record<string, WhereValue>> | undefined) => Condition,
  sampleChunk: SampleChunk<Condition>,
  remote?: () => RemoteChunks,
): Pick<SynthModel, 'sample' | 'stream'> {
  async function* stream(n: number, options: StreamOptions = {}): AsyncGenerator<Table> {
    checkArgument(streamOptions, options, { call: 'model.stream(n, options)', name: 'options' })
    checkRows(n)
    const chunkRows = chunkRowsOf(options)
    const seed = options.seed ?? 0
    const condition = prepare(options.where)
    const { first, last } = shardRange(Math.ceil(n / chunkRows), options)
    const total = Math.min(n, last * chunkRows) - first * chunkRows
    let done = 0
    // With two pipelines, chunk c + 1 is drawn remotely while chunk c is drawn here.
    const pipeline = last - first > 1 ? (remote?.() ?? null) : null
    let ahead: number | null = null
    for (let c = first; c < last; c++) {
      const rows = chunkSize(n, chunkRows, c)
      let table: Table
      if (ahead !== null) {
        table = await pipeline!.collectAsync(ahead)
        ahead = null
      } else {
        if (pipeline !== null && c + 1 < last) {
          const next = c + 1
          ahead = pipeline.request({
            chunk: next,
            rows: chunkSize(n, chunkRows, next),
            rowOffset: next * chunkRows,
            seed,
            where: options.where,
          })
        }
        table = sampleChunk(c, rows, c * chunkRows, seed, condition)
      }
      done += rows
      options.onProgress?.({ rowsDone: done, rowsTotal: total })
      yield table
    }
  }

  const sample = (n: number, options: SampleOptions = {}): Table => {
    checkArgument(sampleOptions, options, { call: 'model.sample(n, options)', name: 'options' })
    checkRows(n)
    const chunkRows = chunkRowsOf(options)
    const seed = options.seed ?? 0
    const condition = prepare(options.where)
    const parts: Table[] = []
    const chunks = Math.ceil(n / chunkRows)
    const pipeline = chunks > 1 ? (remote?.() ?? null) : null
    for (let c = 0; c < chunks; ) {
      if (pipeline === null || c + 1 === chunks) {
        parts.push(sampleChunk(c, chunkSize(n, chunkRows, c), c * chunkRows, seed, condition))
        c++
        continue
      }
      // Chunk c + 1 is drawn remotely while chunk c is drawn here.
      const next = c + 1
      const id = pipeline.request({
        chunk: next,
        rows: chunkSize(n, chunkRows, next),
        rowOffset: next * chunkRows,
        seed,
        where: options.where,
      })
      parts.push(sampleChunk(c, chunkSize(n, chunkRows, c), c * chunkRows, seed, condition))
      parts.push(pipeline.collect(id))
      c += 2
    }
    if (parts.length === 0) return sampleChunk(0, 0, 0, seed, condition)
    return concatChunks(parts)
  }

  return { sample, stream }
}

/** Rows in chunk c of n rows cut into chunks of `chunkRows`. */
function chunkSize(n: number, chunkRows: number, c: number): number {
  return Math.min(chunkRows, n - c * chunkRows)
}

function checkRows(n: number): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new SynthError('MG_SYNTH_BAD_OPTION', `Row count must be a non-negative integer, got ${String(n)}.`, {
      hint: 'Ask for a whole number of rows, e.g. 10000.',
    })
  }
}

function chunkRowsOf(options: SampleOptions): number {
  const c = options.chunkRows ?? DEFAULT_CHUNK_ROWS
  if (!Number.isSafeInteger(c) || c < 1)
    throw new SynthError('MG_SYNTH_BAD_OPTION', `chunkRows must be a positive integer, got ${String(c)}.`)
  return c
}

/** The chunks of shard i of n: [floor(i·chunks/n), floor((i+1)·chunks/n)); all chunks without a shard. */
function shardRange(chunks: number, options: StreamOptions): { first: number; last: number } {
  if (options.shard === undefined) return { first: 0, last: chunks }
  const { index, count } = options.shard
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(index) || index < 0 || index >= count) {
    throw new SynthError('MG_SYNTH_BAD_OPTION', `Shard ${index}/${count} is invalid: expected i/n with 0 ≤ i < n.`, {
      hint: 'A shard is { index, count } with 0 ≤ index < count, e.g. 0/4 … 3/4 for four machines.',
    })
  }
  return { first: Math.floor((index * chunks) / count), last: Math.floor(((index + 1) * chunks) / count) }
}
