// The copula fit on UCI Adult (issue #13: ≥ 10× SDV's 3.86–4.18 s on this machine). Run after `pnpm build`:
//   node --import tsx bench/adult-fit.bench.ts [fits=10] [--from <checkout>]
// `--from` fits with another checkout's built packages (old/new A/B: a detached worktree of main, built); default
// this one's. One warm-up fit, then `fits` fits of `trainSynthesizer(adult, { seed: 1 })` in this process, each
// printed as CPU (user + system) and wall seconds, then the medians and the SHA-256 of the model file (the same hash
// = the same model, so quality cannot have moved), and the medians as JSON figures for `pnpm bench`.
// Profile with `node --cpu-prof --import tsx bench/adult-fit.bench.ts`.
import { createHash } from 'node:crypto'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type * as Core from '@modelgate/core'
import type * as Synth from '@modelgate/synth'

const here = fileURLToPath(new URL('.', import.meta.url))
const args = process.argv.slice(2)
const fromAt = args.indexOf('--from')
const root = fromAt >= 0 ? resolve(args[fromAt + 1] as string) : resolve(here, '..')
const fits = Number(args.find((a, i) => !a.startsWith('--') && (fromAt < 0 || i !== fromAt + 1)) ?? 10)
const load = async <T>(pkg: string): Promise<T> =>
  (await import(pathToFileURL(resolve(root, 'packages', pkg, 'dist/index.js')).href)) as T
const { readTable } = await load<typeof Core>('core')
const { trainSynthesizer } = await load<typeof Synth>('synth')

const adult = await readTable(resolve(here, '../test/data/adult.csv'), { nullValues: ['?', ''] })
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const h = s.length >> 1
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2
}

const first = await trainSynthesizer(adult, { seed: 1 })
const sha = createHash('sha256').update(JSON.stringify(first.toJSON())).digest('hex')
const cpu: number[] = []
const wall: number[] = []
for (let i = 0; i < fits; i++) {
  const t = performance.now()
  const c = process.cpuUsage()
  await trainSynthesizer(adult, { seed: 1 })
  const used = process.cpuUsage(c)
  cpu.push((used.user + used.system) / 1e6)
  wall.push((performance.now() - t) / 1000)
  process.stdout.write(`fit ${i + 1}: cpu ${cpu[i]?.toFixed(3)} s, wall ${wall[i]?.toFixed(3)} s\n`)
}
process.stdout.write(
  `${root}: ${fits} fits, CPU median ${median(cpu).toFixed(3)} s (min ${Math.min(...cpu).toFixed(3)}), wall median ${median(wall).toFixed(3)} s; model SHA-256 ${sha}\n`,
)
// Figures for `pnpm bench` (bench/run.ts): SDV's fit took 3.86–4.18 s side by side on this machine (issue #13).
for (const [what, xs] of [
  ['cpu', cpu],
  ['wall', wall],
] as const)
  process.stdout.write(
    `${JSON.stringify({ name: `synth fit Adult, median of ${fits} (${what})`, value: Number(median(xs).toPrecision(4)), unit: 's', target: '≤ 0.39 s (10× SDV)', reference: 4.0, ratio: Number((median(xs) / 4.0).toPrecision(3)) })}\n`,
  )
