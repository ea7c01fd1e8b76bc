// Runs the example fraud service:
//   node --import tsx examples/fraud-detection/service/main.ts [--port 0] [--host 127.0.0.1]
//        [--history data/feature-history.csv [--broken-features]] [--monitor http://127.0.0.1:9400]
//        [--rename-field] [--score-out-of-range] [--degraded]
// The same switches as environment variables: FRAUD_RENAME_FIELD=1, FRAUD_SCORE_OUT_OF_RANGE=1, PORT.
// `--history` also serves the online feature path under POST /features (its store built from that file);
// `--monitor` forwards every scored payload's inference event to a ModelGate monitor; `--degraded` is a candidate
// release whose feature code reads the amount in cents (same contract, wrong scores).
// Prints one line, `fraud-service listening on http://HOST:PORT`, once it accepts connections.
import { parseArgs } from 'node:util'
import { readTable } from '@modelgate/core'
import { createFeatureStore } from '../features/features.js'
import { createFeatureHandler } from '../features/server.js'
import { createEventForwarder } from './createEventForwarder.js'
import { fraudModel } from './model.js'
import { createFraudServer } from './server.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '0' },
    host: { type: 'string', default: '127.0.0.1' },
    history: { type: 'string' },
    'broken-features': { type: 'boolean', default: false },
    monitor: { type: 'string' },
    'rename-field': { type: 'boolean', default: process.env.FRAUD_RENAME_FIELD === '1' },
    'score-out-of-range': { type: 'boolean', default: process.env.FRAUD_SCORE_OUT_OF_RANGE === '1' },
    degraded: { type: 'boolean', default: false },
  },
})

fraudModel() // train before listening, so the first request is not slow
const features =
  values.history === undefined
    ? undefined
    : createFeatureHandler({
        store: createFeatureStore(await readTable(values.history)),
        broken: values['broken-features'],
      })
const forwarder =
  values.monitor === undefined
    ? undefined
    : createEventForwarder(values.monitor, {
        onError: (error) =>
          process.stderr.write(`monitor: ${error instanceof Error ? error.message : String(error)}\n`),
      })
const server = createFraudServer({
  renameField: values['rename-field'],
  scoreOutOfRange: values['score-out-of-range'],
  degraded: values.degraded,
  ...(features === undefined ? {} : { features }),
  ...(forwarder === undefined ? {} : { onFeatureLog: forwarder.add }),
})
server.listen(Number(values.port), values.host, () => {
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : values.port
  process.stdout.write(`fraud-service listening on http://${values.host}:${port}\n`)
})
const stop = (): void => {
  void forwarder?.close()
  server.close(() => process.exit(0))
  server.closeAllConnections()
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
