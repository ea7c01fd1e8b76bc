import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'

const run = (args: string[]) => runCli(args)

describe('modelgate CLI', () => {
  it('lists the command groups with --help and exits 0', async () => {
    const { code, out } = await run(['--help'])
    expect(code).toBe(0)
    for (const group of ['profile', 'schema', 'synth', 'contracts', 'skew']) expect(out).toContain(group)
  })

  it('exits 2 with the help on stderr (a usage error) when no command is given', async () => {
    const { code, out, err } = await run([])
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toContain('synth')
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

  it('reads the texts given with --na as missing (Adult marks them "?")', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-cli-na-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, 'people.csv'), 'age,workclass\n39, State-gov\n50, ?\n38, Private\n53, ?\n')
    const plain = JSON.parse((await runCli(['profile', 'people.csv', '--json'], dir)).out)
    const withNa = JSON.parse((await runCli(['profile', 'people.csv', '--json', '--na', '?'], dir)).out)
    const workclass = (p: { columns: { name: string; nullRate: number }[] }) =>
      p.columns.find((c) => c.name === 'workclass')?.nullRate
    expect(workclass(plain)).toBe(0)
    expect(workclass(withNa)).toBe(0.5)
  })
})
