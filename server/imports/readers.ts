import fs from 'node:fs';
import { parse as parseCsv } from 'csv-parse';
import type ExcelJS from 'exceljs';
import type { ImportFileType } from '../../lib/shared';

/** A cell as the import reads it: text, or a date when a spreadsheet cell is formatted as one. */
export type Cell = string | Date;

/** One non-empty row of the first sheet, with its row number as a spreadsheet shows it (1-based). */
export interface SheetRow {
  row: number;
  cells: Cell[];
}

/** How far a reader has got through its file, for progress and ETA. */
export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
}

/** Thrown when the file cannot be read as its type (malformed CSV quotes, a corrupt workbook, ...). */
export class UnreadableFileError extends Error {}

/** The file type from a file name, or undefined when it is none of .csv, .xlsx, .xls. */
export function fileTypeOf(fileName: string): ImportFileType | undefined {
  const match = /\.(csv|xlsx|xls)$/i.exec(fileName.trim());
  return match ? (match[1]!.toLowerCase() as ImportFileType) : undefined;
}

/**
 * Every non-empty row of the file's first sheet, streamed: CSV with csv-parse and XLSX with
 * ExcelJS's streaming reader hold a chunk at a time, never the whole file. Legacy .xls is a
 * compound binary file that can only be parsed whole; its format caps a sheet at 65,536 rows, so
 * it stays small. `progress` is updated as the bytes are read.
 */
export async function* readRows(
  file: string,
  type: ImportFileType,
  progress: ReadProgress = { bytesRead: 0, totalBytes: 0 },
): AsyncGenerator<SheetRow> {
  progress.totalBytes = fs.statSync(file).size;
  progress.bytesRead = 0;
  if (type === 'csv') yield* readCsv(file, progress);
  else if (type === 'xlsx') yield* readXlsx(file, progress);
  else yield* readXls(file, progress);
}

function countingStream(file: string, progress: ReadProgress): fs.ReadStream {
  const stream = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  stream.on('data', (chunk) => (progress.bytesRead += chunk.length));
  return stream;
}

function isEmpty(cells: readonly Cell[]): boolean {
  return cells.every((cell) => typeof cell === 'string' && cell.trim() === '');
}

// --- CSV -----------------------------------------------------------------------------------------

const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * The delimiter of a CSV file: the candidate that occurs most often, outside quotes, in its first
 * record. Spreadsheet apps write `;` where the decimal separator is a comma (Swedish, German Excel).
 */
export function detectDelimiter(head: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((delimiter) => [delimiter, 0]));
  let quoted = false;
  for (const char of head.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1);
  }
  let best = ',';
  for (const [delimiter, count] of counts) if (count > counts.get(best)!) best = delimiter;
  return best;
}

async function* readCsv(file: string, progress: ReadProgress): AsyncGenerator<SheetRow> {
  const head = Buffer.alloc(64 * 1024);
  const fd = fs.openSync(file, 'r');
  const length = fs.readSync(fd, head, 0, head.length, 0);
  fs.closeSync(fd);
  const parser = parseCsv({
    bom: true,
    delimiter: detectDelimiter(head.subarray(0, length).toString('utf8')),
    relax_column_count: true,
  });
  const source = countingStream(file, progress);
  source.on('error', (error) => parser.destroy(error));
  source.pipe(parser);
  // Every record counts, empty lines included, so numbers match the rows a spreadsheet app shows
  // (a quoted field's newlines stay in its record). Counted here: csv-parse's `info` option costs
  // an object per record and halved the parse rate.
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      if (isEmpty(record)) continue;
      yield { row, cells: record };
    }
  } catch (error) {
    if (error instanceof Error && (error as { code?: string }).code?.startsWith('CSV_')) {
      throw new UnreadableFileError(`The CSV file cannot be read: ${error.message}`);
    }
    throw error;
  } finally {
    source.destroy();
  }
}

// --- XLSX ----------------------------------------------------------------------------------------

/** Text of an ExcelJS cell value: rich text, formulas (their cached result) and hyperlinks included. */
function excelCell(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('result' in value) return value.result === undefined ? '' : excelCell(value.result);
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('error' in value) return String(value.error);
  return '';
}

async function* readXlsx(file: string, progress: ReadProgress): AsyncGenerator<SheetRow> {
  // Loaded on first use, like the .xls reader: together they hold some 35 MB that a server
  // importing CSV (or nothing) never needs.
  const { default: ExcelJS } = await import('exceljs');
  const source = countingStream(file, progress);
  // Styles are needed to know which numeric cells are dates; shared strings are cached (they are
  // usually written before the sheet, and the sheet refers to them by index).
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  try {
    for await (const worksheet of reader) {
      for await (const row of worksheet) {
        const values = Array.isArray(row.values) ? row.values : [];
        // ExcelJS row values are 1-based (index 0 is empty), with holes for empty cells.
        const cells: Cell[] = [];
        for (let index = 1; index < values.length; index++) cells.push(excelCell(values[index]));
        if (isEmpty(cells)) continue;
        yield { row: row.number, cells };
      }
      // Only the first sheet is imported; the reader stops when the generator returns.
      break;
    }
  } catch (error) {
    throw new UnreadableFileError(
      `The .xlsx file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    source.destroy();
  }
}

// --- XLS -----------------------------------------------------------------------------------------

async function* readXls(file: string, progress: ReadProgress): AsyncGenerator<SheetRow> {
  let rows: unknown[][];
  let firstRow: number;
  const XLSX = await import('@e965/xlsx');
  try {
    const workbook = XLSX.read(await fs.promises.readFile(file), { type: 'buffer', cellDates: true, dense: true });
    const sheet = workbook.Sheets[workbook.SheetNames[0] ?? ''];
    if (!sheet) return;
    firstRow = sheet['!ref'] ? XLSX.utils.decode_range(sheet['!ref']).s.r + 1 : 1;
    rows = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, blankrows: true, defval: '', UTC: true });
  } catch (error) {
    throw new UnreadableFileError(
      `The .xls file cannot be read: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  progress.bytesRead = progress.totalBytes;
  for (let index = 0; index < rows.length; index++) {
    const cells = rows[index]!.map((value): Cell => {
      if (value instanceof Date) return value;
      if (typeof value === 'string') return value;
      return typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
    });
    if (isEmpty(cells)) continue;
    yield { row: firstRow + index, cells };
  }
}
