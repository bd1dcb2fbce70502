import { z } from 'zod';
import { eventNameSchema, propertyDefinitionInputSchema, propertyTypeSchema } from './event-definition';
import { LIMITS } from './limits';
import { EVENT_NAME_PATTERN } from './names';

/** Limits of spreadsheet import (the source material's million rows, and what one upload may weigh). */
export const IMPORT_LIMITS = {
  maxRows: 1_000_000,
  previewRows: 20,
  /** A million rows of a dozen columns is ~150 MB of CSV; this leaves room and refuses a runaway upload. */
  maxUploadBytes: 512 * 1024 * 1024,
  maxColumns: 200,
  /** Errors with more detail than this are cut in errors.csv (values are quoted for context only). */
  errorValueMaxLength: 256,
} as const;

export const importFileTypeSchema = z.enum(['csv', 'xlsx', 'xls']);
export type ImportFileType = z.infer<typeof importFileTypeSchema>;

/** The language of the file's header row, used to propose the mapping. */
export const headerLanguageSchema = z.enum(['en', 'sv'], { error: 'headerLanguage must be "en" or "sv"' });
export type HeaderLanguage = z.infer<typeof headerLanguageSchema>;

/**
 * Date formats of the "event occurred at" column. `iso` is the send endpoint's rule (ISO 8601, UTC
 * when no offset, or epoch milliseconds); `excel-serial` is a spreadsheet day number (45352.5 is
 * 2024-03-01 12:00); the others are date-fns patterns (`d`/`M` take one or two digits). Times
 * without an offset are UTC, like everywhere else in the API. Spreadsheet cells that hold a real
 * date are read as dates whatever the format.
 */
export const IMPORT_DATE_FORMATS = [
  { id: 'iso', label: 'ISO 8601 or epoch milliseconds', example: '2024-03-01T14:30:00Z, 2024-03-01 14:30' },
  { id: 'excel-serial', label: 'Spreadsheet serial day number', example: '45352.6041' },
  { id: 'd/M/yyyy H:mm:ss', label: 'Day/month/year with seconds', example: '01/03/2024 14:30:00' },
  { id: 'd/M/yyyy H:mm', label: 'Day/month/year and time', example: '01/03/2024 14:30' },
  { id: 'd/M/yyyy', label: 'Day/month/year', example: '01/03/2024' },
  { id: 'M/d/yyyy H:mm:ss', label: 'Month/day/year with seconds', example: '03/01/2024 14:30:00' },
  { id: 'M/d/yyyy H:mm', label: 'Month/day/year and time', example: '03/01/2024 14:30' },
  { id: 'M/d/yyyy h:mm a', label: 'Month/day/year, 12-hour time', example: '03/01/2024 2:30 PM' },
  { id: 'M/d/yyyy', label: 'Month/day/year', example: '03/01/2024' },
  { id: 'd.M.yyyy H:mm:ss', label: 'Day.month.year with seconds', example: '01.03.2024 14:30:00' },
  { id: 'd.M.yyyy H:mm', label: 'Day.month.year and time', example: '01.03.2024 14:30' },
  { id: 'd.M.yyyy', label: 'Day.month.year', example: '01.03.2024' },
  { id: 'd-M-yyyy H:mm', label: 'Day-month-year and time', example: '01-03-2024 14:30' },
  { id: 'd-M-yyyy', label: 'Day-month-year', example: '01-03-2024' },
  { id: 'yyyy/M/d H:mm', label: 'Year/month/day and time', example: '2024/03/01 14:30' },
  { id: 'yyyy/M/d', label: 'Year/month/day', example: '2024/03/01' },
] as const;
export type ImportDateFormat = (typeof IMPORT_DATE_FORMATS)[number]['id'];
const DATE_FORMAT_IDS = IMPORT_DATE_FORMATS.map((format) => format.id) as [ImportDateFormat, ...ImportDateFormat[]];

export const importDateFormatSchema = z.enum(DATE_FORMAT_IDS, {
  error: `dateFormat must be one of: ${DATE_FORMAT_IDS.join(' | ')}`,
});

/** Where one column of the file goes. */
export const importColumnTargetSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('email') }).strict(),
    z.object({ kind: z.literal('occurredAt') }).strict(),
    z.object({ kind: z.literal('property'), name: z.string().min(1).max(LIMITS.propertyNameMaxLength) }).strict(),
    z
      .object({
        kind: z.literal('newProperty'),
        property: propertyDefinitionInputSchema,
      })
      .strict(),
    z.object({ kind: z.literal('ignore') }).strict(),
  ],
  { error: 'to.kind must be email, occurredAt, property, newProperty or ignore' },
);
export type ImportColumnTarget = z.infer<typeof importColumnTargetSchema>;

export const importMappingEntrySchema = z
  .object({
    /** The column's header text, or its zero-based position. */
    column: z.union([z.string().min(1), z.number().int().nonnegative()], {
      error: 'column must be a header of the file or a zero-based column number',
    }),
    to: importColumnTargetSchema,
  })
  .strict();
export type ImportMappingEntry = z.infer<typeof importMappingEntrySchema>;

/** Body of `POST /imports/v1/{id}/start`. */
export const importStartSchema = z
  .object({
    event: z.union(
      [
        z.object({ name: z.string().regex(EVENT_NAME_PATTERN, 'event.name must be an internal event name') }).strict(),
        z
          .object({
            create: z
              .object({
                label: z
                  .string()
                  .trim()
                  .min(1, 'event.create.label is required')
                  .max(LIMITS.labelMaxLength, `label must be at most ${LIMITS.labelMaxLength} characters`),
                name: eventNameSchema.optional(),
                description: z.string().max(LIMITS.descriptionMaxLength).optional(),
              })
              .strict()
              .describe('A new contact event, tracking type IMPORT; unmapped columns become its string properties.'),
          })
          .strict(),
      ],
      { error: 'event must be {"name": "<existing event>"} or {"create": {"label": "..."}}' },
    ),
    /** Columns not listed: ignored for an existing event, new string properties of a new one. */
    mapping: z.array(importMappingEntrySchema).max(IMPORT_LIMITS.maxColumns).default([]),
    dateFormat: importDateFormatSchema.default('iso'),
    consent: z.literal(true, {
      error:
        'consent must be true: confirm that the contacts in this file expect to hear from you and that it is not a purchased list',
    }),
  })
  .strict();
export type ImportStart = z.input<typeof importStartSchema>;

/** Body of `POST /imports/v1/{id}/cancel`. */
export const importCancelSchema = z
  .object({
    /** Also remove every completion the import stored. */
    rollback: z.boolean().default(false),
  })
  .strict();

export const importStatusValueSchema = z.enum([
  'UPLOADED',
  'QUEUED',
  'RUNNING',
  'COMPLETED',
  'FAILED',
  'CANCELLING',
  'CANCELLED',
]);
export type ImportStatusValue = z.infer<typeof importStatusValueSchema>;

/** A proposed or chosen date format for the occurred-at column, with parsed examples. */
export const importDateFormatFitSchema = z.object({
  format: importDateFormatSchema,
  label: z.string(),
  /** Up to three values of the column and what they mean in UTC. */
  examples: z.array(z.object({ value: z.string(), parsed: z.string() })),
});
export type ImportDateFormatFit = z.infer<typeof importDateFormatFitSchema>;

export const importColumnSchema = z.object({
  index: z.number().int(),
  header: z.string(),
  /** Up to three non-empty values from the preview rows. */
  samples: z.array(z.string()),
  /** The date formats that read every non-empty preview value of this column. */
  dateFormats: z.array(importDateFormatFitSchema),
  /** The property type its preview values suggest for a new property. */
  suggestedType: propertyTypeSchema,
});
export type ImportColumn = z.infer<typeof importColumnSchema>;

export const importRequiredFieldSchema = z.object({
  field: z.enum(['email', 'occurredAt']),
  label: z.string(),
  mapped: z.boolean(),
  column: z.string().optional(),
});

/** Answer of `POST /imports/v1`: the upload's id and its preview. */
export const importPreviewSchema = z.object({
  id: z.string(),
  status: importStatusValueSchema,
  fileName: z.string(),
  fileType: importFileTypeSchema,
  sizeBytes: z.number(),
  headerLanguage: headerLanguageSchema,
  eventName: z.string().optional(),
  columns: z.array(importColumnSchema),
  /** The first rows after the header (at most 20), as text. */
  rows: z.array(z.array(z.string())),
  proposedMapping: z.array(z.object({ column: z.string(), to: importColumnTargetSchema })),
  requiredFields: z.array(importRequiredFieldSchema),
  /** Formats that fit the proposed occurred-at column (empty when none is mapped). */
  dateFormats: z.array(importDateFormatFitSchema),
});
export type ImportPreview = z.infer<typeof importPreviewSchema>;

/** Answer of `GET /imports/v1/{id}` (and of start and cancel). */
export const importStatusSchema = z.object({
  id: z.string(),
  status: importStatusValueSchema,
  fileName: z.string(),
  fileType: importFileTypeSchema,
  eventName: z.string().optional(),
  rowsRead: z.number(),
  rowsImported: z.number(),
  rowsRejected: z.number(),
  /** Rows per second of the current (or last) run. */
  rowsPerSecond: z.number(),
  /** Share of the file read so far, 0 to 1. */
  progress: z.number(),
  /** Seconds left at the current rate; absent until it can be estimated. */
  etaSeconds: z.number().optional(),
  rolledBack: z.boolean(),
  error: z.string().optional(),
  createdAt: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
});
export type ImportStatus = z.infer<typeof importStatusSchema>;
