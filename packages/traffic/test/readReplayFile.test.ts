import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createRequestTemplate, readPayloadFile, readReplayFile, readRequestTemplate } from '../src/index.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-replay-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string, text: string): string => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

describe('readReplayFile', () => {
  it('reads a JSONL trace: epoch-ms or ISO timestamps, offsets from the first, optional payloads', async () => {
    const trace = await readReplayFile(
      file(
        'trace.jsonl',
        '{"ts":"2026-01-01T00:00:00.000Z","payload":{"a":1}}\n{"timestamp":1767225600250}\n\n{"time":"2026-01-01T00:00:01.5Z","payload":{"a":2}}\n',
      ),
    )
    expect([...trace.offsetsMs]).toEqual([0, 250, 1500])
    expect(trace.payloads).toEqual([{ a: 1 }, undefined, { a: 2 }])
    expect(trace.withPayload).toBe(2)
  })

  it('spreads the one-second timestamps of an access log evenly within each second, keeping bursts', async () => {
    const line = (t: string) => `10.0.0.1 - - [10/Oct/2000:13:55:${t} -0700] "POST /predict HTTP/1.1" 200 17`
    const trace = await readReplayFile(
      file('access.log', [36, 36, 36, 36, 37, 39].map((s) => line(String(s))).join('\n')),
    )
    expect(trace.format).toBe('access-log')
    expect([...trace.offsetsMs]).toEqual([0, 250, 500, 750, 1375, 3375].map((x) => x)) // 4 in second 36, then 1, then 1
  })

  it('names the line of a malformed entry or a timestamp out of order, never its content', async () => {
    await expect(
      readReplayFile(
        file('bad.log', '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1\nsecret-card-4111 garbage\n'),
      ),
    ).rejects.toThrow(/^bad.log line 2: not a common-log-format line|bad\.log line 2/)
    await expect(readReplayFile(file('order.jsonl', '{"ts":5}\n{"ts":4}\n'))).rejects.toThrow(
      /order.jsonl line 2: its timestamp is earlier than line 1's/,
    )
    await expect(readReplayFile(file('nots.jsonl', '{"payload":{"card":"4111111111111111"}}\n'))).rejects.toThrow(
      /line 1: "ts" must be epoch milliseconds or an ISO 8601 time, got nothing/,
    )
    await expect(readReplayFile(file('empty.jsonl', ''))).rejects.toThrow(/holds no arrivals/)
    try {
      await readReplayFile(file('bad2.log', 'secret-card-4111 garbage\n'))
    } catch (error) {
      expect((error as Error).message).not.toContain('4111')
    }
  })
})

describe('payloads and request templates', () => {
  it('reads JSONL payloads as written and CSV through core', async () => {
    const rows = []
    for await (const row of readPayloadFile(file('p.jsonl', '{"a":{"b":1}}\n{"a":2}\n'))) rows.push(row)
    expect(rows).toEqual([{ a: { b: 1 } }, { a: 2 }])
    const csv = []
    for await (const row of readPayloadFile(file('p.csv', 'x,y\n1,a\n2,b\n'))) csv.push(row)
    expect(csv).toEqual([
      { x: 1, y: 'a' },
      { x: 2, y: 'b' },
    ])
    const bad = readPayloadFile(file('bad.jsonl', '{"a":1}\n[1]\n'))
    await expect(
      (async () => {
        for await (const _ of bad) {
        }
      })(),
    ).rejects.toThrow(/bad.jsonl line 2: expected a JSON object, got an array/)
  })

  it('fills a template: the whole row, one field, headers and a path of its own', async () => {
    const spec = await readRequestTemplate(
      file(
        't.yaml',
        'method: POST\npath: /v2/models/fraud/infer\nheaders:\n  x-api-key: k\nbody:\n  inputs: ["{{row}}"]\n  id: "{{row.id}}"\n',
      ),
    )
    const build = createRequestTemplate(new URL('http://h:1/ignored'), spec)
    const req = build({ id: 7, amount: 3 })
    expect(req).toEqual({
      method: 'POST',
      path: '/v2/models/fraud/infer',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: '{"inputs":[{"id":7,"amount":3}],"id":7}',
    })
    await expect(readRequestTemplate(file('bad.yaml', 'method: POST\nheaders:\n  x: 1\n'))).rejects.toThrow(
      /bad.yaml, line 3, headers.x/,
    )
  })
})
