// @modelgate/core — public API.

export type { ArgumentShape, ArgumentSite } from './args/checkArgument.js'
export { checkArgument } from './args/checkArgument.js'
export { tableArgument } from './args/tableArgument.js'
export type { ConfigJsonSchemaOptions } from './config/configJsonSchema.js'
export { configJsonSchema } from './config/configJsonSchema.js'
export type { LoadConfigOptions } from './config/loadConfigFile.js'
export { loadConfigFile } from './config/loadConfigFile.js'
export type { CoreErrorCode, ErrorLocation, ModelGateErrorOptions } from './errors.js'
export { CORE_ERROR_CODES, cancelledError, describeLocation, isModelGateError, ModelGateError } from './errors.js'
export type { FakePiiOptions, FakePiiType } from './fake/fakePii.js'
export { fakePii, fakeUniqueId, TEST_CARD_NUMBERS } from './fake/fakePii.js'
export type { FormatNumberOptions, FormatPercentOptions } from './format/formatNumber.js'
export { formatBytes, formatCount, formatNumber, formatPercent, formatStatistic } from './format/formatNumber.js'
export { durationSchema, parseDuration } from './grammar/parseDuration.js'
export { parsePercent, percentSchema } from './grammar/parsePercent.js'
export { parseRate, rateSchema } from './grammar/parseRate.js'
export type { Slo, SloOperator } from './grammar/parseSlo.js'
export { meetsSlo, parseSlo, sloSchema } from './grammar/parseSlo.js'
export type { DatetimePattern } from './io/compileDatetimePattern.js'
export { compileDatetimePattern } from './io/compileDatetimePattern.js'
export { createTableWriter } from './io/createTableWriter.js'
export { detectFormat, FILE_FORMATS, SUPPORTED_EXTENSIONS } from './io/detectFormat.js'
export type { OptionalDependency } from './io/importOptional.js'
export { importOptional, isModuleNotFound, missingDependencyError } from './io/importOptional.js'
export { importUserModule } from './io/importUserModule.js'
export type { InferredKind, InferTextKindOptions } from './io/inferTextKind.js'
export { inferTextKind, isLowCardinality, isTimeLikeName } from './io/inferTextKind.js'
export type { ParseDatetimeOptions, ParsedDatetime } from './io/parseDatetime.js'
export {
  datetimePattern,
  formatDatetime,
  ISO_DATE_FORMAT,
  ISO_DATETIME_FORMAT,
  isDateOnlyFormat,
  isIsoPattern,
  LEGACY_DATETIME_FORMATS,
  parseDatetime,
  parseDatetimeAs,
} from './io/parseDatetime.js'
export { classifyNumber, parseNonFinite, parseNumber } from './io/parseNumber.js'
export type { FileFormat, IoProgress, ReadOptions, StreamOptions } from './io/ReadOptions.js'
export { DEFAULT_CHUNK_ROWS, DEFAULT_NULL_VALUES } from './io/ReadOptions.js'
export { readTable } from './io/readTable.js'
export type { ReadTextFileOptions } from './io/readTextFile.js'
export { readTextFile } from './io/readTextFile.js'
export type { ExitFlag, StartWorkerThreadOptions } from './io/startWorkerThread.js'
export { startWorkerThread } from './io/startWorkerThread.js'
export { streamTable } from './io/streamTable.js'
export type { ParquetCodec, TableWriter, WriteOptions, WriteSummary } from './io/WriteOptions.js'
export { withAtomicDirectory } from './io/withAtomicDirectory.js'
export type { AtomicFileContent } from './io/writeFileAtomic.js'
export { writeFileAtomic, writeFilesAtomic } from './io/writeFileAtomic.js'
export { writeTable } from './io/writeTable.js'
export type { CategoryCount, CategorySummary, ColumnProfile, NumericSummary, TableProfile } from './profile/Profile.js'
export type { ProfileOptions } from './profile/profileTable.js'
export { OTHER_CATEGORY, profileTable, summarizeNumbers } from './profile/profileTable.js'
export type { RenderProfileOptions } from './profile/renderProfile.js'
export { renderProfile } from './profile/renderProfile.js'
export { trimmedBounds, trimmedBoundsUnsorted, trimmedIndex } from './profile/trimmedBounds.js'
export type { Random, RandomState, SeedPart } from './random/createRandom.js'
export { createRandom, hashSeed, mix32, NORMAL_ZIGGURAT, randomFromState, randomState } from './random/createRandom.js'
export type { RedactTextOptions } from './redact/redactText.js'
export { redactText } from './redact/redactText.js'
export { redactUrl } from './redact/redactUrl.js'
export type { RedactValueOptions } from './redact/redactValue.js'
export { redactValue } from './redact/redactValue.js'
export type { CreateReportInput } from './report/createReport.js'
export { countVerdicts, createReport, deriveVerdict } from './report/createReport.js'
export type {
  Chart,
  CheckResult,
  HeatmapChart,
  HistogramChart,
  LineChart,
  Report,
  ScatterChart,
  Verdict,
} from './report/Report.js'
export { renderHtml } from './report/renderHtml.js'
export { renderJUnit } from './report/renderJUnit.js'
export type { RenderTerminalOptions } from './report/renderTerminalReport.js'
export { renderTerminalReport } from './report/renderTerminalReport.js'
export type { VerdictExitOptions } from './report/verdictExitCode.js'
export { verdictExitCode } from './report/verdictExitCode.js'
export type { WriteReportTargets } from './report/writeReport.js'
export { writeReport } from './report/writeReport.js'
export type { CheckTableOptions, SchemaProblem, SchemaProblemCode } from './schema/checkTableAgainstSchema.js'
export { checkTableAgainstSchema } from './schema/checkTableAgainstSchema.js'
export { defineSchema } from './schema/defineSchema.js'
export type { DetectPiiOptions, PiiFinding } from './schema/detectPii.js'
export { detectPii, piiTypeFromName } from './schema/detectPii.js'
export type { FindQuasiIdentifiersOptions, QuasiIdentifier } from './schema/findQuasiIdentifiers.js'
export { findQuasiIdentifiers } from './schema/findQuasiIdentifiers.js'
export type { InferredSchema, InferSchemaOptions, SchemaWarning } from './schema/inferSchema.js'
export { inferSchema } from './schema/inferSchema.js'
export { loadSchema } from './schema/loadSchema.js'
export { luhnValid } from './schema/luhnValid.js'
export type { RowValidatorOptions } from './schema/rowValidator.js'
export { columnValidator, rowValidator } from './schema/rowValidator.js'
export type {
  ColumnSchema,
  ColumnSchemaInput,
  PiiType,
  SchemaColumnKind,
  TableSchema,
  TableSchemaInput,
} from './schema/Schema.js'
export { COLUMN_KINDS, columnSchema, PII_TYPES, SCHEMA_VERSION, tableSchema } from './schema/Schema.js'
export type { JsonSchema } from './schema/schemaToJsonSchema.js'
export { schemaToJsonSchema, tableSchemaJsonSchema } from './schema/schemaToJsonSchema.js'
export type {
  BooleanColumn,
  CategoricalColumn,
  Column,
  ColumnKind,
  DatetimeColumn,
  NumericColumn,
  StringColumn,
  Table,
} from './Table.js'
export { categoricalFromStrings } from './table/categoricalFromStrings.js'
export { concatTables } from './table/concatTables.js'
export { columnNames, getColumn } from './table/getColumn.js'
export { nonNullNumbers } from './table/nonNullNumbers.js'
export { selectColumns } from './table/selectColumns.js'
export { sliceTable } from './table/sliceTable.js'
export { tableFromColumns } from './table/tableFromColumns.js'
export type { TableFromRowsOptions } from './table/tableFromRows.js'
export { tableFromRows } from './table/tableFromRows.js'
export { tableToRows } from './table/tableToRows.js'
export { takeRows } from './table/takeRows.js'
export { isNullAt, valueAt } from './table/valueAt.js'
export type { ThreadError } from './threadError.js'
export { fromThreadError, toThreadError } from './threadError.js'
