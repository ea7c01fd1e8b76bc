// @modelgate/core — public API.

// errors (owner: lead)
export { ModelGateError, isModelGateError, describeLocation } from './errors.js'
export type { ModelGateErrorOptions, ErrorLocation } from './errors.js'

// table model (owner: lead + core-io)
export type {
  Column,
  ColumnKind,
  NumericColumn,
  DatetimeColumn,
  BooleanColumn,
  CategoricalColumn,
  StringColumn,
  Table,
} from './Table.js'

// --- core-io section: Table utilities and readers/writers ---
export { tableFromColumns } from './table/tableFromColumns.js'
export { getColumn, columnNames } from './table/getColumn.js'
export { selectColumns } from './table/selectColumns.js'
export { isNullAt, valueAt } from './table/valueAt.js'
export { nonNullNumbers } from './table/nonNullNumbers.js'
export { sliceTable } from './table/sliceTable.js'
export { concatTables } from './table/concatTables.js'
export { tableFromRows } from './table/tableFromRows.js'
export { categoricalFromStrings } from './table/categoricalFromStrings.js'
export { tableToRows } from './table/tableToRows.js'
export { readTable } from './io/readTable.js'
export { streamTable } from './io/streamTable.js'
export { detectFormat, SUPPORTED_EXTENSIONS, FILE_FORMATS } from './io/detectFormat.js'
export { inferTextKind, isLowCardinality } from './io/inferTextKind.js'
export { parseDatetime, formatDatetime, DATETIME_FORMATS } from './io/parseDatetime.js'
export { parseNumber, classifyNumber, parseNonFinite } from './io/parseNumber.js'
export { DEFAULT_NULL_VALUES, DEFAULT_CHUNK_ROWS } from './io/ReadOptions.js'
export { writeTable } from './io/writeTable.js'
export { createTableWriter } from './io/createTableWriter.js'
export type { TableFromRowsOptions } from './table/tableFromRows.js'
export type { FileFormat, ReadOptions, StreamOptions, IoProgress } from './io/ReadOptions.js'
export type { WriteOptions, WriteSummary, TableWriter, ParquetCodec } from './io/WriteOptions.js'
export type { InferredKind, InferTextKindOptions } from './io/inferTextKind.js'
export type { DatetimeFormat, ParsedDatetime } from './io/parseDatetime.js'
// --- end core-io section ---

// --- schema section: annotated schemas, inference, PII detection ---
export { columnSchema, tableSchema, PII_TYPES, COLUMN_KINDS, SCHEMA_VERSION } from './schema/Schema.js'
export { defineSchema } from './schema/defineSchema.js'
export { loadSchema } from './schema/loadSchema.js'
export { rowValidator, columnValidator } from './schema/rowValidator.js'
export { schemaToJsonSchema, tableSchemaJsonSchema } from './schema/schemaToJsonSchema.js'
export { checkTableAgainstSchema } from './schema/checkTableAgainstSchema.js'
export { inferSchema } from './schema/inferSchema.js'
export { detectPii, piiTypeFromName } from './schema/detectPii.js'
export type {
  ColumnSchema,
  TableSchema,
  TableSchemaInput,
  ColumnSchemaInput,
  SchemaColumnKind,
  PiiType,
} from './schema/Schema.js'
export type { RowValidatorOptions } from './schema/rowValidator.js'
export type { JsonSchema } from './schema/schemaToJsonSchema.js'
export type { CheckTableOptions, SchemaProblem, SchemaProblemCode } from './schema/checkTableAgainstSchema.js'
export type { InferSchemaOptions, InferredSchema, SchemaWarning } from './schema/inferSchema.js'
export type { DetectPiiOptions, PiiFinding } from './schema/detectPii.js'
// --- end schema section ---

// --- profile section: per-column profiles (privacy-safe) and their terminal rendering ---
export { profileTable, summarizeNumbers, OTHER_CATEGORY } from './profile/profileTable.js'
export { renderProfile } from './profile/renderProfile.js'
export type { ProfileOptions } from './profile/profileTable.js'
export type { RenderProfileOptions } from './profile/renderProfile.js'
export type { TableProfile, ColumnProfile, NumericSummary, CategorySummary, CategoryCount } from './profile/Profile.js'
// --- end profile section ---

// --- report section: one report model for all checks, and its renderers ---
export { createReport, deriveVerdict, countVerdicts } from './report/createReport.js'
export { renderTerminalReport } from './report/renderTerminalReport.js'
export { renderJUnit } from './report/renderJUnit.js'
export { renderHtml } from './report/renderHtml.js'
export { writeReport } from './report/writeReport.js'
export { writeFileAtomic } from './report/writeFileAtomic.js'
export type { Report, CheckResult, Verdict, Chart, HistogramChart, HeatmapChart, LineChart } from './report/Report.js'
export type { CreateReportInput } from './report/createReport.js'
export type { RenderTerminalOptions } from './report/renderTerminalReport.js'
export type { WriteReportTargets } from './report/writeReport.js'
// --- end report section ---
