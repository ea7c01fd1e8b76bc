import { batchFunction, checkSkew } from '@modelgate/skew'
import { batchFeatures } from '../../examples/feature-pipeline/features.ts'
import { generateTransactions } from '../../examples/feature-pipeline/generateTransactions.ts'
const big = generateTransactions({ rows: 1_000_000, users: 25000, days: 90, seed: 2 })
const feats = batchFeatures(big)
const t = performance.now()
const r = await checkSkew({ input: big, key: 'txn_id', batch: batchFunction(() => feats), online: batchFunction(() => feats) })
console.log(performance.now() - t, r.timings)
