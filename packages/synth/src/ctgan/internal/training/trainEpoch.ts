import { setImmediate } from 'node:timers/promises'
import type { CtganTrainer } from './CtganTrainer.js'

export interface EpochLosses {
  readonly lossG: number
  readonly lossD: number
}

/** One epoch of `trainer`, start to end (a training worker thread runs it so); the mean losses. */
export function trainEpoch(trainer: CtganTrainer, signal?: AbortSignal): EpochLosses {
  const sums = { g: 0, d: 0 }
  const steps = trainer.stepsPerEpoch
  for (let s = 0; s < steps; s++) step(trainer, sums, signal)
  return meanLosses(trainer, sums)
}

/**
 * One epoch as `trainEpoch`, giving the event loop a turn every `sliceMs`: a signal raised by an event (the
 * CLI's SIGINT handler, a timer) can only be seen then, so training stops within a step of Ctrl-C rather than
 * ignoring it to the end.
 */
export async function trainEpochYielding(
  trainer: CtganTrainer,
  options: { readonly signal?: AbortSignal | undefined; readonly sliceMs?: number } = {},
): Promise<EpochLosses> {
  const sliceMs = options.sliceMs ?? 50
  const sums = { g: 0, d: 0 }
  const steps = trainer.stepsPerEpoch
  let sliceStart = performance.now()
  for (let s = 0; s < steps; s++) {
    if (performance.now() - sliceStart >= sliceMs) {
      await setImmediate()
      sliceStart = performance.now()
    }
    step(trainer, sums, options.signal)
  }
  return meanLosses(trainer, sums)
}

function step(trainer: CtganTrainer, sums: { g: number; d: number }, signal: AbortSignal | undefined): void {
  signal?.throwIfAborted()
  for (let k = 0; k < trainer.hp.discriminatorSteps; k++) sums.d += trainer.discriminatorStep()
  sums.g += trainer.generatorStep()
}

function meanLosses(trainer: CtganTrainer, sums: { g: number; d: number }): EpochLosses {
  const steps = trainer.stepsPerEpoch
  return { lossG: sums.g / steps, lossD: sums.d / (steps * trainer.hp.discriminatorSteps) }
}
