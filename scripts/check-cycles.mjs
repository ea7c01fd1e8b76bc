// Fails when a workspace package depends on a package it must not: a package may import only packages on a
// lower layer (ARCHITECTURE.md): core 0 · stats 1 · drift 2 · synth, contracts, skew, traffic, monitor 3 (feature
// packages, which never import each other) · gate 4 · cli 5.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

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
const root = new URL('../packages/', import.meta.url).pathname
const problems = []

for (const dir of readdirSync(root)) {
  const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'))
  const deps = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies, ...pkg.devDependencies })
  for (const dep of deps.filter((d) => d.startsWith('@modelgate/'))) {
    const target = dep.slice('@modelgate/'.length)
    if (!(LAYER[target] < LAYER[dir])) problems.push(`${pkg.name} must not depend on ${dep}`)
  }
  // Also scan the source for imports that bypass package.json.
  const scan = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name)
      if (entry.isDirectory()) scan(p)
      else if (p.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/from\s+['"]@modelgate\/([a-z]+)/g)) {
          const target = m[1]
          if (target !== dir && !(LAYER[target] < LAYER[dir])) problems.push(`${p} imports @modelgate/${target}`)
        }
      }
    }
  }
  scan(join(root, dir, 'src'))
}
if (problems.length > 0) {
  console.error(`Package dependency direction violated:\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('package dependencies: no cycles, direction ok')
