import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Worker } from 'node:worker_threads'
import { MessageChannel } from 'node:worker_threads'
import { startWorkerThread } from '@modelgate/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { adultPath, repoRoot } from './helpers.js'

// Ending a worker thread while it is inside an ONNX Runtime call aborts the whole process ("terminate called
// after throwing an instance of 'Napi::Error'"), so these run in a child process that must exit normally.
// Each scenario is repeated with random timings: before the threads were told to stop rather than
// terminated, the first of these aborted the process within a few tries.

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'mg-ctgan-shutdown-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** The child's own time limit; the test waits as long (on a contended machine the child needs more than 60 s). */
const CHILD_TIMEOUT_MS = 240_000

/** Runs `body` (top-level await allowed, `synth` and `adult` in scope) in a fresh Node process. */
function runChild(body: string): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const code = [
    "const synth = await import('./packages/synth/src/index.ts')",
    "const core = await import('./packages/core/src/index.ts')",
    `const adult = core.sliceTable(await core.readTable(${JSON.stringify(adultPath)}), 0, 1000)`,
    body,
  ].join('\n')
  const child = spawnSync(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', code],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    },
  )
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr }
}

describe('CTGAN worker threads at shutdown', () => {
  it(
    'stops its training thread without aborting the process when training is cancelled at any moment of an epoch',
    () => {
      const child = runChild(`
      const outcomes = []
      for (let i = 0; i < 8; i++) {
        const controller = new AbortController()
        // Cancel at a random moment of the first or second epoch (an epoch of 1,000 rows takes ~0.1-0.3 s).
        setTimeout(() => controller.abort(), 40 + Math.random() * 400)
        try {
          const m = await synth.fitCtgan(adult, { epochs: 200, seed: i, backend: 'onnxruntime', threads: 2, calibrate: false, signal: controller.signal })
          m.dispose()
          outcomes.push('finished')
        } catch (error) {
          outcomes.push(error.code)
        }
      }
      console.log(JSON.stringify(outcomes))
    `)
      expect(child.stderr).not.toContain('terminate called')
      expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null })
      expect(JSON.parse(child.stdout.trim())).toEqual(Array(8).fill('MG_CANCELLED'))
    },
    CHILD_TIMEOUT_MS,
  )

  it(
    'stops its sampling thread without aborting the process when a model is disposed while that thread draws a chunk',
    () => {
      const modelPath = path.join(dir, 'model.json')
      const child = runChild(`
      const trained = await synth.fitCtgan(adult, { epochs: 1, seed: 3, backend: 'onnxruntime', threads: 2, calibrate: false })
      await trained.save(${JSON.stringify(modelPath)})
      trained.dispose()
      const rows = []
      for (let i = 0; i < 6; i++) {
        const m = await synth.loadCtganModel(${JSON.stringify(modelPath)})
        // The worker draws chunk 1 while this thread draws chunk 0; stop after chunk 0 and dispose at once.
        for await (const chunk of m.stream(400_000, { seed: i, chunkRows: 100_000 })) {
          rows.push(chunk.numRows)
          break
        }
        m.dispose()
      }
      console.log(JSON.stringify(rows))
    `)
      expect(child.stderr).not.toContain('terminate called')
      expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null })
      expect(JSON.parse(child.stdout.trim())).toEqual(Array(6).fill(100_000))
    },
    CHILD_TIMEOUT_MS,
  )
})

describe('the exit flag of a worker thread (what a thread blocked in Atomics.wait can see)', () => {
  /** Waits on the flag as a blocked caller would (no events), then lets the Worker's events through. */
  async function waitForFlag(worker: Worker, flags: Int32Array): Promise<{ flagged: boolean; error: Error | null }> {
    let error: Error | null = null
    worker.on('error', (e) => (error = e))
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    const started = Date.now()
    while (Atomics.load(flags, 1) === 0 && Date.now() - started < 30_000) Atomics.wait(flags, 1, 0, 1000)
    const flagged = Atomics.load(flags, 1) === 1
    await exited
    return { flagged, error }
  }

  it('is set when the worker module cannot even be loaded, and the error names the module', async () => {
    const flags = new Int32Array(new SharedArrayBuffer(8))
    const worker = startWorkerThread(new URL('../src/ctgan/internal/noSuchWorker', import.meta.url), {
      workerData: {},
      exitFlag: { flags, index: 1 },
    })
    const { flagged, error } = await waitForFlag(worker, flags)
    expect(flagged).toBe(true)
    expect(Atomics.load(flags, 0)).toBe(0)
    expect((error as Error | null)?.message).toMatch(/noSuchWorker/)
  })

  it('is set when a worker ends normally (the sampling worker told to close)', async () => {
    const flags = new Int32Array(new SharedArrayBuffer(8))
    const channel = new MessageChannel()
    // No model: the worker answers chunk requests with an error, and ends when told to close.
    const worker = startWorkerThread(new URL('../src/ctgan/internal/sampling/samplerWorker', import.meta.url), {
      workerData: { replies: channel.port2, signal: new Int32Array(new SharedArrayBuffer(8)) },
      transferList: [channel.port2],
      exitFlag: { flags, index: 1 },
    })
    worker.postMessage({ close: true })
    const { flagged, error } = await waitForFlag(worker, flags)
    channel.port1.close()
    expect(flagged).toBe(true)
    expect(error).toBeNull()
  })
})
