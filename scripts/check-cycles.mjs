// The dependency rules of `pnpm lint`, with LAYER as their one source:
// 1. package direction: a package depends (package.json) only on packages of a lower layer; feature packages
//    (same layer) never depend on each other;
// 2. every import between source files — static, type-only and import() — checked by dependency-cruiser: no import
//    cycles between files, imports across packages only downward (LAYER) and only through the other package's public
//    entry (src/index.ts, stats' src/vitest.ts), never into its internals, and nothing unresolvable.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cruise } from 'dependency-cruiser'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'

// ARCHITECTURE.md: core 0 · stats 1 · drift 2 · synth, contracts, skew, traffic, monitor 3 (feature packages, which
// never import each other) · gate 4 · cli 5.
const LAYER = {
  core: 0,
  stats: 1,
  drift: 2,
  synth: 3,
  contracts: 3,
  skew: 3,
  traffic: 3,
  monitor: 3,
  gate: 4,
  cli: 5,
}

const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const packagesDir = join(repoRoot, 'packages')
const problems = []

// 1. package.json
for (const dir of readdirSync(packagesDir)) {
  const pkg = JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8'))
  if (LAYER[dir] === undefined)
    problems.push(`packages/${dir} has no layer: add it to LAYER in scripts/check-cycles.mjs`)
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies })
  for (const dep of deps.filter((d) => d.startsWith('@modelgate/'))) {
    const target = dep.slice('@modelgate/'.length)
    if (!(LAYER[target] < LAYER[dir])) problems.push(`${pkg.name} must not depend on ${dep}`)
  }
}

// 2. imports between files
const names = Object.keys(LAYER)
const forbidden = [
  { name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } },
  { name: 'resolvable', severity: 'error', from: {}, to: { couldNotResolve: true } },
  {
    name: 'public-entry',
    severity: 'error',
    from: { path: '^packages/([^/]+)/src/' },
    to: { path: '^packages/', pathNot: ['^packages/$1/', '^packages/[^/]+/src/(index|vitest)\\.ts$'] },
  },
  ...names.flatMap((from) => {
    const notBelow = names.filter((to) => to !== from && !(LAYER[to] < LAYER[from]))
    if (notBelow.length === 0) return []
    return [
      {
        name: `layer:${from}`,
        severity: 'error',
        from: { path: `^packages/${from}/src/` },
        to: { path: `^packages/(${notBelow.join('|')})/` },
      },
    ]
  }),
]
const tsconfig = join(repoRoot, 'tsconfig.json')
const result = await cruise(
  [packagesDir],
  {
    baseDir: repoRoot,
    includeOnly: ['^packages/[^/]+/src/', '^@modelgate/'], // the second: a @modelgate import that did not resolve
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6'],
    tsPreCompilationDeps: true,
    tsConfig: { fileName: tsconfig },
    // Workspace packages resolve to their source (the `source` export condition), so imports across packages are
    // seen file to file.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['source', 'import', 'default'] },
    validate: true,
    ruleSet: { forbidden },
  },
  {},
  { tsConfig: extractTSConfig(tsconfig) },
)
const RULES = {
  'no-cycle': 'import cycle',
  resolvable: 'unresolvable import (a @modelgate package not in package.json?)',
  'public-entry': "import of another package's internals (use its src/index.ts exports)",
}
for (const v of result.output.summary.violations) {
  const what =
    RULES[v.rule.name] ?? `layer ${LAYER[v.rule.name.slice('layer:'.length)]} imports a layer that is not below it`
  const path = v.cycle?.length > 0 ? [v.from, ...v.cycle.map((c) => c.name ?? c)].join(' → ') : `${v.from} → ${v.to}`
  problems.push(`${what}: ${path}`)
}

if (problems.length > 0) {
  console.error(`Dependency rules broken (scripts/check-cycles.mjs):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log(
  `dependencies: package direction ok; ${result.output.summary.totalCruised} files, no import cycles, layers and public entries ok`,
)
