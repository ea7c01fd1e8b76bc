/** Where in a generation a chunk's column sits: its rows, their global offset, the seed, chunk and column index. */
export interface RegenerationSlot {
  readonly rows: number
  /** Global index of the first row (ids and unique values are derived from it, so they never repeat across chunks and shards). */
  readonly rowOffset: number
  readonly seed: number
  readonly chunk: number
  readonly column: number
  /** 1 where the row is null (drawn by the synthesizer from the column's null rate), or null for none. */
  readonly isNull: Uint8Array | null
}
