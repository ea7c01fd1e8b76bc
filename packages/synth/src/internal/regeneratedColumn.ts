import type { Column } from '@modelgate/core'
import type { PiiColumnModel, TextColumnModel } from '../modelFile.js'
import { generatePii } from './generatePii.js'
import { generateText } from './generateText.js'
import type { RegenerationSlot } from './RegenerationSlot.js'

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
