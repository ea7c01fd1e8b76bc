import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import { once } from 'node:events'
import type { Column, Table } from '@modelgate/core'
import { SYNTH_ERROR_CODES, SynthError } from '../errors.js'

/**
 * Streams tables to CSV or JSONL through a temporary file renamed into place on success (removed on error),
 * so no partial output is ever left. Used until core's table writer covers every format.
 */
export async function writeTextTable(path: string, chunks: AsyncIterable<Table>, options: { header?: boolean } = {}): Promise<{ rows: number }> {
  const ext = extname(path).toLowerCase()
  if (ext !== '.csv' && ext !== '.jsonl') {
    throw new SynthError(SYNTH_ERROR_CODES.badOption, `Cannot write ${path}: supported output formats are .csv and .jsonl.`, {
      hint: 'Pass --out synthetic.csv or --out synthetic.jsonl.',
    })
  }
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  await mkdir(dir, { recursive: true })
  const stream = createWriteStream(temp)
  let rows = 0
  try {
    let first = true
    for await (const table of chunks) {
      const text = ext === '.csv' ? toCsv(table, first && options.header !== false) : toJsonl(table)
      first = false
      rows += table.numRows
      if (!stream.write(text)) await once(stream, 'drain')
    }
    stream.end()
    await once(stream, 'finish')
    await rename(temp, path)
    return { rows }
  } catch (error) {
    stream.destroy()
    await rm(temp, { force: true }).catch(() => undefined)
    throw error
  }
}

function csvField(s: string): string {
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s
}

function formatters(table: Table): ((row: number) => string | number | boolean | null)[] {
  return table.columns.map((c: Column) => {
    switch (c.kind) {
      case 'categorical':
        return (r) => {
          const code = c.codes[r] as number
          return code < 0 ? null : (c.dictionary[code] as string)
        }
      case 'text':
      case 'id':
        return (r) => c.values[r] ?? null
      case 'boolean':
        return (r) => (c.valid !== null && c.valid[r] === 0 ? null : c.values[r] === 1)
      case 'datetime': {
        const dateOnly = c.format === 'date'
        return (r) => {
          if (c.valid !== null && c.valid[r] === 0) return null
          const iso = new Date(c.values[r] as number).toISOString()
          return dateOnly ? iso.slice(0, 10) : iso
        }
      }
      default:
        return (r) => (c.valid !== null && c.valid[r] === 0 ? null : (c.values[r] as number))
    }
  })
}

function toCsv(table: Table, header: boolean): string {
  const parts: string[] = []
  if (header) parts.push(`${table.columns.map((c) => csvField(c.name)).join(',')}\n`)
  const fs = formatters(table)
  const cells: string[] = new Array(fs.length)
  for (let r = 0; r < table.numRows; r++) {
    for (let j = 0; j < fs.length; j++) {
      const v = (fs[j] as (row: number) => string | number | boolean | null)(r)
      cells[j] = v === null ? '' : typeof v === 'string' ? csvField(v) : String(v)
    }
    parts.push(`${cells.join(',')}\n`)
  }
  return parts.join('')
}

function toJsonl(table: Table): string {
  const fs = formatters(table)
  const names = table.columns.map((c) => JSON.stringify(c.name))
  const parts: string[] = []
  for (let r = 0; r < table.numRows; r++) {
    let line = '{'
    for (let j = 0; j < fs.length; j++) {
      const v = (fs[j] as (row: number) => string | number | boolean | null)(r)
      line += `${j === 0 ? '' : ','}${names[j]}:${JSON.stringify(v)}`
    }
    parts.push(`${line}}\n`)
  }
  return parts.join('')
}
