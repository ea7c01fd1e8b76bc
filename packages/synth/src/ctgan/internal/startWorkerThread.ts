import type { WorkerOptions } from 'node:worker_threads'
import { Worker } from 'node:worker_threads'

/** A word in shared memory that a worker sets to 1 when its thread ends, whatever the reason. */
export interface ExitFlag {
  readonly flags: Int32Array
  readonly index: number
}

/**
 * Starts the worker module at `module` (a URL without extension, e.g. `new URL('./samplerWorker', import.meta.url)`):
 * the compiled `.js`, or, when ModelGate runs from its TypeScript sources (tests, benchmarks), the `.ts` with tsx's
 * loader registered inside the worker before the entry is imported.
 *
 * With `exitFlag`, the thread sets that word (and wakes its waiters) as it ends: normally, on an uncaught error,
 * or when the entry cannot even be loaded. A thread blocked in Atomics.wait cannot receive the Worker's
 * 'exit' event, so this is how it learns, within its next wait slice, that no answer will come.
 */
export function startWorkerThread(
  module: URL,
  options: WorkerOptions & { readonly workerData: object },
  exitFlag?: ExitFlag,
): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = JSON.stringify(`${module.href}${fromSource ? '.ts' : '.js'}`)
  // The exit flag is watched before the entry is imported, so a failure to load it is reported too. Only
  // import() here: the eval'd code is a module or a script depending on the flags the worker inherits
  // (`--input-type=module` makes it a module, where `require` is undefined).
  const watch =
    "import('node:worker_threads').then(({ workerData }) => { const mark = workerData.exitFlag; " +
    "if (mark !== undefined) process.on('exit', () => { Atomics.store(mark.flags, mark.index, 1); Atomics.notify(mark.flags, mark.index) }) })"
  const load = fromSource
    ? `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}) })`
    : `import(${entry})`
  return new Worker(`${watch}.then(() => ${load})`, {
    ...options,
    workerData: { ...options.workerData, exitFlag },
    eval: true,
  })
}
