import type { MessagePort, Worker } from 'node:worker_threads'
import { MessageChannel } from 'node:worker_threads'
import { startWorkerThread } from '@modelgate/core'
import type { CtganBackend } from '../engine/MatrixEngine.js'
import type { Architecture, Networks, Weight } from '../networks.js'
import { expectedShapes, namedWeights } from '../networks.js'
import type { EncodedTable, TransformerSpec } from '../transformer/TransformerSpec.js'
import type { ReplicaMemory, Replicas } from './Replicas.js'
import {
  CONTROL_COMMAND,
  CONTROL_FAILED,
  createReplicaMemory,
  joinReplicas,
  ReplicaGroupStopped,
  stopReplicas,
} from './Replicas.js'
import type { TrainerHyperparameters } from './TrainerHyperparameters.js'

/** What a training worker receives: everything to build its replica of the trainer over shared memory. */
export interface TrainingReplicaInit {
  readonly memory: ReplicaMemory
  readonly rank: number
  /** The worker posts its error here before stopping the group, for the main thread to read while blocked. */
  readonly errors: MessagePort
  readonly backend: CtganBackend
  readonly arch: Architecture
  readonly hp: TrainerHyperparameters
  readonly spec: TransformerSpec
  readonly encoded: EncodedTable
  /**
   * Network weights (copied into the worker: each replica computes on its own arrays) and the trainer's shared
   * storage (master weights, Adam moments, average; see TrainerOptions.shared).
   */
  readonly weights: ReadonlyMap<string, Weight>
  readonly storage: ReadonlyMap<string, Float32Array>
  readonly rng: readonly number[]
  readonly steps: { readonly g: number; readonly d: number }
  readonly syncBatchNorm: boolean
  /** Where the worker publishes its Rng state after each epoch (4 words). */
  readonly rngOut: Uint32Array
}

const COMMAND_EPOCH = 1
export const COMMAND_STOP = 2

/**
 * The other replicas of a data-parallel CTGAN training, one worker thread each; the calling thread is
 * replica 0. Each epoch, every replica trains on its share of every batch and they meet at barriers (see
 * Replicas), so the replicas run in lockstep: `epoch(run)` starts theirs and runs this thread's.
 */
export interface TrainingReplicas {
  /** Rank 0's view of the group, for this thread's trainer. */
  readonly replicas: Replicas
  /** Starts the workers once this thread's trainer has allocated the shared storage. */
  start(setup: TrainingSetup): void
  /**
   * Runs one epoch on every replica (`run` is this thread's share, which may yield to the event loop: the
   * others wait at their barriers meanwhile) and waits for all of them.
   */
  epoch<T>(run: () => T | Promise<T>): Promise<T>
  /** The other replicas' Rng states after the last epoch (for checkpoints). */
  rngStates(): number[][]
  /**
   * Ends the workers (after a failure too) and resolves once every one has exited. A worker is never
   * terminated from outside: ending a thread inside an ONNX Runtime call aborts the whole process, so each is
   * told to stop (or finds the group failed at its next barrier), releases its engine and ends by itself.
   */
  close(): Promise<void>
}

interface TrainingSetup {
  readonly backend: CtganBackend
  readonly hp: TrainerHyperparameters
  readonly spec: TransformerSpec
  readonly encoded: EncodedTable
  readonly nets: Networks
  readonly storage: ReadonlyMap<string, Float32Array>
  /** Rng state of replica r (1 … count − 1). */
  readonly rngFor: (rank: number) => readonly number[]
  readonly steps: { readonly g: number; readonly d: number }
  /** See TrainerOptions.syncBatchNorm (default true). */
  readonly syncBatchNorm?: boolean
}

/**
 * Creates the group's shared memory and rank 0's view of it; `start` then starts replicas 1 … count − 1
 * (trainerWorker.ts next to this file; from TypeScript sources loaded through tsx, as tests and benchmarks
 * run them).
 */
export function createTrainingReplicas(count: number, arch: Architecture): TrainingReplicas {
  const size = (prefix: string): number =>
    expectedShapes(arch)
      .filter(([name]) => name.startsWith(prefix) && !name.includes('running_'))
      .reduce((n, [, shape]) => n + shape.reduce((a, b) => a * b, 1), 0)
  const memory = createReplicaMemory(
    count,
    2 * Math.max(1, ...arch.generatorDims),
    Math.max(size('generator.'), size('discriminator.')),
  )
  const rngOut = new Uint32Array(new SharedArrayBuffer(4 * 4 * count))
  const workers: Worker[] = []
  const exits: Promise<void>[] = []
  /** Errors that ended a thread (a failure inside training is posted on its error port instead). */
  const threadErrors: string[] = []
  const errorPorts: MessagePort[] = []
  const replicas = joinReplicas(memory, 0, errorPorts)
  let closing: Promise<void> | null = null
  let inEpoch = false
  const close = (): Promise<void> => {
    closing ??= (async () => {
      let stopped = false
      // Between epochs the workers wait at the epoch barrier for the command; after a failure or a cancelled
      // epoch they are somewhere inside one, and the failure flag stops them at their next barrier.
      if (!inEpoch && workers.length > 0) {
        try {
          // The workers read the command at the epoch barrier, release their engines and end on their own.
          Atomics.store(memory.control, CONTROL_COMMAND, COMMAND_STOP)
          replicas.barrier()
          stopped = true
        } catch {
          // A replica had failed already.
        }
      }
      if (!stopped) stopReplicas(memory)
      // Keep the process alive until they are gone: exiting it would end them wherever they are.
      for (const w of workers) w.ref()
      await Promise.all(exits)
      for (const p of errorPorts) p.close()
    })()
    return closing
  }

  return {
    replicas,
    start(setup) {
      const weights = new Map(namedWeights(setup.nets))
      for (let rank = 1; rank < count; rank++) {
        const channel = new MessageChannel()
        errorPorts.push(channel.port1)
        const init: TrainingReplicaInit = {
          memory,
          rank,
          errors: channel.port2,
          backend: setup.backend,
          arch,
          hp: setup.hp,
          spec: setup.spec,
          encoded: setup.encoded,
          weights,
          storage: setup.storage,
          rng: setup.rngFor(rank),
          steps: setup.steps,
          syncBatchNorm: setup.syncBatchNorm ?? true,
          rngOut: rngOut.subarray(4 * rank, 4 * rank + 4),
        }
        // A failure inside training reaches this thread through the worker's port and the group's failure flag;
        // a thread that ends (even one whose module failed to load) marks the group failed as it goes.
        const worker = startWorkerThread(new URL('./trainerWorker', import.meta.url), {
          workerData: init,
          transferList: [channel.port2],
          exitFlag: { flags: memory.control, index: CONTROL_FAILED },
        })
        worker.on('error', (error) => {
          threadErrors.push(`CTGAN training thread ${rank}: ${error.message}`)
          stopReplicas(memory)
        })
        exits.push(new Promise((resolve) => worker.once('exit', () => resolve())))
        worker.unref()
        workers.push(worker)
      }
    },
    async epoch(run) {
      inEpoch = true
      try {
        Atomics.store(memory.control, CONTROL_COMMAND, COMMAND_EPOCH)
        replicas.barrier()
        const result = await run()
        // The workers publish their Rng state before this barrier.
        replicas.barrier()
        inEpoch = false
        return result
      } catch (error) {
        if (!(error instanceof ReplicaGroupStopped)) throw error
        // A thread that ended on an uncaught error (e.g. its module failed to load) only says why in its
        // 'error' event, which this thread receives once it waits for the threads to end.
        await close()
        throw threadErrors.length > 0 ? new ReplicaGroupStopped(threadErrors.join('; '), { cause: error }) : error
      }
    },
    rngStates() {
      return Array.from({ length: count - 1 }, (_, i) => Array.from(rngOut.subarray(4 * (i + 1), 4 * (i + 2))))
    },
    close,
  }
}
