// Runs the example fraud service:
//   node --import tsx examples/fraud-detection/service/main.ts [--port 0] [--host 127.0.0.1] [--rename-field] [--score-out-of-range]
// The same switches as environment variables: FRAUD_RENAME_FIELD=1, FRAUD_SCORE_OUT_OF_RANGE=1, PORT.
// Prints one line, `fraud-service listening on http://HOST:PORT`, once it accepts connections.
import { parseArgs } from 'node:util'
import { createFraudServer } from './server.js'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: process.env.PORT ?? '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'rename-field': { type: 'boolean', default: process.env.FRAUD_RENAME_FIELD === '1' },
    'score-out-of-range': { type: 'boolean', default: process.env.FRAUD_SCORE_OUT_OF_RANGE === '1' },
  },
})

const server = createFraudServer({ renameField: values['rename-field'], scoreOutOfRange: values['score-out-of-range'] })
server.listen(Number(values.port), values.host, () => {
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : values.port
  process.stdout.write(`fraud-service listening on http://${values.host}:${port}\n`)
})
const stop = (): void => {
  server.close(() => process.exit(0))
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
