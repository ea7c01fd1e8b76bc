// Issue #12: error text echoed a response body (with the row's email) and URLs with credentials (`user:pw@`). A body
// is shown only as a short excerpt without the row's values or anything that looks personal; URLs lose their
// credentials and credential-like query values.
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ModelGateError, tableFromRows } from '@modelgate/core'
import { batchFunction, checkSkew, onlineHttp, renderSkewDetails, toReport } from '@modelgate/skew'
import { afterEach, describe, expect, it } from 'vitest'

const rows = Array.from({ length: 12 }, (_, i) => ({
  id: i + 1,
  contact: `wanda.quibble${i}@example-mail.org`,
  surname: `Zorblax${String.fromCharCode(97 + i)}`,
  x: i + 0.25,
}))
const input = tableFromRows(rows)
const batch = batchFunction((t) => ({
  numRows: t.numRows,
  columns: [{ kind: 'numeric', name: 'y', values: new Float64Array(t.numRows), valid: null }],
}))

const servers: Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

/** A service that rejects every row with a 400 whose body echoes the row it was sent (as many frameworks do). */
async function echoingRejecter(): Promise<number> {
  const server = createServer((req, res) => {
    let text = ''
    req.on('data', (c: Buffer) => {
      text += c.toString('utf8')
    })
    req.on('end', () => {
      res.writeHead(400, { 'content-type': 'application/json' })
      // `account` is what the service looked up itself: not in the request, so no redaction of the row's values sees it
      res.end(
        JSON.stringify({
          error: 'validation failed',
          detail: `bad input ${text}`,
          row: JSON.parse(text),
          account: { holder: 'Ottoline Marchbanks', street: 'Quillfeather Lane' },
        }),
      )
    })
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return (server.address() as AddressInfo).port
}

function leaks(text: string): string[] {
  return [...rows.flatMap((r) => [r.contact, r.surname]), 'Marchbanks', 'Quillfeather'].filter((s) => text.includes(s))
}

describe('onlineHttp shows no raw values in its errors', () => {
  it('every row rejected: the error carries a redacted excerpt of the body, never the echoed row', async () => {
    const port = await echoingRejecter()
    const online = onlineHttp(`http://127.0.0.1:${port}/score`, { retries: 0 })
    const error = await checkSkew({ input, key: 'id', batch, online }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ModelGateError)
    expect((error as ModelGateError).code).toBe('MG_SKEW_ONLINE_UNREACHABLE')
    const text = `${(error as Error).message}\n${(error as ModelGateError).hint ?? ''}`
    expect(text).toContain('HTTP 400: error: "validation failed" (JSON fields: error, detail, row, account)')
    expect(leaks(text)).toEqual([])
  })

  it('some rows rejected: the failed rows in the report and its renderings carry no row value', async () => {
    const port = await echoingRejecter()
    const server = createServer((req, res) => {
      let text = ''
      req.on('data', (c: Buffer) => {
        text += c.toString('utf8')
      })
      req.on('end', () => {
        const row = JSON.parse(text) as { id: number }
        if (row.id % 2 === 0) {
          res.writeHead(422, { 'content-type': 'text/plain' })
          res.end(`cannot score ${text}`)
        } else {
          res.writeHead(200, { 'content-type': 'application/json' })
          res.end('{"y":0}')
        }
      })
    })
    servers.push(server)
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    void port
    const online = onlineHttp(`http://127.0.0.1:${(server.address() as AddressInfo).port}/score`, { retries: 0 })
    const report = await checkSkew({ input, key: 'id', batch, online, redactColumns: [] })
    expect(report.rows.failures.online.length).toBe(6)
    expect(report.rows.failures.online[0]?.message).toMatch(/^HTTP 422: cannot score/)
    const shared = toReport(report)
    const text = [JSON.stringify(report), JSON.stringify(shared), renderSkewDetails(report)].join('\n')
    expect(leaks(text)).toEqual([])
  })

  it('a URL with user:password@ and a token query value is shown without them', async () => {
    const port = await echoingRejecter()
    const url = `http://svc-user:hunter2-s3cret@127.0.0.1:${port}/score?api_key=AKIA99SECRET&model=v2`
    const error = await checkSkew({ input, key: 'id', batch, online: onlineHttp(url, { retries: 0 }) }).catch(
      (e: unknown) => e,
    )
    const text = `${(error as Error).message}\n${(error as ModelGateError).hint ?? ''}`
    expect(text).toContain(`127.0.0.1:${port}/score?api_key=[redacted]&model=v2`)
    expect(text).not.toContain('hunter2')
    expect(text).not.toContain('svc-user')
    expect(text).not.toContain('AKIA99SECRET')
    const bad = (() => {
      try {
        onlineHttp('ftp://svc-user:hunter2-s3cret@host/x')
      } catch (e) {
        return e as Error
      }
    })()
    expect(bad?.message).toMatch(/must use http/)
    expect(bad?.message).not.toContain('hunter2')
  })
})
