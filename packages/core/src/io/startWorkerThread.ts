import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { WorkerOptions } from 'node:worker_threads'
import { Worker } from 'node:worker_threads'

/** A word in shared memory that a worker sets to 1 when its thread ends, whatever the reason. */
export interface ExitFlag {
  readonly flags: Int32Array
  readonly index: number
}

export interface StartWorkerThreadOptions extends Omit<WorkerOptions, 'eval' | 'workerData'> {
  /** Cloned to the thread (`workerData` there). */
  readonly workerData: object
  /**
   * The thread sets this word (and wakes its waiters) as it ends: normally, on an uncaught error, or when its entry
   * cannot even be loaded. A thread blocked in Atomics.wait cannot receive the Worker's 'exit' event, so this is how
   * it learns, within its next wait slice, that no answer will come. Passed to the thread as `workerData.exitFlag`.
   */
  readonly exitFlag?: ExitFlag
}

/**
 * Starts the worker module at `module`, a URL without extension (`new URL('./fitWorker', import.meta.url)`): the
 * compiled `.js` beside the caller, or, when ModelGate runs from its TypeScript sources (tests, benchmarks), the
 * `.ts` with tsx's loader registered inside the worker before the entry is imported. The one place every package
 * starts a thread from.
 */
export function startWorkerThread(module: URL, options: StartWorkerThreadOptions): Worker {
  const compiled = existsSync(fileURLToPath(`${module.href}.js`))
  const entry = JSON.stringify(`${module.href}${compiled ? '.js' : '.ts'}`)
  const { exitFlag, workerData, ...workerOptions } = options
  // The exit flag is watched before the entry is imported, so a failure to load it is reported too. Only import()
  // here: the eval'd code is a module or a script depending on the flags the worker inherits (`--input-type=module`
  // makes it a module, where `require` is undefined).
  const watch =
    exitFlag === undefined
      ? 'Promise.resolve()'
      : "import('node:worker_threads').then(({ workerData }) => { const mark = workerData.exitFlag; " +
        "process.on('exit', () => { Atomics.store(mark.flags, mark.index, 1); Atomics.notify(mark.flags, mark.index) }) })"
  const load = compiled
    ? `import(${entry})`
    : `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}) })`
  return new Worker(`${watch}.then(() => ${load})`, {
    ...workerOptions,
    workerData: exitFlag === undefined ? workerData : { ...workerData, exitFlag },
    eval: true,
  })
}
