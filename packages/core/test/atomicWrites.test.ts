import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { tableFromRows, withAtomicDirectory, writeFileAtomic, writeFilesAtomic, writeTable } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'mg-atomic-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the one atomic writer', () => {
  it('writes text and bytes, creating the directory, and replaces an old file whole', async () => {
    const file = join(dir, 'new', 'deeper', 'a.json')
    await writeFileAtomic(file, '{"v":1}\n')
    await writeFileAtomic(file, new Uint8Array([123, 125]))
    expect(readFileSync(file, 'utf8')).toBe('{}')
    expect(readdirSync(join(dir, 'new', 'deeper'))).toEqual(['a.json'])
  })

  it('writes files that belong together, or none of them, with MG_IO_WRITE_FAILED naming the one that failed', async () => {
    const out = join(dir, 'pair')
    await writeFilesAtomic([
      { path: join(out, 'weights.bin'), content: new Uint8Array([1, 2, 3]) },
      { path: join(out, 'model.json'), content: '{}' },
    ])
    expect(readdirSync(out).sort()).toEqual(['model.json', 'weights.bin'])

    const blocked = join(dir, 'blocked')
    mkdirSync(blocked)
    writeFileSync(join(blocked, 'weights'), 'a file where a directory should be')
    const error = await writeFilesAtomic([
      { path: join(blocked, 'model.json'), content: '{}' },
      { path: join(blocked, 'weights', 'w.bin'), content: new Uint8Array([1]) },
    ]).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'MG_IO_WRITE_FAILED', location: { file: join(blocked, 'weights', 'w.bin') } })
    expect(readdirSync(blocked)).toEqual(['weights'])
  })

  it('writes tables into a directory that does not exist yet, through the same writer', async () => {
    const file = join(dir, 'tables', 'rows.csv')
    await writeTable(file, tableFromRows([{ a: 1 }, { a: 2 }]))
    expect(readFileSync(file, 'utf8')).toBe('a\n1\n2\n')
  })

  it('moves a directory of output into place only when the writer succeeds', async () => {
    const out = join(dir, 'pacts')
    const { value, files } = await withAtomicDirectory(out, async (temp) => {
      writeFileSync(join(temp, 'a.json'), '{}')
      writeFileSync(join(temp, 'b.json'), '[]')
      return 2
    })
    expect(value).toBe(2)
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(['a.json', 'b.json'])
    expect(readdirSync(out).sort()).toEqual(['a.json', 'b.json'])

    const fresh = join(dir, 'never')
    const failed = await withAtomicDirectory(fresh, async (temp) => {
      writeFileSync(join(temp, 'half.json'), '{')
      throw new Error('the tool failed half-way')
    }).catch((e: unknown) => e)
    expect((failed as Error).message).toBe('the tool failed half-way')
    expect(readdirSync(dir)).not.toContain('never')
  })
})
