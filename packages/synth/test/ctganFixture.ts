// A small table and network for CTGAN trainer tests: a numeric column that follows a three-way category,
// and a flag; tiny layers so that finite differences and replica comparisons run in milliseconds.
import type { Column, Table } from '@modelgate/core'
import type { Architecture } from '../src/ctgan/internal/networks.js'
import { Rng } from '../src/ctgan/internal/Rng.js'
import type { TrainerHyperparameters } from '../src/ctgan/internal/training/TrainerHyperparameters.js'
import { encodeTable } from '../src/ctgan/internal/transformer/encodeTable.js'
import { fitDataTransformer } from '../src/ctgan/internal/transformer/fitDataTransformer.js'
import type { EncodedTable, TransformerSpec } from '../src/ctgan/internal/transformer/TransformerSpec.js'
import type { ColumnModel } from '../src/modelFile.js'

export const SMALL_HYPERPARAMETERS: TrainerHyperparameters = {
  batchSize: 20,
  learningRate: 2e-4,
  beta1: 0.5,
  beta2: 0.9,
  generatorDecay: 1e-6,
  discriminatorDecay: 1e-6,
  gradientPenalty: 10,
  tau: 0.2,
  discriminatorSteps: 1,
  dropout: 0.5,
  generatorAverage: 0.999,
}

function smallTable(n: number): { table: Table; models: ColumnModel[] } {
  const rng = new Rng(5)
  const x = new Float64Array(n)
  const codes = new Int32Array(n)
  const flag = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    codes[i] = rng.int(3)
    x[i] = codes[i]! * 10 + rng.normal()
    flag[i] = rng.uniform() < 0.3 ? 1 : 0
  }
  const columns: Column[] = [
    { kind: 'numeric', name: 'x', values: x, valid: null },
    { kind: 'categorical', name: 'group', codes, dictionary: ['a', 'b', 'c'] },
    { kind: 'boolean', name: 'flag', values: flag, valid: null },
  ]
  const models: ColumnModel[] = [
    {
      name: 'x',
      kind: 'numeric',
      nullRate: 0,
      min: -5,
      max: 30,
      decimals: null,
      roundTo: null,
      spikes: [],
      continuous: null,
    },
    {
      name: 'group',
      kind: 'categorical',
      nullRate: 0,
      categories: ['a', 'b', 'c'].map((value) => ({ value, p: 1 / 3 })),
      rare: { mode: 'drop', label: null, p: 0 },
    },
    { name: 'flag', kind: 'boolean', nullRate: 0, pTrue: 0.3 },
  ]
  return { table: { numRows: n, columns }, models }
}

/** 200 encoded rows and a small architecture (embedding 6, layers of 8, pac 2). */
export function smallTrainingSet(): { spec: TransformerSpec; encoded: EncodedTable; arch: Architecture } {
  const { table, models } = smallTable(200)
  const spec = fitDataTransformer(table, models)
  const encoded = encodeTable(spec, models, table, new Rng(1))
  const spans: [number, number][] = spec.columns.flatMap((c) =>
    c.type === 'unlearned' || c.type === 'derived' ? [] : [[c.spanStart, c.spanSize] as [number, number]],
  )
  spans.sort((a, b) => a[0] - b[0])
  const arch: Architecture = {
    embeddingDim: 6,
    generatorDims: [8, 8],
    discriminatorDims: [8, 8],
    pac: 2,
    dataDim: spec.dataDim,
    condDim: spec.condDim,
    numContinuous: spec.numContinuous,
    spans,
    condOffset: spec.condOffset,
  }
  return { spec, encoded, arch }
}
