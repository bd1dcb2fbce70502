import fs from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';

/** The columns of the generated files: email, time, and three event properties. */
export const HEADER = ['Email', 'Occurred at', 'Plan', 'Amount', 'Note'];

/** Row `index` of the generated files: 50,000 distinct contacts, times in 2024, every value valid. */
export function row(index: number): [string, Date, string, number, string] {
  return [
    `user${index % 50_000}@example.com`,
    new Date(Date.UTC(2024, 0, 1) + index * 1000),
    index % 3 === 0 ? 'pro' : 'free',
    index % 1000,
    `note ${index}`,
  ];
}

/** A CSV of `rows` data rows, written as a stream. */
export async function writeCsv(file: string, rows: number): Promise<void> {
  const out = fs.createWriteStream(file);
  out.write(`${HEADER.join(',')}\n`);
  for (let index = 0; index < rows; index++) {
    const [email, time, plan, amount, note] = row(index);
    if (!out.write(`${email},${time.toISOString()},${plan},${amount},${note}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** An .xlsx of `rows` data rows (real date cells), written by ExcelJS's streaming writer. */
export async function writeXlsx(file: string, rows: number): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('Events');
  sheet.getColumn(2).numFmt = 'yyyy-mm-dd hh:mm:ss';
  sheet.addRow(HEADER).commit();
  for (let index = 0; index < rows; index++) sheet.addRow(row(index)).commit();
  sheet.commit();
  await workbook.commit();
}
