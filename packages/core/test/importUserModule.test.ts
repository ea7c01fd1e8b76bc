import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { importUserModule } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-module-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('importUserModule', () => {
  it("returns a JavaScript module's exports", async () => {
    const file = join(dir, 'pipeline.mjs')
    writeFileSync(file, 'export const answer = 42\nexport default function double(x) { return 2 * x }\n')
    const mod = await importUserModule(file)
    expect(mod.answer).toBe(42)
    expect((mod.default as (x: number) => number)(4)).toBe(8)
  })

  it('names a missing file (MG_IO_NOT_FOUND) and a module that cannot load (MG_MODULE_LOAD_FAILED)', async () => {
    const missing = join(dir, 'nope.mjs')
    await expect(importUserModule(missing)).rejects.toMatchObject({
      code: 'MG_IO_NOT_FOUND',
      message: `The module ${missing} does not exist.`,
    })
    const broken = join(dir, 'broken.mjs')
    writeFileSync(broken, 'export const = 1\n')
    await expect(importUserModule(broken)).rejects.toMatchObject({
      code: 'MG_MODULE_LOAD_FAILED',
      location: { file: broken },
      message: expect.stringContaining(`Cannot load ${broken}:`),
    })
  })

  it('loads a TypeScript module under plain Node through tsx', () => {
    // Plain node, outside vitest's transform: the built core, as a user's program would load it.
    const file = join(dir, 'schema.ts')
    writeFileSync(file, 'const rows: number = 3\nexport const schema = { rows }\n')
    const core = pathToFileURL(resolve(__dirname, '../dist/index.js')).href
    const script = `const { importUserModule } = await import(${JSON.stringify(core)}); const m = await importUserModule(${JSON.stringify(file)}); console.log(JSON.stringify(m.schema))`
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
    expect(child.stderr).toBe('')
    expect(JSON.parse(child.stdout)).toEqual({ rows: 3 })
  })
})
