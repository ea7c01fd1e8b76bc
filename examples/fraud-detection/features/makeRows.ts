// Writes synthetic transactions for the example:
//   node --import tsx examples/fraud-detection/features/makeRows.ts --rows 5000 --out /tmp/txns.csv [--seed 1]
import { parseArgs } from 'node:util'
import { writeTable } from '@modelgate/core'
import { generateTransactions } from './generateTransactions.js'

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string' },
  },
})
if (values.out === undefined) throw new Error('pass --out <file.csv|.jsonl|.parquet>')
await writeTable(values.out, generateTransactions({ rows: Number(values.rows), seed: Number(values.seed) }))
process.stderr.write(`wrote ${values.rows} transactions to ${values.out}\n`)
