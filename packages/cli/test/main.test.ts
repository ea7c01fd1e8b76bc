import { describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

const run = (args: string[]) => runCli(args)

describe('modelgate CLI', () => {
  it('lists the command groups with --help and exits 0', async () => {
    const { code, out } = await run(['--help'])
    expect(code).toBe(0)
    for (const group of ['profile', 'schema', 'synth', 'contracts', 'skew']) expect(out).toContain(group)
  })

  it('exits 2 with a usage hint when no command is given', async () => {
    const { code } = await run([])
    expect(code).toBe(2)
  })

  it('exits 2 and names the command when it is unknown', async () => {
    const { code, err } = await run(['synthesise'])
    expect(code).toBe(2)
    expect(err).toContain('unknown command "synthesise"')
  })

  it('exits 2 with the usage line when an option is unknown', async () => {
    const { code, err } = await run(['profile', 'x.csv', '--no-such-flag'])
    expect(code).toBe(2)
    expect(err).toMatch(/error MG_CLI_USAGE: modelgate profile: .*no-such-flag/)
    expect(err).toMatch(/hint: Usage: /)
  })

  it('exits 2 and names the file when the input does not exist', async () => {
    const { code, err } = await run(['profile', 'does-not-exist.csv'])
    expect(code).toBe(2)
    expect(err).toContain('does-not-exist.csv')
  })
})
