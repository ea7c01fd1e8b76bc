import { internalError } from '../internalError.js'
import type { Networks, Weight } from '../networks.js'
import { discriminatorVariables, generatorVariables, namedWeights } from '../networks.js'
import { Adam } from './Adam.js'
import type { TrainerHyperparameters } from './TrainerHyperparameters.js'

/**
 * What a trainer updates, and where it lives. Alone, Adam updates the networks' own arrays. In a replica group
 * (data-parallel training), the weights Adam updates are master copies in shared memory — each replica updates
 * its shard of every parameter — and each replica copies them into its own networks after every update: ONNX
 * Runtime takes no shared memory as input, and a private copy per step costs less than one per product.
 */
export interface TrainerState {
  /** The weights Adam updates (generatorVariables / discriminatorVariables order). */
  readonly masterG: readonly Weight[]
  readonly masterD: readonly Weight[]
  /** This replica's own generatorVariables and discriminatorVariables (the master lists when alone). */
  readonly ownG: readonly Weight[]
  readonly ownD: readonly Weight[]
  readonly optG: Adam
  readonly optD: Adam
  /** The moving average of generatorVariables (null when the average is off). */
  readonly average: Float32Array[] | null
  /**
   * Every shared array by name — the master weights (`weights.<name>`), Adam's moments (`adam.g.m.0`, …) and the
   * average (`average.g.0`, …) — for the other replicas of a group (see CreateTrainerStateOptions.shared).
   */
  readonly storage: Map<string, Float32Array>
}

export interface CreateTrainerStateOptions {
  readonly nets: Networks
  readonly hp: TrainerHyperparameters
  /** Allocate in shared memory (a group of two or more replicas). */
  readonly inSharedMemory: boolean
  /**
   * The group's state as the first replica allocated it (its `storage`): used as is. Without it, the arrays are
   * allocated and the master weights and the average start from the networks.
   */
  readonly shared?: ReadonlyMap<string, Float32Array>
}

export function createTrainerState(options: CreateTrainerStateOptions): TrainerState {
  const { nets, hp, inSharedMemory, shared } = options
  const storage = new Map<string, Float32Array>()
  const allocator =
    (prefix: string) =>
    (name: string, length: number): Float32Array => {
      const key = `${prefix}.${name}`
      const array =
        shared?.get(key) ??
        (inSharedMemory ? new Float32Array(new SharedArrayBuffer(4 * length)) : new Float32Array(length))
      if (array.length !== length) {
        throw internalError(`The shared CTGAN training state ${key} has ${array.length} values, expected ${length}.`)
      }
      storage.set(key, array)
      return array
    }
  const nameOf = new Map(namedWeights(nets).map(([name, w]) => [w, name]))
  const weightStorage = allocator('weights')
  const masterOf = (w: Weight): Weight => {
    const values = weightStorage(nameOf.get(w)!, w.values.length)
    if (shared === undefined) values.set(w.values)
    return { shape: w.shape, values }
  }
  const ownG = generatorVariables(nets)
  const ownD = discriminatorVariables(nets)
  const masterG = inSharedMemory ? ownG.map(masterOf) : ownG
  const masterD = inSharedMemory ? ownD.map(masterOf) : ownD
  const adam = { learningRate: hp.learningRate, beta1: hp.beta1, beta2: hp.beta2 }
  const optG = new Adam(masterG, { ...adam, weightDecay: hp.generatorDecay, allocate: allocator('adam.g') })
  const optD = new Adam(masterD, { ...adam, weightDecay: hp.discriminatorDecay, allocate: allocator('adam.d') })
  const averageStorage = allocator('average.g')
  const average =
    hp.generatorAverage > 0
      ? masterG.map((w, i) => {
          const a = averageStorage(`${i}`, w.values.length)
          if (shared === undefined) a.set(w.values)
          return a
        })
      : null
  return { masterG, masterD, ownG, ownD, optG, optD, average, storage }
}

/** After an update in a replica group: this replica's own weights from the master copies (alone they are one). */
export function copyMaster(master: readonly Weight[], own: readonly Weight[]): void {
  if (master === own) return
  for (const [i, w] of master.entries()) own[i]!.values.set(w.values)
}
