import {
  IMPORT_LIMITS,
  type EventDefinition,
  type HeaderLanguage,
  type ImportColumn,
  type ImportFileType,
  type ImportPreview,
} from '../../lib/shared';
import { fittingDateFormats } from './date-formats';
import { proposeMapping, REQUIRED_FIELD_LABELS, suggestType } from './mapping';
import { cellText } from './rows';
import { readRows, type Cell } from './readers';

/** Thrown when a file has no header row or too many columns to import. */
export class UnusableFileError extends Error {}

/** The header and first rows of a file, read with the same streaming readers as the job. */
export async function readHead(file: string, type: ImportFileType): Promise<{ headers: string[]; rows: Cell[][] }> {
  let headers: string[] | undefined;
  const rows: Cell[][] = [];
  for await (const { cells } of readRows(file, type)) {
    if (!headers) headers = cells.map((cell) => cellText(cell).trim());
    else rows.push(cells);
    if (rows.length >= IMPORT_LIMITS.previewRows) break;
  }
  if (!headers) throw new UnusableFileError('The file is empty: it needs a header row naming its columns.');
  if (headers.length > IMPORT_LIMITS.maxColumns) {
    throw new UnusableFileError(
      `The file has ${headers.length} columns; at most ${IMPORT_LIMITS.maxColumns} can be imported.`,
    );
  }
  return { headers, rows };
}

/** Columns with samples, date formats and suggested types, from the head of a file. */
export function describeColumns(headers: readonly string[], rows: readonly Cell[][]): ImportColumn[] {
  return headers.map((header, index) => {
    const cells = rows.map((row) => row[index] ?? '');
    const texts = cells.map(cellText);
    return {
      index,
      header,
      samples: texts.filter((text) => text.trim() !== '').slice(0, 3),
      dateFormats: fittingDateFormats(cells),
      suggestedType: suggestType(texts),
    };
  });
}

/** The preview answer of `POST /imports/v1` (also used to show the stored one again). */
export function buildPreview(input: {
  id: string;
  fileName: string;
  fileType: ImportFileType;
  sizeBytes: number;
  headerLanguage: HeaderLanguage;
  definition?: EventDefinition;
  columns: ImportColumn[];
  rows: Cell[][];
}): ImportPreview {
  const headers = input.columns.map((column) => column.header);
  const proposedMapping = proposeMapping({
    headers,
    language: input.headerLanguage,
    definition: input.definition,
    samples: input.columns.map((column) => column.samples),
  });
  const columnOf = (kind: 'email' | 'occurredAt') => proposedMapping.find((entry) => entry.to.kind === kind)?.column;
  const labels = REQUIRED_FIELD_LABELS[input.headerLanguage];
  const occurredAt = columnOf('occurredAt');
  return {
    id: input.id,
    status: 'UPLOADED',
    fileName: input.fileName,
    fileType: input.fileType,
    sizeBytes: input.sizeBytes,
    headerLanguage: input.headerLanguage,
    ...(input.definition ? { eventName: input.definition.name } : {}),
    columns: input.columns,
    rows: input.rows.map((row) => headers.map((_, index) => cellText(row[index]))),
    proposedMapping,
    requiredFields: (['email', 'occurredAt'] as const).map((field) => {
      const column = columnOf(field);
      return { field, label: labels[field], mapped: column !== undefined, ...(column !== undefined ? { column } : {}) };
    }),
    dateFormats: input.columns.find((column) => column.header === occurredAt)?.dateFormats ?? [],
  };
}
