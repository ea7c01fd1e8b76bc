import { readdirSync } from 'node:fs'
import type { Table } from '@modelgate/core'
import { readTable, sliceTable } from '@modelgate/core'
import { fitCtgan } from '@modelgate/synth'
import { beforeAll, describe, expect, it } from 'vitest'
import { adultPath } from './helpers.js'

// Issue #13 reported `--threads 1` ignored by CTGAN sampling (two pipelines ran). Threads of this process, as the
// kernel counts them: a sampling worker thread would add one.
const osThreads = (): number => readdirSync('/proc/self/task').length

let adult: Table
beforeAll(async () => {
  adult = sliceTable(await readTable(adultPath), 0, 400)
})

describe('CTGAN threads', () => {
  it('samples on the calling thread alone with threads: 1, and with a worker thread with threads: 2', async () => {
    const threadsWhileSampling = async (threads: number): Promise<number> => {
      const model = await fitCtgan(adult, { epochs: 1, seed: 3, backend: 'onnxruntime', threads, calibrate: false })
      try {
        model.sample(200, { seed: 1 })
        const before = osThreads()
        let most = before
        for await (const _ of model.stream(6000, { seed: 2, chunkRows: 500 })) most = Math.max(most, osThreads())
        return most - before
      } finally {
        model.dispose()
      }
    }
    expect(await threadsWhileSampling(1)).toBe(0)
    expect(await threadsWhileSampling(2)).toBeGreaterThan(0)
  })
})
