// `pnpm demo`: runs ModelGate's main job on the bundled example, step by step, through the real CLI.
// Each step is a `modelgate …` command you can copy; outputs go to .tmp/demo/.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const out = join(root, '.tmp', 'demo')
rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
const bin = join(root, 'packages', 'cli', 'bin', 'modelgate.js')
const adult = join(root, '..', 'shared', 'data', 'adult.csv')
const example = join(root, 'examples', 'data', 'transactions.csv')
const rel = (p) => relative(process.cwd(), p)

/** Each step: a title, the CLI arguments, and the exit codes that count as the expected outcome. */
const steps = [
  ['Profile the bundled example table (PII columns summarised without values)', ['profile', rel(example)]],
  ['Draft an annotated schema; PII columns are flagged with the reason', ['schema', 'infer', rel(example), '--out', rel(join(out, 'transactions.schema.json'))]],
]
if (existsSync(adult)) steps.push(['Profile UCI Adult (32,561 rows)', ['profile', rel(adult)]])

let failed = 0
for (const [title, args, okCodes = [0]] of steps) {
  process.stdout.write(`\n━━ ${title}\n$ modelgate ${args.join(' ')}\n\n`)
  const result = spawnSync(process.execPath, [bin, ...args], { stdio: 'inherit' })
  if (!okCodes.includes(result.status ?? -1)) {
    failed++
    process.stdout.write(`\n✗ step exited with ${result.status}\n`)
  }
}
process.stdout.write(`\n${failed === 0 ? '✓ demo finished' : `✗ ${failed} demo step(s) failed`} — outputs in ${rel(out)}\n`)
process.exitCode = failed === 0 ? 0 : 1
