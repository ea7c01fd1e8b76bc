import { writeTextTable } from './internal/writeTextTable.js'
import type { StreamOptions, SynthModel } from './types.js'

export interface WriteSyntheticOptions extends StreamOptions {
  readonly rows: number
  /** Output file; the format comes from the extension. */
  readonly out: string
  /** Write the CSV header (default true; shards after the first can skip it for plain concatenation). */
  readonly header?: boolean
}

export interface WriteSyntheticResult {
  readonly file: string
  readonly rows: number
}

/**
 * Streams `rows` synthetic rows (or one shard of them) to a file, chunk by chunk, atomically. Chunk c is
 * drawn from a generator derived from (seed, c), so the same seed gives byte-identical files and
 * `shard i/n` writes the contiguous chunk range [⌊i·C/n⌋, ⌊(i+1)·C/n⌋): the shards concatenated in order
 * equal the single-run output.
 */
export async function writeSynthetic(model: SynthModel, options: WriteSyntheticOptions): Promise<WriteSyntheticResult> {
  const { rows: n, out, header, ...stream } = options
  const result = await writeTextTable(out, model.stream(n, stream), header === undefined ? {} : { header })
  return { file: out, rows: result.rows }
}
