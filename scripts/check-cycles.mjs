// Fails when a workspace package depends on a package it must not: the allowed direction is
// cli → (synth, contracts, skew, monitor) → stats → core. Feature packages never import each other.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const LAYER = { core: 0, stats: 1, synth: 2, contracts: 2, skew: 2, monitor: 2, cli: 3 }
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
