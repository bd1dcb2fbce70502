import { UTCDate } from '@date-fns/utc';
import { parse } from 'date-fns';
import { IMPORT_DATE_FORMATS, parseTimestamp, type ImportDateFormat, type ImportDateFormatFit } from '../../lib/shared';
import type { Cell } from './readers';

/** Day 0 of spreadsheets' 1900 date system is 1899-12-30 (Lotus' leap-year bug included). */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const SERIAL_PATTERN = /^\d{1,6}(\.\d+)?$/;
// A reference date in UTC: date-fns fills missing fields from it and builds the result in its zone.
const REFERENCE = new UTCDate(2000, 0, 1, 0, 0, 0, 0);

/** Epoch milliseconds of a spreadsheet serial date (45352.5 → 2024-03-01T12:00:00Z), rounded to the second. */
export function excelSerialToMs(serial: number): number {
  return Math.round((EXCEL_EPOCH_MS + serial * DAY_MS) / 1000) * 1000;
}

/**
 * Epoch milliseconds of one occurred-at cell in a date format, or undefined when the text does not
 * fit it. A date cell of a spreadsheet is already a date, whatever the format. Times without an
 * offset are UTC, as everywhere in the API.
 */
export function parseDateCell(cell: Cell, format: ImportDateFormat): number | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.getTime();
  const text = cell.trim();
  if (text === '') return undefined;
  if (format === 'iso') return parseTimestamp(text);
  if (format === 'excel-serial') return SERIAL_PATTERN.test(text) ? excelSerialToMs(Number(text)) : undefined;
  // date-fns is lenient about trailing text in some tokens; demand the whole value is digits and separators.
  if (!/^[\d/.\-: APMapm]+$/.test(text)) return undefined;
  const date = parse(text, format, REFERENCE);
  const time = date.getTime();
  return Number.isNaN(time) ? undefined : time;
}

/** Label of a date format, for messages. */
export function dateFormatLabel(format: ImportDateFormat): string {
  return IMPORT_DATE_FORMATS.find((candidate) => candidate.id === format)?.label ?? format;
}

/**
 * The date formats that read every non-empty sample (at least one), with up to three parsed
 * examples each. Spreadsheet date cells fit every format; with only such cells, `iso` is offered.
 */
export function fittingDateFormats(samples: readonly Cell[]): ImportDateFormatFit[] {
  const values = samples.filter((cell) => cell instanceof Date || cell.trim() !== '');
  if (values.length === 0) return [];
  const fits: ImportDateFormatFit[] = [];
  for (const { id, label } of IMPORT_DATE_FORMATS) {
    const parsed = values.map((cell) => parseDateCell(cell, id));
    if (parsed.some((time) => time === undefined)) continue;
    fits.push({
      format: id,
      label,
      examples: values.slice(0, 3).map((cell, index) => ({
        value: cell instanceof Date ? cell.toISOString() : cell,
        parsed: new Date(parsed[index]!).toISOString(),
      })),
    });
    if (values.every((cell) => cell instanceof Date)) break;
  }
  return fits;
}
