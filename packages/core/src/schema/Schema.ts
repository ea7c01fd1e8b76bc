import { z } from 'zod'

/** Semantic types of personally identifying columns. A PII column is never learned, only re-synthesized. */
export const PII_TYPES = [
  'email',
  'person_name',
  'phone',
  'national_id',
  'ip_address',
  'street_address',
  'card_number',
  'device_id',
  'free_text',
] as const
export type PiiType = (typeof PII_TYPES)[number]

export const COLUMN_KINDS = ['numeric', 'integer', 'categorical', 'boolean', 'datetime', 'text', 'id'] as const

/**
 * The schema file format version this build writes. Version 2 writes datetime formats as date-fns-style patterns
 * (`MMM d yyyy`, `yyyy-MM-dd'T'HH:mm:ssXXX`); version 1 files (formats `date`, `datetime`, `iso-local`, `iso`) are
 * read as they are: those names still mean their ISO 8601 forms.
 */
export const SCHEMA_VERSION = 2

export const columnSchema = z
  .object({
    name: z.string().min(1),
    kind: z.enum(COLUMN_KINDS),
    nullable: z.boolean().default(true),
    /** Inclusive bounds for numeric/integer (numbers) and datetime (ISO strings). */
    min: z.union([z.number(), z.string()]).optional(),
    max: z.union([z.number(), z.string()]).optional(),
    /** Allowed values of a categorical column. */
    values: z.array(z.string()).optional(),
    /**
     * Datetime text format: a date-fns-style pattern (`yyyy-MM-dd`, `MMM d yyyy`, `dd/MM/yyyy HH:mm`, `t` for epoch
     * seconds, `T` for epoch ms), or a version 1 name (`date`, `datetime`, `iso-local`, `iso`).
     */
    format: z.string().min(1).optional(),
    /** Values are unique (always true for `id`). */
    unique: z.boolean().optional(),
    pii: z
      .object({
        type: z.enum(PII_TYPES),
        /** Why the column was flagged, when inferred. */
        reason: z.string().optional(),
      })
      .optional(),
    /**
     * Reviewed: not PII although it may look like it (a column of canned messages read as free text). Silences the
     * warning a PII-looking column without a `pii` tag gets; the entity-memorization rule still applies.
     */
    notPii: z.literal(true).optional(),
    description: z.string().optional(),
  })
  .strict()

export const tableSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.union([z.literal(1), z.literal(2)]),
    name: z.string().optional(),
    columns: z.array(columnSchema).min(1),
  })
  .strict()

export type ColumnSchema = z.infer<typeof columnSchema>
export type TableSchema = z.infer<typeof tableSchema>
/** What `defineSchema` accepts: defaults (e.g. `nullable: true`) may be left out. */
export type TableSchemaInput = z.input<typeof tableSchema>
export type ColumnSchemaInput = z.input<typeof columnSchema>
export type SchemaColumnKind = (typeof COLUMN_KINDS)[number]
