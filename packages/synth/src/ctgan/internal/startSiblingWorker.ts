import { Worker } from 'node:worker_threads'
import type { WorkerOptions } from 'node:worker_threads'

/**
 * Starts the worker module `name` (without extension) that sits next to this file: the compiled `.js`, or,
 * when ModelGate runs from its TypeScript sources (tests, benchmarks), the `.ts` with tsx's loader registered
 * inside the worker before the entry is imported.
 */
export function startSiblingWorker(name: string, options: WorkerOptions): Worker {
  const fromSource = import.meta.url.endsWith('.ts')
  const entry = new URL(`./${name}${fromSource ? '.ts' : '.js'}`, import.meta.url)
  return fromSource
    ? new Worker(`import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}) })`, { ...options, eval: true })
    : new Worker(entry, options)
}
