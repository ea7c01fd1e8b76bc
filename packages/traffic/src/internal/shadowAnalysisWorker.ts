// The proxy's analysis thread (started by shadowAnalysis.ts when there is analysis to do): parses the request bodies
// and feeds the drift window states with them and both models' predictions, sending the drift reports back after
// each batch of rows; judges the canary over the pairs it is sent — so neither judging thousands of pairs nor drift's
// per-row work ever holds the proxy's event loop.
import { parentPort, workerData } from 'node:worker_threads'
import { toThreadError } from '@modelgate/core'
import { judgeCanary } from '../judgeCanary.js'
import type { AnalysisMessage, AnalysisReply, AnalysisSettings } from './shadowAnalysis.js'
import { ShadowDrift } from './shadowDrift.js'
import { ShadowStore } from './shadowStore.js'

const settings = workerData as AnalysisSettings
const drift =
  settings.drift === null
    ? null
    : new ShadowDrift(settings.drift.baseline, {
        featuresField: settings.drift.featuresField,
        predictionField: settings.drift.predictionField,
        methods: settings.drift.methods,
      })
let sentRows = -1

const score = (value: number | undefined): number | undefined =>
  value === undefined || Number.isNaN(value) ? undefined : value

/** Drift evaluated (ShadowDrift caches it) and sent to the proxy when it covers rows not sent yet; null without drift. */
const refresh = () => {
  if (drift === null) return null
  const reports = drift.evaluate()
  if (reports.rows !== sentRows) {
    sentRows = reports.rows
    parentPort?.postMessage({ type: 'drift', reports })
  }
  return reports
}

parentPort?.on('message', (message: AnalysisMessage) => {
  if (message.type === 'rows') {
    if (drift === null) return
    for (let i = 0; i < message.bodies.length; i++) {
      const body = message.bodies[i]
      let request: unknown
      try {
        request = body === undefined || body === null ? undefined : JSON.parse(body)
      } catch {
        request = undefined
      }
      drift.add(request, score(message.primary[i]), score(message.candidate[i]))
    }
    try {
      refresh()
    } catch (error) {
      parentPort?.postMessage({ type: 'problem', error: toThreadError(error) } satisfies AnalysisReply)
    }
    return
  }
  let reply: AnalysisReply
  try {
    const reports = refresh()
    const options =
      reports === null
        ? message.options
        : { ...message.options, drift: { primary: reports.primary, candidate: reports.candidate } }
    const pairs = ShadowStore.fromMessage(message.pairs).pairs()
    reply = { type: 'verdict', id: message.id, report: judgeCanary(pairs, message.counts, options) }
  } catch (error) {
    reply = { type: 'verdict', id: message.id, error: toThreadError(error) }
  }
  parentPort?.postMessage(reply)
})
