// Wide generate through the CLI (issue #13): `modelgate synth generate` of a 1,000-column model, end to end in a
// process of its own (start-up, model load, sampling, encoding, writing), to CSV and Parquet.
//   node --import tsx bench/synth-generate.bench.ts [rounds=2] [rows=20000,100000] [formats=csv,parquet] [checkout…]
//   node --import tsx bench/synth-generate.bench.ts --profile [rows] [format] [checkout]
// The model is trained once (the wide bench's table, packages/synth/test/wideTable.ts: 1,000 columns × 10,000 rows,
// through `synth train`) and kept in the system temp directory. Each further argument is a checkout whose built CLI
// runs (old vs new, e.g. a detached worktree of main); each round runs every checkout, rotated round by round, and
// every checkout's files are compared byte for byte. CPU is the child's user + sys from /proc/self/stat (cutime,
// cstime), so Linux only. Run it under autogroup nice on a shared machine:
//   sh -c 'echo -10 > /proc/self/autogroup; exec nice -n -10 node --import tsx bench/synth-generate.bench.ts'
// --profile runs one generate with --cpu-prof and splits its self time (every thread) into sampling, encoding,
// writing, garbage collection and the rest.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeTable } from '@modelgate/core'
import { wideTable } from '../packages/synth/test/wideTable.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const work = join(tmpdir(), 'modelgate-generate-bench')
const model = join(work, 'wide.model.json')

function cli(checkout: string): string {
  return resolve(checkout, 'packages/cli/bin/modelgate.js')
}

/** Children's CPU seconds so far (user + sys of waited-for children, from /proc/self/stat). */
function childCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? []
  // after "pid (comm) ": field 3 is index 0, so cutime (16) and cstime (17) are at 13 and 14
  return (Number(fields[13]) + Number(fields[14])) / 100
}

function load(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')
}

async function ensureModel(): Promise<void> {
  if (existsSync(model)) return
  mkdirSync(work, { recursive: true })
  const data = join(work, 'wide.csv')
  await writeTable(data, wideTable({ columns: 1000, rows: 10_000 }).table)
  const train = spawnSync(process.execPath, [
    cli(resolve(here, '..')),
    'synth',
    'train',
    '--data',
    data,
    '--out',
    model,
  ])
  if (train.status !== 0) throw new Error(`synth train failed: ${train.stderr}`)
}

function generate(
  checkout: string,
  rows: number,
  out: string,
  nodeFlags: string[] = [],
): { wall: number; cpu: number } {
  const cpu0 = childCpu()
  const t0 = performance.now()
  const child = spawnSync(
    process.execPath,
    [...nodeFlags, cli(checkout), 'synth', 'generate', '--model', model, '--rows', String(rows), '--out', out],
    {
      encoding: 'utf8',
    },
  )
  const wall = (performance.now() - t0) / 1000
  if (child.status !== 0) throw new Error(`synth generate failed (${checkout}): ${child.stderr}`)
  return { wall, cpu: childCpu() - cpu0 }
}

/** Self time of a .cpuprofile by what it is doing. */
function split(file: string, into: Map<string, number>): void {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: { id: number; callFrame: { functionName: string; url: string } }[]
    samples: number[]
    timeDeltas: number[]
  }
  const kindOf = new Map<number, string>()
  for (const node of profile.nodes) {
    const { functionName: f, url } = node.callFrame
    const kind =
      f === '(garbage collector)'
        ? 'garbage collection'
        : f === '(idle)' || f === '(program)'
          ? 'idle / program'
          : /synth\/(dist|src)\/(internal|ctgan)|random\/createRandom|normalPpf/.test(url)
            ? 'sampling'
            : /CsvEncoder|writeNumberAscii|formatText|parquetSink|arrowSink|hyparquet|snappy|formatWithPattern/.test(
                  url,
                )
              ? 'encoding'
              : /^node:fs|AtomicFile|CsvSink|csvEncodeWorker/.test(url) || f === 'writeSync' || f === 'writeBuffer'
                ? 'writing'
                : 'start-up, model load, other'
    kindOf.set(node.id, kind)
  }
  profile.samples.forEach((id, i) => {
    const kind = kindOf.get(id) ?? 'start-up, model load, other'
    into.set(kind, (into.get(kind) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1e6)
  })
}

await ensureModel()
if (process.argv[2] === '--profile') {
  const rows = Number(process.argv[3] ?? 20_000)
  const format = process.argv[4] ?? 'csv'
  const checkout = process.argv[5] ?? resolve(here, '..')
  const dir = join(work, 'profile')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const { wall, cpu } = generate(checkout, rows, join(work, `profiled.${format}`), [
    '--cpu-prof',
    `--cpu-prof-dir=${dir}`,
  ])
  const into = new Map<string, number>()
  for (const f of readdirSync(dir)) split(join(dir, f), into)
  const total = [...into.values()].reduce((s, x) => s + x, 0)
  process.stdout.write(
    `${rows} rows to ${format}, ${checkout}: ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, load ${load()}\n`,
  )
  for (const [kind, s] of [...into].sort((a, b) => b[1] - a[1]))
    process.stdout.write(
      `  ${kind.padEnd(30)} ${s.toFixed(2).padStart(7)} s  ${((100 * s) / total).toFixed(1).padStart(5)}%\n`,
    )
} else {
  const rounds = Number(process.argv[2] ?? 2)
  const rowCounts = (process.argv[3] ?? '20000,100000').split(',').map(Number)
  const formats = (process.argv[4] ?? 'csv,parquet').split(',')
  const checkouts = process.argv.length > 5 ? process.argv.slice(5) : [resolve(here, '..')]
  for (const format of formats)
    for (const rows of rowCounts)
      for (let round = 0; round < rounds; round++) {
        const order = checkouts.map((_, k) => checkouts[(k + round) % checkouts.length] as string)
        const outputs: string[] = []
        for (const checkout of order) {
          const out = join(work, `out-${checkouts.indexOf(checkout)}.${format}`)
          const before = load()
          const { wall, cpu } = generate(checkout, rows, out)
          outputs.push(createHash('sha256').update(readFileSync(out)).digest('hex'))
          process.stdout.write(
            `${JSON.stringify({ checkout, format, rows, round, wall: +wall.toFixed(2), cpu: +cpu.toFixed(2), rowsPerSecond: Math.round(rows / wall), rowsPerCpuSecond: Math.round(rows / cpu), load: before })}\n`,
          )
          rmSync(out)
        }
        process.stdout.write(
          `  ${outputs.every((o) => o === outputs[0]) ? 'same file' : 'DIFFERENT files'} from every checkout\n`,
        )
      }
}
