// The proxy's analysis thread (started by shadowAnalysis.ts): keeps its own ring of the pairs, fed in batches, feeds
// the drift window states (parsing the request bodies here, not on the proxy's thread), pushes the drift reports
// every two seconds while pairs come in, and judges the canary on request — so neither judging thousands of pairs nor
// drift's per-row work ever holds the proxy's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import type { Report } from '@modelgate/core'
import { judgeCanary } from '../judgeCanary.js'
import type { AnalysisMessage, AnalysisSettings } from './shadowAnalysis.js'
import { ShadowDrift } from './shadowDrift.js'
import { ShadowStore } from './shadowStore.js'

const settings = workerData as AnalysisSettings
const store = new ShadowStore(settings.capacity)
const drift =
  settings.drift === null
    ? null
    : new ShadowDrift(settings.drift.baseline, {
        featuresField: settings.drift.featuresField,
        predictionField: settings.drift.predictionField,
        methods: settings.drift.methods,
      })
let evaluatedRows = 0

const evaluate = () => {
  if (drift === null) return null
  const reports = drift.evaluate()
  evaluatedRows = reports.rows
  return reports
}

if (drift !== null) {
  setInterval(() => {
    if (drift.rows === evaluatedRows) return
    try {
      parentPort?.postMessage({ type: 'drift', reports: evaluate() })
    } catch (error) {
      parentPort?.postMessage({ type: 'problem', error: error instanceof Error ? error.message : String(error) })
    }
  }, settings.driftIntervalMs).unref()
}

parentPort?.on('message', (message: AnalysisMessage) => {
  if (message.type === 'pairs') {
    for (const [i, pair] of ShadowStore.fromMessage(message.batch).pairs().entries()) {
      store.add(pair)
      if (drift === null) continue
      const body = message.bodies[i]
      let request: unknown
      try {
        request = body === undefined || body === null ? undefined : JSON.parse(body)
      } catch {
        request = undefined
      }
      drift.add(request, pair.primary.scores[drift.predictionField], pair.candidate.scores[drift.predictionField])
    }
    return
  }
  let reply: { type: 'verdict'; id: number; report?: Report; error?: string }
  try {
    const reports = evaluate()
    if (reports !== null) parentPort?.postMessage({ type: 'drift', reports })
    const options =
      reports === null
        ? message.options
        : { ...message.options, drift: { primary: reports.primary, candidate: reports.candidate } }
    reply = { type: 'verdict', id: message.id, report: judgeCanary(store.pairs(), message.counts, options) }
  } catch (error) {
    reply = { type: 'verdict', id: message.id, error: error instanceof Error ? error.message : String(error) }
  }
  parentPort?.postMessage(reply)
})
