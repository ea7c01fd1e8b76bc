// Every error code is registered once, in the package that throws it (its src/errors.ts), and documented in that
// package's README; a code written in a package's source is one of its own or of a package it depends on.
import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { CLI_ERROR_CODES } from '@modelgate/cli'
import { CONTRACTS_ERROR_CODES } from '@modelgate/contracts'
import { CORE_ERROR_CODES } from '@modelgate/core'
import { DRIFT_ERROR_CODES } from '@modelgate/drift'
import { GATE_ERROR_CODES } from '@modelgate/gate'
import { MONITOR_ERROR_CODES } from '@modelgate/monitor'
import { SKEW_ERROR_CODES } from '@modelgate/skew'
import { STATS_ERROR_CODES } from '@modelgate/stats'
import { SYNTH_ERROR_CODES } from '@modelgate/synth'
import { TRAFFIC_ERROR_CODES } from '@modelgate/traffic'
import { describe, expect, it } from 'vitest'

const packages = resolve(__dirname, '../packages')
const REGISTRIES: Record<string, readonly string[]> = {
  core: CORE_ERROR_CODES,
  stats: STATS_ERROR_CODES,
  monitor: MONITOR_ERROR_CODES,
  drift: DRIFT_ERROR_CODES,
  synth: SYNTH_ERROR_CODES,
  contracts: CONTRACTS_ERROR_CODES,
  skew: SKEW_ERROR_CODES,
  traffic: TRAFFIC_ERROR_CODES,
  gate: GATE_ERROR_CODES,
  cli: CLI_ERROR_CODES,
}
const CODE = /\bMG_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}

/** The package and every @modelgate package it depends on, transitively. */
function reachable(name: string): Set<string> {
  const out = new Set([name])
  const manifest = JSON.parse(readFileSync(join(packages, name, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>
  }
  for (const dep of Object.keys(manifest.dependencies ?? {})) {
    if (dep.startsWith('@modelgate/')) for (const p of reachable(dep.slice('@modelgate/'.length))) out.add(p)
  }
  return out
}

const owner = new Map<string, string>()
for (const [name, codes] of Object.entries(REGISTRIES)) for (const code of codes) owner.set(code, name)

describe('error code registries', () => {
  it('register each code once, in one package', () => {
    const all = Object.values(REGISTRIES).flat()
    expect(all.length).toBe(new Set(all).size)
  })

  it.each(Object.keys(REGISTRIES))(
    '%s: every code is in the README, every code in the README is registered',
    (name) => {
      const readme = readFileSync(join(packages, name, 'README.md'), 'utf8')
      const documented = new Set(readme.match(CODE) ?? [])
      expect(REGISTRIES[name]?.filter((code) => !documented.has(code))).toEqual([])
      expect([...documented].filter((code) => !owner.has(code))).toEqual([])
    },
  )

  it.each(readdirSync(packages))(
    '%s: its source throws only registered codes of its own or of its dependencies',
    (name) => {
      const allowed = reachable(name)
      const problems: string[] = []
      for (const file of sourceFiles(join(packages, name, 'src'))) {
        for (const code of readFileSync(file, 'utf8').match(CODE) ?? []) {
          const from = owner.get(code)
          if (from === undefined) problems.push(`${file}: ${code} is in no registry`)
          else if (!allowed.has(from)) problems.push(`${file}: ${code} belongs to @modelgate/${from}`)
        }
      }
      expect(problems).toEqual([])
    },
  )
})
