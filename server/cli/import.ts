/**
 * `npm run import -- <file> --event <internal name> [--create-event <label>] [--map <column>=<property>]…
 * [--date-format <format>] [--header-language en|sv] --consent`: imports a large spreadsheet straight
 * into the database `npm run server` uses (same PORT-free settings: CLICKTRAIL_DATA_DIR or DATABASE_URL).
 * Its last line is `imported N, rejected M`; the exit code is 1 when the file could not be imported
 * at all, 2 for a wrong command line.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import {
  headerLanguageSchema,
  IMPORT_DATE_FORMATS,
  importDateFormatSchema,
  propertyTypeSchema,
  type ImportMappingEntry,
} from '../../lib/shared';
import { ensureDefaultPortal } from '../bootstrap';
import { loadConfig } from '../config';
import { HttpError } from '../http/errors';
import { fileTypeOf } from '../imports/readers';
import { ImportRunner } from '../imports/runner';
import { createImport, startImport } from '../imports/service';
import { errorReportChunks, getImport, toImportStatus } from '../imports/store';
import { openDatabase } from '../storage/database';
import type { ImportRow } from '../storage/schema';

const USAGE = `Usage: npm run import -- <file.csv|.xlsx|.xls> --event <internal name> [--create-event <label>]
         [--map <column>=<property>[:<type>]]... [--date-format <format>] [--header-language en|sv] --consent

  --event <name>           the event to import into (its internal name)
  --create-event <label>   create that event first (tracking type IMPORT), named --event; unmapped
                           columns become its string properties
  --map <column>=<target>  target: email, occurredAt, ignore, a property of the event, or
                           <new property>:<string|number|datetime> to create one
  --date-format <format>   of the occurred-at column (default iso): ${IMPORT_DATE_FORMATS.map((format) => format.id).join(', ')}
  --header-language en|sv  the language of the header row, for the automatic mapping (default en)
  --consent                confirm the contacts expect to hear from you and the list is not purchased`;

class UsageError extends Error {}

function parseMap(value: string): ImportMappingEntry {
  const split = value.lastIndexOf('=');
  if (split <= 0 || split === value.length - 1) throw new UsageError(`--map "${value}" must be <column>=<target>.`);
  const column = value.slice(0, split);
  const target = value.slice(split + 1).trim();
  if (target === 'email' || target === 'occurredAt' || target === 'ignore') return { column, to: { kind: target } };
  const [name, type] = target.split(':') as [string, string | undefined];
  if (type === undefined) return { column, to: { kind: 'property', name } };
  const parsedType = propertyTypeSchema.exclude(['enumeration']).safeParse(type);
  if (!parsedType.success) {
    throw new UsageError(`--map "${value}": a new property's type is string, number or datetime.`);
  }
  return { column, to: { kind: 'newProperty', property: { name, label: column, type: parsedType.data, options: [] } } };
}

function readCommandLine(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      event: { type: 'string' },
      'create-event': { type: 'string' },
      map: { type: 'string', multiple: true },
      'date-format': { type: 'string' },
      'header-language': { type: 'string' },
      consent: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  if (positionals.length !== 1) throw new UsageError('Give exactly one file to import.');
  const file = path.resolve(positionals[0]!);
  const fileType = fileTypeOf(file);
  if (!fileType) throw new UsageError(`${positionals[0]} is not a .csv, .xlsx or .xls file.`);
  if (!fs.existsSync(file)) throw new UsageError(`${positionals[0]} does not exist.`);
  if (!values.event) throw new UsageError('--event <internal name> is required.');
  if (!values.consent) {
    throw new UsageError(
      '--consent is required: confirm that the contacts in this file expect to hear from you and that it is not a purchased list.',
    );
  }
  const dateFormat = importDateFormatSchema.safeParse(values['date-format'] ?? 'iso');
  if (!dateFormat.success)
    throw new UsageError(`--date-format must be one of: ${IMPORT_DATE_FORMATS.map((f) => f.id).join(', ')}`);
  const language = headerLanguageSchema.safeParse(values['header-language'] ?? 'en');
  if (!language.success) throw new UsageError('--header-language must be en or sv.');
  return {
    file,
    fileType,
    event: values.event,
    createLabel: values['create-event'],
    maps: (values.map ?? []).map(parseMap),
    dateFormat: dateFormat.data,
    headerLanguage: language.data,
  };
}

/** A progress bar on a terminal, a plain line every two seconds otherwise (logs, CI). */
function progressReporter(stream: NodeJS.WriteStream) {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'Importing |{bar}| {percentage}% | {rows} rows, {rejected} rejected | {rate} rows/s | ETA {eta}s',
        hideCursor: true,
        stream,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1000, 0, { rows: 0, rejected: 0, rate: 0, eta: '?' });
    return {
      update(row: ImportRow) {
        const status = toImportStatus({ ...row, status: 'RUNNING' });
        bar.update(Math.round(status.progress * 1000), {
          rows: status.rowsRead,
          rejected: status.rowsRejected,
          rate: status.rowsPerSecond,
          eta: status.etaSeconds ?? '?',
        });
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  return {
    update(row: ImportRow) {
      if (Date.now() - last < 2000) return;
      last = Date.now();
      const status = toImportStatus({ ...row, status: 'RUNNING' });
      stream.write(
        `read ${status.rowsRead} rows (${Math.round(status.progress * 100)}%): imported ${status.rowsImported}, rejected ${status.rowsRejected}, ${status.rowsPerSecond} rows/s${status.etaSeconds !== undefined ? `, about ${status.etaSeconds} s left` : ''}\n`,
      );
    },
    stop: () => undefined,
  };
}

async function main(argv: string[]): Promise<number> {
  let command: ReturnType<typeof readCommandLine>;
  try {
    command = readCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  if (!command) {
    console.log(USAGE);
    return 0;
  }

  const { db } = await openDatabase(loadConfig().database);
  // Plain progress lines go to stdout with the result, so `imported N, rejected M` is surely last.
  const reporter = progressReporter(process.stderr.isTTY ? process.stderr : process.stdout);
  const runner = new ImportRunner(db, { onBatch: (row) => reporter.update(row) });
  try {
    const { portal } = await ensureDefaultPortal(db);
    const id = randomUUID();
    const preview = await createImport(db, {
      id,
      portalId: portal.id,
      filePath: command.file,
      fileName: path.basename(command.file),
      fileType: command.fileType,
      ownsFile: false,
      headerLanguage: command.headerLanguage,
      eventName: command.createLabel === undefined ? command.event : undefined,
    });
    // The automatic mapping, with --map entries replacing the proposal for their columns.
    const mapped = new Set(command.maps.map((entry) => entry.column));
    const mapping = [...preview.proposedMapping.filter((entry) => !mapped.has(entry.column)), ...command.maps];
    await startImport(db, portal.id, id, {
      event:
        command.createLabel === undefined
          ? { name: command.event }
          : { create: { label: command.createLabel, name: command.event } },
      mapping,
      dateFormat: command.dateFormat,
      consent: true,
    });
    const interrupt = () => {
      void db
        .updateTable('imports')
        .set({ status: 'CANCELLING' })
        .where('id', '=', id)
        .where('status', '=', 'RUNNING')
        .execute();
    };
    process.once('SIGINT', interrupt);
    await runner.runNow(id);
    process.off('SIGINT', interrupt);
    reporter.stop();

    const status = toImportStatus((await getImport(db, portal.id, id))!);
    if (status.status === 'FAILED') {
      console.error(`The file could not be imported: ${status.error ?? 'unknown error'}`);
      console.log(`imported ${status.rowsImported}, rejected ${status.rowsRejected}`);
      return 1;
    }
    let report = '';
    if (status.rowsRejected > 0) {
      const target = path.join(
        path.dirname(command.file),
        `${path.basename(command.file).replace(/\.[^.]+$/, '')}.errors.csv`,
      );
      const out = fs.createWriteStream(target);
      for await (const chunk of errorReportChunks(db, id)) {
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
      report = ` (rejected rows: ${target})`;
    }
    if (status.status === 'CANCELLED') console.error('Interrupted: the rows read so far were kept.');
    console.log(`imported ${status.rowsImported}, rejected ${status.rowsRejected}${report}`);
    return status.rowsImported === 0 && status.rowsRejected > 0 ? 1 : 0;
  } catch (error) {
    reporter.stop();
    if (error instanceof HttpError) {
      console.error(`The file could not be imported: ${error.message}`);
      for (const detail of error.errors.slice(1, 10))
        console.error(`  ${detail.in ? `${detail.in}: ` : ''}${detail.message}`);
      console.log('imported 0, rejected 0');
      return 1;
    }
    throw error;
  } finally {
    await db.destroy();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`Import failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
