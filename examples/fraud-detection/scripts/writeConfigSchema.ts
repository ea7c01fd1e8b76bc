// Writes modelgate.schema.json, the JSON Schema of modelgate.yaml, from the gate's zod schema (a test checks that
// the committed file is up to date):
//   node --import tsx examples/fraud-detection/scripts/writeConfigSchema.ts
import { writeFile } from 'node:fs/promises'
import { gateConfigJsonSchema } from '@modelgate/gate'

await writeFile(
  new URL('../modelgate.schema.json', import.meta.url),
  `${JSON.stringify(gateConfigJsonSchema(), null, 2)}\n`,
)
