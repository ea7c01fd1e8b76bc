// The canary judge's thread (started by shadowJudge.ts): keeps its own ring of the proxy's pairs, fed in batches, and
// judges them on request, so that judging thousands of pairs never holds the proxy's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import type { Report } from '@modelgate/core'
import { judgeCanary } from '../judgeCanary.js'
import type { JudgeMessage } from './shadowJudge.js'
import { ShadowStore } from './shadowStore.js'

const store = new ShadowStore((workerData as { capacity: number }).capacity)

parentPort?.on('message', (message: JudgeMessage) => {
  if (message.type === 'pairs') {
    for (const pair of message.pairs) store.add(pair)
    return
  }
  let reply: { id: number; report?: Report; error?: string }
  try {
    reply = { id: message.id, report: judgeCanary(store.pairs(), message.counts, message.options) }
  } catch (error) {
    reply = { id: message.id, error: error instanceof Error ? error.message : String(error) }
  }
  parentPort?.postMessage(reply)
})
