// Benchmarks for schema inference and table profiles (@modelgate/core) on UCI Adult tiled to ~1M rows.
// Reference: the same numeric summaries (min, max, mean, std, 7 percentiles, 20-bin histogram, distinct count)
// and categorical counts computed by numpy in a python3 subprocess on the same data (timed inside python,
// computation only). Run: node --import tsx bench/profile.bench.ts   (or `pnpm bench profile`)
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { concatTables, inferSchema, profileTable, readTable } from '@modelgate/core'

const TILES = 31
const RUNS = 3
const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const adultPath = resolve(repoRoot, 'test/data/adult.csv')

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

function time(fn: () => unknown): number {
  fn()
  const t: number[] = []
  for (let r = 0; r < RUNS; r++) {
    const t0 = performance.now()
    fn()
    t.push(performance.now() - t0)
  }
  return median(t) / 1000
}

const adult = await readTable(adultPath, { nullValues: ['', '?'] })
const table = concatTables(Array.from({ length: TILES }, () => adult))
const rows = table.numRows

const python = `
import csv, sys, time
import numpy as np
rows = list(csv.DictReader(open(sys.argv[1], newline=''), skipinitialspace=True))
tiles = int(sys.argv[2])
num = ['age', 'fnlwgt', 'education-num', 'capital-gain', 'capital-loss', 'hours-per-week']
cat = [c for c in rows[0].keys() if c not in num]
cols = {c: np.tile(np.array([float(r[c]) for r in rows]), tiles) for c in num}
cats = {c: np.tile(np.array([r[c].strip() for r in rows], dtype=str), tiles) for c in cat}
best = []
for run in range(3):
    t0 = time.perf_counter()
    for c, x in cols.items():
        x.min(); x.max(); x.mean(); x.std(ddof=1)
        np.percentile(x, [1, 5, 25, 50, 75, 95, 99]); np.histogram(x, bins=20); len(np.unique(x))
    for c, x in cats.items():
        np.unique(x, return_counts=True)
    best.append(time.perf_counter() - t0)
print(sorted(best)[1])
`
const ref = spawnSync('python3', ['-c', python, adultPath, String(TILES)], { encoding: 'utf8' })
const numpySeconds = ref.status === 0 ? Number(ref.stdout.trim()) : undefined

const profileSeconds = time(() => profileTable(table))
const inferSeconds = time(() => inferSchema(table))
const line = (name: string, value: number, unit: string, reference?: number): void => {
  const figure = {
    name,
    value: Number(value.toFixed(4)),
    unit,
    ...(reference === undefined
      ? {}
      : { reference: Number(reference.toFixed(4)), ratio: Number((value / reference).toFixed(2)) }),
  }
  process.stdout.write(`${JSON.stringify(figure)}\n`)
}
line(
  `profileTable adult ×${TILES} (${rows.toLocaleString('en-US')} rows, 15 columns)`,
  profileSeconds,
  's',
  numpySeconds,
)
line(`inferSchema adult ×${TILES} with PII detection`, inferSeconds, 's')
line('profileTable throughput', rows / profileSeconds, 'rows/s')
