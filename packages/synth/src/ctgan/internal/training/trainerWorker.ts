// A replica of a data-parallel CTGAN training (see createTrainingReplicas): builds its trainer over the
// weights, moments and average the main thread put in shared memory, on its own one-thread engine, and
// trains its share of every batch in lockstep with the others until told to stop.
import { workerData } from 'node:worker_threads'
import { loadEngine } from '../engine/loadEngine.js'
import { createNetworks, loadNetworks } from '../networks.js'
import { Rng } from '../Rng.js'
import { CtganTrainer } from './CtganTrainer.js'
import type { TrainingReplicaInit } from './createTrainingReplicas.js'
import { COMMAND_STOP } from './createTrainingReplicas.js'
import { CONTROL_COMMAND, joinReplicas, ReplicaGroupStopped, stopReplicas } from './Replicas.js'
import { trainEpoch } from './trainEpoch.js'

const init = workerData as TrainingReplicaInit
try {
  const engine = await loadEngine(init.backend, { threads: 1 })
  try {
    const replicas = joinReplicas(init.memory, init.rank)
    // The main thread's current weights (its initialisation, or a checkpoint's), over a network of the same shapes.
    const nets = createNetworks(init.arch, new Rng(0))
    loadNetworks(nets, init.weights)
    const trainer = new CtganTrainer({
      engine,
      arch: init.arch,
      nets,
      spec: init.spec,
      encoded: init.encoded,
      hp: init.hp,
      rng: new Rng(init.rng),
      replicas,
      shared: init.storage,
      syncBatchNorm: init.syncBatchNorm,
    })
    trainer.optG.step = init.steps.g
    trainer.optD.step = init.steps.d
    for (;;) {
      replicas.barrier()
      if (Atomics.load(init.memory.control, CONTROL_COMMAND) === COMMAND_STOP) break
      trainEpoch(trainer)
      init.rngOut.set(trainer.rng.state())
      replicas.barrier()
    }
  } finally {
    // Released here, before the thread ends (the main thread waits for that: see TrainingReplicas.close).
    engine.dispose()
  }
} catch (error) {
  if (!(error instanceof ReplicaGroupStopped)) {
    init.errors.postMessage({ message: `CTGAN training thread ${init.rank}: ${(error as Error).message}` })
    stopReplicas(init.memory)
  }
}
init.errors.close()
