// Writes the example's data, baseline and synth model — every file under data/ plus baseline.json and
// synth-model.json — from seeded generators, so anyone can regenerate them (the data byte for byte; the baseline
// and the model differ only in their creation time):
//   node --import tsx examples/fraud-detection/scripts/makeData.ts
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadSchema, readTable, writeTable } from '@modelgate/core'
import { buildBaseline } from '@modelgate/drift'
import { trainSynthesizer } from '@modelgate/synth'
import { generateTransactions } from '../features/generateTransactions.js'
import { generatePayloads } from '../service/generatePayloads.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const at = (...parts: string[]): string => join(root, ...parts)
const jsonl = (rows: readonly object[]): string => `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`

/** The traffic shape the load check replays: 150/s for 3 s, a 400/s burst for 1 s, then 200/s for 4 s. */
function trafficShape(): string {
  const start = Date.parse('2026-12-01T10:00:00.000Z')
  const stages = [
    { seconds: 3, rate: 150 },
    { seconds: 1, rate: 400 },
    { seconds: 4, rate: 200 },
  ]
  const lines: string[] = []
  let t = 0
  for (const { seconds, rate } of stages) {
    for (let k = 0; k < seconds * rate; k++)
      lines.push(JSON.stringify({ ts: start + Math.round(t + (k * 1000) / rate) }))
    t += seconds * 1000
  }
  return `${lines.join('\n')}\n`
}

// "Production" payloads (seeded; see service/generatePayloads.ts): the healthy sample the baseline is built from,
// the current release's sample, and the mobile release that stopped sending device_fingerprint for 40% of requests.
await writeFile(
  at('data', 'reference.jsonl'),
  jsonl(generatePayloads({ n: 2000, seed: 7, deviceFingerprintNullRate: 0.01 })),
)
await writeFile(
  at('data', 'candidate.jsonl'),
  jsonl(generatePayloads({ n: 2000, seed: 8, deviceFingerprintNullRate: 0.01 })),
)
await writeFile(
  at('data', 'mobile-release.jsonl'),
  jsonl(generatePayloads({ n: 2000, seed: 9, deviceFingerprintNullRate: 0.4 })),
)
// The transaction history the batch and online feature paths compute from (features/generateTransactions.ts).
await writeTable(at('data', 'feature-history.csv'), generateTransactions({ rows: 3000, seed: 1 }))
await writeFile(at('data', 'traffic.jsonl'), trafficShape())

const schema = await loadSchema(at('schemas', 'request.schema.json'))
const reference = await readTable(at('data', 'reference.jsonl'), { schema })
// The baseline: aggregates of the healthy sample, no row (PII columns: counts and format validity only).
const baseline = buildBaseline(reference, { schema, name: 'data/reference.jsonl', seed: 1 })
await writeFile(at('baseline.json'), `${JSON.stringify(baseline)}\n`)
// A Gaussian copula of the reference: parameters only, PII columns never learned.
const model = await trainSynthesizer(reference, { schema, seed: 7 })
await model.save(at('synth-model.json'))
process.stderr.write('wrote data/, baseline.json, synth-model.json\n')
