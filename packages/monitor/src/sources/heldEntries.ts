/** A stream source's resumable position: the entries a checkpoint holds that were not acknowledged when it was written. */
export interface StreamPosition {
  readonly unacknowledged: readonly string[]
}

/** What to do with one delivered entry. */
export interface HeldEntries {
  /**
   * Called for each delivered entry as it is handed over: false when the monitor already holds it (a redelivery of an
   * entry handed over and not yet acknowledged, or one the restored checkpoint holds), so it is acknowledged again
   * without being counted again.
   */
  take(id: string): boolean
  /** The entries are acknowledged: forget them. */
  acknowledged(ids: readonly string[]): void
  /**
   * A batch of entries never delivered before (Redis' `>` reads), handed over whole: held as one array, with no
   * per-entry work, until `acknowledgedBatch` gets the same array.
   */
  holdBatch(ids: readonly string[]): void
  acknowledgedBatch(ids: readonly string[]): void
  /**
   * A batch of entries delivered before (a consumer's own pending entries, claimed ones): held as one array; for each,
   * whether the monitor does not hold it yet (to be counted).
   */
  holdRedelivered(ids: readonly string[]): boolean[]
  /** Restored entries that the stream no longer has pending (acknowledged before the crash): forget them. */
  forget(ids: Iterable<string>): void
  readonly restored: ReadonlySet<string>
  position(): StreamPosition
}

/**
 * The entries of a stream source between hand-over and acknowledgement. A checkpoint stores them (`position()`); after
 * a crash between a checkpoint and its acknowledgements, the stream redelivers them and they are acknowledged without
 * being counted again — events without a usable request id (refused ones) as well, which the monitor's request-id
 * de-duplication cannot recognise. Bounded by what is read between two checkpoints.
 */
export function heldEntries(resume?: StreamPosition): HeldEntries {
  const held = new Set<string>()
  const batches = new Set<readonly string[]>()
  const restored = new Set<string>(Array.isArray(resume?.unacknowledged) ? resume.unacknowledged : [])
  return {
    take(id) {
      const known = held.has(id) || restored.delete(id)
      held.add(id)
      return !known
    },
    acknowledged(ids) {
      for (const id of ids) held.delete(id)
    },
    holdBatch(ids) {
      batches.add(ids)
    },
    acknowledgedBatch(ids) {
      batches.delete(ids)
    },
    holdRedelivered(ids) {
      // Rare (a restart, a claim): the ids held in batches are looked up through a set built for the occasion.
      const inBatches = new Set<string>()
      for (const batch of batches) for (const id of batch) inBatches.add(id)
      const fresh = ids.map((id) => !(held.has(id) || inBatches.has(id) || restored.delete(id)))
      batches.add(ids)
      return fresh
    },
    forget(ids) {
      for (const id of ids) restored.delete(id)
    },
    restored,
    position() {
      // An id may be listed twice (redelivered while held): harmless, the restored list is read into a set.
      const all = [...held, ...restored]
      for (const batch of batches) for (const id of batch) all.push(id)
      return { unacknowledged: all }
    },
  }
}
