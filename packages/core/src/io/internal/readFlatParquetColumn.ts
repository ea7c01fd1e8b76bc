import type { AsyncBuffer, ColumnMetaData, Compressors, DecodedArray, FileMetaData, SchemaTree } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { convert, DEFAULT_PARSERS } from 'hyparquet/src/convert.js'
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js'
import { readPlain } from 'hyparquet/src/plain.js'
import { getMaxDefinitionLevel, getSchemaPath } from 'hyparquet/src/schema.js'
import type { ColumnDecoder } from 'hyparquet/src/types.js'

/**
 * A fast path for flat (non-nested) Parquet columns: pages are decompressed and decoded with hyparquet's own page
 * functions, but values go straight into typed arrays (and dictionary indices straight into category codes) instead
 * of through hyparquet's generic list assembly, which dominates the cost of reading wide flat tables.
 */

export type FlatTarget = 'number' | 'boolean' | 'strings' | 'codes'

export interface FlatColumnResult {
  /** number/boolean targets: values (0/1 for boolean); meaningless where `valid[i] === 0`. */
  readonly numbers?: Float64Array
  readonly valid: Uint8Array | null
  /** strings target: values with null for nulls. */
  readonly strings?: (string | null)[]
  /** codes target: category codes (-1 = null). */
  readonly codes?: Int32Array
}

const FLAT_TYPES = new Set(['BOOLEAN', 'INT32', 'INT64', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY'])

/** Whether the fast path handles column `name` (top-level, not repeated, a plain physical type). */
export function isFlatParquetColumn(metadata: FileMetaData, name: string): boolean {
  const path = getSchemaPath(metadata.schema, [name])
  const leaf = path.at(-1)?.element
  if (
    path.length !== 2 ||
    leaf === undefined ||
    leaf.repetition_type === 'REPEATED' ||
    (path.at(-1)?.children.length ?? 0) > 0
  )
    return false
  if (leaf.type === undefined || !FLAT_TYPES.has(leaf.type)) return false
  if (leaf.converted_type === 'DECIMAL' || leaf.logical_type?.type === 'DECIMAL') return false
  const lt = leaf.logical_type?.type
  return (
    lt === undefined ||
    lt === 'STRING' ||
    lt === 'ENUM' ||
    lt === 'DATE' ||
    lt === 'TIMESTAMP' ||
    lt === 'INTEGER' ||
    lt === 'JSON'
  )
}

function toNumber(v: unknown): number {
  return typeof v === 'number'
    ? v
    : typeof v === 'bigint'
      ? Number(v)
      : typeof v === 'boolean'
        ? v
          ? 1
          : 0
        : v instanceof Date
          ? v.getTime()
          : Number.NaN
}

/**
 * Reads one column chunk (one row group) of a flat column into the requested target. `codeOf` maps a category string
 * to its code (codes target). A chunk that cannot be decoded throws a plain Error saying what is wrong with it; the one
 * caller (streamParquet) wraps it at once as `MG_PARQUET_INVALID` naming the file, the column and the row group.
 */
export async function readFlatParquetColumn(
  file: AsyncBuffer,
  metadata: FileMetaData,
  rowGroup: number,
  name: string,
  target: FlatTarget,
  options: { compressors: Compressors; parsers: Partial<typeof DEFAULT_PARSERS>; codeOf?: (value: string) => number },
): Promise<FlatColumnResult> {
  const group = metadata.row_groups[rowGroup]
  if (group === undefined) throw new Error('the file has no such row group')
  const rows = Number(group.num_rows)
  const schemaPath = getSchemaPath(metadata.schema, [name]) as SchemaTree[]
  const element = (schemaPath.at(-1) as SchemaTree).element
  const chunk = group.columns.find(
    (c) => c.meta_data?.path_in_schema.length === 1 && c.meta_data.path_in_schema[0] === name,
  )
  const meta = chunk?.meta_data as ColumnMetaData | undefined
  if (meta === undefined) throw new Error('the row group has no chunk of this column')
  const dictOffset =
    meta.dictionary_page_offset !== undefined && meta.dictionary_page_offset > 0n
      ? Number(meta.dictionary_page_offset)
      : Number.POSITIVE_INFINITY
  const start = Math.min(Number(meta.data_page_offset), dictOffset)
  const end = start + Number(meta.total_compressed_size)
  const bytes = new Uint8Array(await file.slice(start, end))
  const reader = { view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), offset: 0 }
  const decoder: ColumnDecoder = {
    pathInSchema: [name],
    type: element.type as ColumnDecoder['type'],
    element,
    schemaPath,
    codec: meta.codec,
    parsers: { ...DEFAULT_PARSERS, ...options.parsers },
    compressors: options.compressors,
    utf8: true,
  }
  const maxDef = getMaxDefinitionLevel(schemaPath)

  const numbers = target === 'number' || target === 'boolean' ? new Float64Array(rows) : undefined
  const strings = target === 'strings' ? new Array<string | null>(rows) : undefined
  const codes = target === 'codes' ? new Int32Array(rows) : undefined
  let valid: Uint8Array | null = null
  let dictionary: DecodedArray | undefined
  let dictCodes: Int32Array | undefined
  let row = 0

  while (row < rows && reader.offset < bytes.length) {
    const header = parquetHeader(reader)
    const compressed = bytes.subarray(reader.offset, reader.offset + header.compressed_page_size)
    reader.offset += header.compressed_page_size
    if (header.type === 'DICTIONARY_PAGE') {
      const diph = header.dictionary_page_header
      if (diph === undefined) throw new Error('dictionary page header missing')
      const page = decompressPage(compressed, header.uncompressed_page_size, meta.codec, options.compressors)
      const dictReader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 }
      dictionary = convert(readPlain(dictReader, decoder.type, diph.num_values, element.type_length), decoder)
      dictCodes = undefined
      continue
    }
    if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue
    let numValues: number
    let encoding: string
    let page: ReturnType<typeof readDataPage>
    if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header
      if (daph === undefined) throw new Error('data page header missing')
      numValues = daph.num_values
      encoding = daph.encoding
      page = readDataPage(
        decompressPage(compressed, header.uncompressed_page_size, meta.codec, options.compressors),
        daph,
        decoder,
      )
    } else {
      const daph2 = header.data_page_header_v2
      if (daph2 === undefined) throw new Error('data page v2 header missing')
      numValues = daph2.num_values
      encoding = daph2.encoding
      page = readDataPageV2(compressed, header, decoder)
    }
    const defs = page.definitionLevels ?? []
    const isDict =
      encoding === 'PLAIN_DICTIONARY' ||
      encoding === 'RLE_DICTIONARY' ||
      (encoding === 'RLE' && element.type !== 'BOOLEAN')
    if (isDict && dictionary === undefined) throw new Error('dictionary-encoded page without a dictionary')
    const raw = page.dataPage
    const dict = dictionary as DecodedArray
    const vals: ArrayLike<unknown> = isDict ? raw : convert(raw, decoder)
    if (target === 'codes' && isDict && dictCodes === undefined) {
      const codeOf = options.codeOf as (value: string) => number
      dictCodes = new Int32Array(dict.length)
      for (let k = 0; k < dict.length; k++) dictCodes[k] = codeOf(String(dict[k]))
    }
    let j = 0
    for (let r = 0; r < numValues && row < rows; r++, row++) {
      const present = maxDef === 0 || defs.length === 0 || defs[r] === maxDef
      if (!present) {
        valid ??= new Uint8Array(rows).fill(1)
        valid[row] = 0
        if (strings !== undefined) strings[row] = null
        if (codes !== undefined) codes[row] = -1
        continue
      }
      const v = vals[j++]
      if (numbers !== undefined) numbers[row] = toNumber(isDict ? dict[v as number] : v)
      else if (codes !== undefined)
        codes[row] = isDict
          ? ((dictCodes as Int32Array)[v as number] as number)
          : (options.codeOf as (value: string) => number)(String(v))
      else if (strings !== undefined) strings[row] = String(isDict ? dict[v as number] : v)
    }
  }
  if (row !== rows) throw new Error(`its pages hold ${row} of the row group's ${rows} values`)
  const result: FlatColumnResult = { valid }
  if (numbers !== undefined) return { ...result, numbers }
  if (strings !== undefined) return { ...result, strings }
  return { ...result, codes: codes as Int32Array }
}
