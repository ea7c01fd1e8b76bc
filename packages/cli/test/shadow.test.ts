import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { Server } from 'node:http'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './support/runCli.js'
import { startListening } from './support/startListening.js'

const dir = mkdtempSync(join(tmpdir(), 'modelgate-cli-shadow-'))
const servers: Server[] = []
let primary = ''
let candidate = ''

/** A model server on loopback: score = x / 100 (+ shift for the candidate). */
async function model(shift: number): Promise<string> {
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      const x = Number((JSON.parse(body || '{}') as { x?: number }).x ?? 0)
      const text = JSON.stringify({ score: x / 100 + shift, decision: x > 50 ? 'block' : 'allow' })
      res.writeHead(200, { 'content-type': 'application/json' }).end(text)
    })
  })
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

beforeAll(async () => {
  primary = await model(0)
  candidate = await model(0.2)
})
afterAll(async () => {
  for (const s of servers) s.closeAllConnections()
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))))
  rmSync(dir, { recursive: true, force: true })
})

/** Starts `modelgate shadow …` in-process; resolves with its URL once it listens. */
const start = (args: readonly string[]) => startListening(['shadow', '--listen', '127.0.0.1:0', ...args], dir)

describe('modelgate shadow', () => {
  it('proxies, mirrors and compares from the command line with a config file, and stops on Ctrl-C', async () => {
    writeFileSync(
      join(dir, 'shadow.yaml'),
      `version: 1\nprimary: ${primary}\ncandidate: ${candidate}\nlabels: [decision]\nmirrorPaths: [/predict]\ntolerance: 0.05\n`,
    )
    const proxy = await start(['--config', 'shadow.yaml', '--sample', '1', '--pairs-out', 'pairs.jsonl'])
    for (const x of [10, 90]) {
      const res = await fetch(`${proxy.url}/predict`, {
        method: 'POST',
        body: JSON.stringify({ x, email: 'carol@example.com' }),
      })
      // the client gets the primary's answer
      expect(await res.json()).toEqual({ score: x / 100, decision: x > 50 ? 'block' : 'allow' })
    }
    await fetch(`${proxy.url}/other`, { method: 'POST', body: '{}' })
    let status: { counts: Record<string, number>; scores: Record<string, { exceeded: number }> } | undefined
    for (let i = 0; i < 100 && (status?.counts.pairs ?? 0) < 2; i++) {
      await new Promise((r) => setTimeout(r, 20))
      status = (await (await fetch(`${proxy.url}/_modelgate/status`)).json()) as typeof status
    }
    expect(status?.counts).toMatchObject({ requests: 3, mirrored: 2, dropped: 0, pairs: 2 })
    expect(status?.scores.score?.exceeded).toBe(2)
    const metrics = await (await fetch(`${proxy.url}/_modelgate/metrics`)).text()
    expect(metrics).toMatch(/^modelgate_shadow_score_differences_total\{field="score"\} 2$/m)
    expect(await proxy.stop()).toBe(0)
    expect(proxy.err()).toContain('no baseline')
    expect(proxy.err()).toContain('stopped after 3 requests (2 mirrored, 0 dropped, 2 pairs kept)')
    const lines = readFileSync(join(dir, 'pairs.jsonl'), 'utf8').trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      path: '/predict',
      primary: { labels: { decision: 'allow' } },
    })
    expect(JSON.parse(lines[2] as string)).toEqual({ counts: { requests: 3, mirrored: 2, dropped: 0 } })
    expect(lines.join('\n')).not.toContain('carol@example.com')
  })

  it('refuses bad options and config with exit 2, naming the problem', async () => {
    const missing = await runCli(['shadow', '--primary', primary], dir)
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('--primary and --candidate are required')
    const listen = await runCli(['shadow', '--primary', primary, '--candidate', candidate, '--listen', 'nope'], dir)
    expect(listen.code).toBe(2)
    expect(listen.err).toContain('--listen expects [host]:port')
    const url = await runCli(['shadow', '--primary', 'ftp://x', '--candidate', candidate, '--listen', ':0'], dir)
    expect(url.code).toBe(2)
    expect(url.err).toContain('is not http:// or https://')
    writeFileSync(join(dir, 'bad.yaml'), 'version: 1\nsample: lots\n')
    const config = await runCli(['shadow', '--config', 'bad.yaml'], dir)
    expect(config.code).toBe(2)
    expect(config.err).toContain('bad.yaml, line 2, sample')
    writeFileSync(
      join(dir, 'judge.yaml'),
      `version: 1\nprimary: ${primary}\ncandidate: ${candidate}\ncanary:\n  maxDifShare: 0.1\n`,
    )
    const judge = await runCli(['shadow', '--config', 'judge.yaml', '--listen', '127.0.0.1:0'], dir)
    expect(judge.code).toBe(2)
    expect(judge.err).toContain('maxDifShare')
    const sample = await runCli(['shadow', '--primary', primary, '--candidate', candidate, '--sample', '2'], dir)
    expect(sample.code).toBe(2)
    expect(sample.err).toContain('--sample expects a number between 0 and 1')
  })

  it('shadow report: the verdict of a running proxy or of its pairs file, exit 1 on fail and inconclusive', async () => {
    const dead = await runCli(['shadow', 'report', '--url', 'http://127.0.0.1:9'], dir)
    expect(dead.code).toBe(2)
    expect(dead.err).toContain('did not answer')
    const neither = await runCli(['shadow', 'report'], dir)
    expect(neither.code).toBe(2)
    // the candidate adds 0.2 to every score: every pair differs
    const proxy = await start(['--primary', primary, '--candidate', candidate, '--pairs-out', 'shifted.jsonl'])
    const early = await runCli(['shadow', 'report', '--url', proxy.url], dir)
    expect(early.code).toBe(1)
    expect(early.out).toContain('inconclusive')
    expect((await runCli(['shadow', 'report', '--url', proxy.url, '--allow-inconclusive'], dir)).code).toBe(0)
    for (let x = 0; x < 60; x++) await fetch(`${proxy.url}/predict`, { method: 'POST', body: JSON.stringify({ x }) })
    // the proxy judges again at most once a second
    await new Promise((r) => setTimeout(r, 1100))
    const failed = await runCli(['shadow', 'report', '--url', proxy.url, '--json'], dir)
    expect(failed.code).toBe(1)
    expect(JSON.parse(failed.out)).toMatchObject({ kind: 'shadow.canary', verdict: 'fail' })
    expect(await proxy.stop()).toBe(0)
    const offline = await runCli(['shadow', 'report', '--from', 'shifted.jsonl', '--tolerance', '0.5'], dir)
    // a tolerance of 0.5 forgives the 0.2 shift on the scores; the few pairs leave the rest inconclusive
    expect(offline.code).toBe(1)
    expect(offline.out).toContain('inconclusive')
    const strict = await runCli(['shadow', 'report', '--from', 'shifted.jsonl', '--json'], dir)
    expect(strict.code).toBe(1)
    expect(JSON.parse(strict.out)).toMatchObject({ verdict: 'fail' })
  })

  it('the real binary: SIGTERM while a slow answer is in progress lets it finish, then exits 0', async () => {
    let arrived = 0
    const slow = createServer((_req, res) => {
      arrived++
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"score":0.5}'), 500)
    })
    servers.push(slow)
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r))
    const slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`
    const bin = resolve(__dirname, '../bin/modelgate.js')
    const child = spawn(
      process.execPath,
      [bin, 'shadow', '--listen', '127.0.0.1:0', '--primary', slowUrl, '--candidate', candidate],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    )
    let stderr = ''
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    const url = await new Promise<string>((resolveUrl, reject) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString()
        const m = /listening on (http:\S+)/.exec(stderr)
        if (m?.[1] !== undefined) resolveUrl(m[1])
      })
      child.once('exit', (code) => reject(new Error(`shadow exited ${code}: ${stderr}`)))
    })
    const answer = fetch(`${url}/predict`, { method: 'POST', body: '{"x":1}' })
    // SIGTERM once the primary has the request (the proxy forwarded it and waits for the answer)
    for (let i = 0; i < 500 && arrived === 0; i++) await new Promise((r) => setTimeout(r, 10))
    child.kill('SIGTERM')
    expect(await (await answer).json()).toEqual({ score: 0.5 })
    expect(await exited).toBe(0)
    expect(stderr).toContain('stopped after 1 requests')
  })
})
