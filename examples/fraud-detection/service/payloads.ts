// Writes example payloads as JSON lines:
//   node --import tsx examples/fraud-detection/service/payloads.ts --n 2000 [--seed 7] [--device-null-rate 0.38] > payloads.jsonl
import { parseArgs } from 'node:util'
import { generatePayloads } from './generatePayloads.js'

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '7' },
    'device-null-rate': { type: 'string', default: '0.01' },
  },
})
const rows = generatePayloads({
  n: Number(values.n),
  seed: Number(values.seed),
  deviceFingerprintNullRate: Number(values['device-null-rate']),
})
process.stdout.write(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
