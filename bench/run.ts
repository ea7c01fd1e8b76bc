// `pnpm bench [filter]`: runs every bench/*.bench.ts in its own process (so peak RSS is per benchmark),
// collects the JSON lines they print ({ name, value, unit, reference?, ratio? }) and prints a table.
// Figures worth keeping are recorded by hand in bench/RESULTS.md with the machine and date.
import { spawnSync } from 'node:child_process'
import { readdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

interface Figure {
  name: string
  value: number
  unit: string
  target?: string
  reference?: number
  ratio?: number
}

const here = dirname(fileURLToPath(import.meta.url))
const filter = process.argv[2] ?? ''
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && f.includes(filter))
  .sort()

const figures: Figure[] = []
for (const file of files) {
  process.stderr.write(`\n▶ ${file}\n`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    cwd: join(here, '..'),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  })
  for (const line of result.stdout.split('\n')) {
    if (!line.startsWith('{')) continue
    try {
      figures.push(JSON.parse(line) as Figure)
    } catch {
      process.stderr.write(`  (unparsable line) ${line}\n`)
    }
  }
  if (result.status !== 0) process.stderr.write(`  ✗ ${file} exited with ${result.status}\n`)
}

const fmt = (x: number | undefined): string => (x === undefined ? '' : Number(x.toPrecision(4)).toLocaleString('en-US'))
process.stdout.write(
  `\nmachine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n\n`,
)
process.stdout.write('| benchmark | value | unit | target | reference | ratio |\n|---|---:|---|---|---:|---:|\n')
for (const f of figures) {
  process.stdout.write(
    `| ${f.name} | ${fmt(f.value)} | ${f.unit} | ${f.target ?? ''} | ${fmt(f.reference)} | ${fmt(f.ratio)} |\n`,
  )
}
writeFileSync(join(here, '..', '.tmp-bench-results.json'), `${JSON.stringify(figures, null, 2)}\n`)
