import { describe, expect, it } from 'vitest'
import { COMMAND_GROUPS } from '../src/registry.js'

// `--help` lists a command's options by name only; what each takes and how they combine is read from the usage
// line. An option missing from it is documented nowhere a user looks first (skew's --seed and --worst-rows were).
describe('the usage line of every command', () => {
  it('names every option the command accepts', async () => {
    const missing: string[] = []
    for (const group of COMMAND_GROUPS) {
      for (const command of await group.load()) {
        for (const name of Object.keys(command.options)) {
          if (!new RegExp(`--${name}(?![\\w-])`).test(command.usage)) missing.push(`${command.name}: --${name}`)
        }
      }
    }
    expect(missing).toEqual([])
  }, 120_000)
})
