import type { Column } from '@modelgate/core'
import type { PiiColumnModel, TextColumnModel } from '../modelFile.js'
import { generatePii } from './generatePii.js'
import { generateText } from './generateText.js'

/** Where in a generation a chunk's column sits: its rows, their global offset, the seed, chunk and column index. */
export interface RegenerationSlot {
  readonly rows: number
  readonly rowOffset: number
  readonly seed: number
  readonly chunk: number
  readonly column: number
  /** 1 where the row is null (drawn by the synthesizer from the column's null rate), or null for none. */
  readonly isNull: Uint8Array | null
}

/**
 * A column that is regenerated, never learned — free text and ids in their shape (`text`), fake values for PII
 * (`pii`) — for a chunk of either synthesizer's output.
 */
export function regeneratedColumn(model: TextColumnModel | PiiColumnModel, slot: RegenerationSlot): Column {
  const values =
    model.kind === 'text'
      ? generateText({ ...slot, shape: model.shape, unique: model.unique })
      : generatePii({ ...slot, kind: model.pii, unique: model.unique })
  return { kind: model.outputKind, name: model.name, values }
}
