import type { MessagePort } from 'node:worker_threads'
import { receiveMessageOnPort } from 'node:worker_threads'
import { SynthError } from '../../../errors.js'
import { internalError } from '../internalError.js'

/**
 * How the replicas of a data-parallel training step meet (one replica per thread, each on its share of the
 * batch, weights in shared memory): element-wise sums across replicas, a barrier, and the gradient exchange
 * that lets each replica update its shard of every parameter. With one replica every operation is a no-op.
 */
export interface Replicas {
  readonly rank: number
  readonly count: number
  /** Sums `values` element-wise across replicas, in place; every replica gets the same bits (rank order). */
  sum(values: Float64Array): void
  barrier(): void
  /**
   * Publishes this replica's gradient (the sum of its parts, per parameter) and loss; returns, per parameter,
   * the parts whose sum is the whole batch's gradient (one per replica), and the summed loss. The arrays
   * stay valid until the next barrier.
   */
  exchange(
    grads: readonly (readonly Float32Array[])[],
    loss: number,
  ): { parts: readonly (readonly Float32Array[])[]; loss: number }
}

/** [lo, hi) of a parameter of `length` values that replica `rank` of `count` updates. */
export function shardOf(length: number, rank: number, count: number): [number, number] {
  return [Math.floor((length * rank) / count), Math.floor((length * (rank + 1)) / count)]
}

export const soloReplicas: Replicas = {
  rank: 0,
  count: 1,
  sum: () => {},
  barrier: () => {},
  exchange: (grads, loss) => ({ parts: grads, loss }),
}

/** The shared memory of a replica group, created once and handed to every replica's thread. */
export interface ReplicaMemory {
  readonly count: number
  /** [arrived, generation, failed, command]. */
  readonly control: Int32Array
  /** Two sets (double-buffered) of `count` slots of `sumWidth` float64 values for `sum`. */
  readonly sums: Float64Array
  readonly sumWidth: number
  /** One gradient slab per replica, `slabLength` floats each, then one float64 loss per replica. */
  readonly slabs: Float32Array
  readonly slabLength: number
  readonly losses: Float64Array
}

const CONTROL_ARRIVED = 0
const CONTROL_GENERATION = 1
export const CONTROL_FAILED = 2
export const CONTROL_COMMAND = 3

export function createReplicaMemory(count: number, sumWidth: number, slabLength: number): ReplicaMemory {
  return {
    count,
    control: new Int32Array(new SharedArrayBuffer(4 * 4)),
    sums: new Float64Array(new SharedArrayBuffer(8 * 2 * count * sumWidth)),
    sumWidth,
    slabs: new Float32Array(new SharedArrayBuffer(4 * count * slabLength)),
    slabLength,
    losses: new Float64Array(new SharedArrayBuffer(8 * count)),
  }
}

/**
 * Thrown in a replica when another one failed or the group was stopped; reaches the caller of fitCtgan with the
 * failing thread's reason (MG_SYNTH_WORKER_FAILED, exit 1).
 */
export class ReplicaGroupStopped extends SynthError {
  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super('MG_SYNTH_WORKER_FAILED', message, {
      ...options,
      exitCode: 1,
      hint: 'Train without worker threads (workerThreads: false) to keep training on the calling thread.',
    })
    this.name = 'ReplicaGroupStopped'
  }
}

/**
 * Replica `rank` of a group in shared memory. A barrier spins briefly, then sleeps on the generation word
 * (Atomics.wait, allowed on Node's main thread too); it throws if a replica reported a failure, with the
 * message a replica sent on one of the `errors` ports when there is one, or if the others do not arrive
 * within `patienceMs`.
 */
export function joinReplicas(
  memory: ReplicaMemory,
  rank: number,
  errors: readonly MessagePort[] = [],
  patienceMs = 120_000,
): Replicas {
  const { control, count, sums, sumWidth, slabs, slabLength, losses } = memory
  let sumSet = 0
  const slabViews = new Map<string, Float32Array[][]>()
  const failure = (): Error => {
    for (const port of errors) {
      const sent = receiveMessageOnPort(port)?.message as { message?: string } | undefined
      if (sent?.message !== undefined) return new ReplicaGroupStopped(sent.message)
    }
    return new ReplicaGroupStopped('A CTGAN training thread stopped.')
  }
  const barrier = (): void => {
    const generation = Atomics.load(control, CONTROL_GENERATION)
    if (Atomics.add(control, CONTROL_ARRIVED, 1) === count - 1) {
      Atomics.store(control, CONTROL_ARRIVED, 0)
      Atomics.add(control, CONTROL_GENERATION, 1)
      Atomics.notify(control, CONTROL_GENERATION)
      return
    }
    for (let spin = 0; spin < 2000; spin++) if (Atomics.load(control, CONTROL_GENERATION) !== generation) return
    const started = Date.now()
    while (Atomics.load(control, CONTROL_GENERATION) === generation) {
      if (Atomics.load(control, CONTROL_FAILED) !== 0) throw failure()
      Atomics.wait(control, CONTROL_GENERATION, generation, 1000)
      if (Date.now() - started > patienceMs)
        throw new ReplicaGroupStopped(`A CTGAN training thread did not answer within ${patienceMs / 1000} s.`)
    }
  }
  return {
    rank,
    count,
    sum(values) {
      if (values.length > sumWidth) throw internalError(`A replica sum of ${values.length} values exceeds ${sumWidth}.`)
      const set = sumSet * count * sumWidth
      sumSet ^= 1
      sums.set(values, set + rank * sumWidth)
      barrier()
      // Double-buffered: the next sum writes the other set, and nobody can write this one again before every
      // replica has passed the next barrier, i.e. has finished reading it.
      for (let j = 0; j < values.length; j++) {
        let s = 0
        for (let r = 0; r < count; r++) s += sums[set + r * sumWidth + j]!
        values[j] = s
      }
    },
    barrier,
    exchange(grads, loss) {
      const key = grads.map((g) => g[0]!.length).join(',')
      let views = slabViews.get(key)
      if (views === undefined) {
        views = Array.from({ length: count }, (_, r) => {
          let offset = r * slabLength
          return grads.map((g) => {
            const view = slabs.subarray(offset, offset + g[0]!.length)
            offset += g[0]!.length
            return view
          })
        })
        if (grads.reduce((n, g) => n + g[0]!.length, 0) > slabLength)
          throw internalError('The gradient slab of a replica group is too small.')
        slabViews.set(key, views)
      }
      const own = views[rank]!
      grads.forEach((parts, i) => {
        const slab = own[i]!
        slab.set(parts[0]!)
        for (let k = 1; k < parts.length; k++) {
          const p = parts[k]!
          for (let j = 0; j < slab.length; j++) slab[j]! += p[j]!
        }
      })
      losses[rank] = loss
      barrier()
      let total = 0
      for (let r = 0; r < count; r++) total += losses[r]!
      return { parts: grads.map((_, i) => views!.map((v) => v[i]!)), loss: total }
    },
  }
}

/** Marks the group failed and wakes every replica waiting at a barrier. */
export function stopReplicas(memory: ReplicaMemory): void {
  Atomics.store(memory.control, CONTROL_FAILED, 1)
  Atomics.notify(memory.control, CONTROL_GENERATION)
}
