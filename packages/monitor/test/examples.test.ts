// The shipped Prometheus alert rules pass promtool, and every metric the rules and the Grafana dashboard query is one
// the monitor exports.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createMonitorMetrics } from '@modelgate/monitor'
import { describe, expect, it } from 'vitest'

const examples = resolve(__dirname, '../../../examples/monitor')
const METRIC = /\bmodelgate_[a-z0-9_]+/g

async function exported(): Promise<Set<string>> {
  const text = await createMonitorMetrics().registry.metrics()
  const names = new Set<string>()
  for (const line of text.split('\n')) {
    const m = /^# TYPE (\S+) (\S+)/.exec(line)
    if (m?.[1] === undefined) continue
    names.add(m[1])
    if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m[1] + s)
  }
  return names
}

describe('examples/monitor', () => {
  it('alert-rules.yml passes promtool check rules', () => {
    const out = execFileSync('promtool', ['check', 'rules', resolve(examples, 'alert-rules.yml')], { encoding: 'utf8' })
    expect(out).toContain('SUCCESS: 8 rules found')
  })

  it('the rules and the Grafana dashboard query only metrics the monitor exports', async () => {
    const names = await exported()
    const rules = readFileSync(resolve(examples, 'alert-rules.yml'), 'utf8')
    const dashboard = readFileSync(resolve(examples, 'grafana-dashboard.json'), 'utf8')
    const used = new Set([...(rules.match(METRIC) ?? []), ...(dashboard.match(METRIC) ?? [])])
    expect(used.size).toBeGreaterThan(10)
    expect([...used].filter((n) => !names.has(n))).toEqual([])
    const parsed = JSON.parse(dashboard) as { panels: { targets: { expr: string }[] }[] }
    expect(parsed.panels.length).toBe(13)
  })
})
