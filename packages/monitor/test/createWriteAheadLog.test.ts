import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWriteAheadLog, readWriteAheadLog } from '@modelgate/monitor'
import { afterAll, describe, expect, it } from 'vitest'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-monitor-wal-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the write-ahead log', () => {
  it('reads back what it appended; an append after close is refused with core’s MG_IO_WRITER_CLOSED', async () => {
    const wal = await createWriteAheadLog({ dir: join(dir, 'a'), flushMs: 1 })
    await wal.append('{"a":1}')
    await wal.close()
    await expect(wal.append('{"a":2}')).rejects.toMatchObject({ code: 'MG_IO_WRITER_CLOSED' })
    expect(await readWriteAheadLog(join(dir, 'a'))).toEqual([{ seq: 1, text: '{"a":1}' }])
  })

  it('a missing directory holds no records; one that cannot be listed is MG_IO_READ_FAILED, not an empty log', async () => {
    expect(await readWriteAheadLog(join(dir, 'none'))).toEqual([])
    const file = join(dir, 'plain')
    writeFileSync(file, 'not a directory')
    const failure = await readWriteAheadLog(file).catch((error: unknown) => error)
    expect(failure).toMatchObject({ code: 'MG_IO_READ_FAILED' })
    expect((failure as Error).message).toContain('ENOTDIR')
  })
})
