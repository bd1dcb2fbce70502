import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/storage/database';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { DATABASE_KINDS } from '../support/test-server';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/import');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe.each(DATABASE_KINDS)('npm run import on %s', (kind) => {
  let database: ScratchDatabase;
  let work: string;
  /** `npm run import -- …` as a user types it (stdout is a pipe, so progress comes as plain lines). */
  const cli = (...args: string[]) =>
    new Promise<Result>((resolve) => {
      execFile(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        ['server/cli/import.ts', ...args],
        { cwd: ROOT, env: { ...process.env, ...database.env } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
  const lastLine = (output: string) => output.trim().split('\n').pop();
  const copy = (name: string, content?: string) => {
    const file = path.join(work, name);
    if (content === undefined) fs.copyFileSync(path.join(FIXTURES, name), file);
    else fs.writeFileSync(file, content);
    return file;
  };

  beforeAll(async () => {
    database = await scratchDatabase(kind);
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-import-cli-'));
  });
  afterAll(async () => {
    await database?.dispose();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('creates the event, imports the file and writes the rejected rows next to it', { timeout: 180_000 }, async () => {
    const file = copy('events.csv');
    const result = await cli(
      file,
      '--event',
      'webinar',
      '--create-event',
      'Webinar attended',
      '--map',
      'Amount=amount:number',
      '--consent',
    );
    const report = path.join(work, 'events.errors.csv');
    expect(result.code, result.stderr).toBe(0);
    expect(lastLine(result.stdout)).toBe(`imported 4, rejected 5 (rejected rows: ${report})`);
    const lines = fs.readFileSync(report, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,column,value,reason');
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['6', '7', '8', '9', '10']);

    const { db } = await openDatabase(database.config);
    try {
      const definition = await db
        .selectFrom('event_definitions')
        .select(['tracking_type', 'label'])
        .where('name', '=', 'webinar')
        .executeTakeFirstOrThrow();
      expect(definition).toEqual({ tracking_type: 'IMPORT', label: 'Webinar attended' });
      const count = await db
        .selectFrom('completions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(4);
    } finally {
      await db.destroy();
    }
  });

  it(
    'imports an .xlsx into the existing event, with plain progress lines when not on a terminal',
    { timeout: 180_000 },
    async () => {
      const lines = ['Email,Occurred at,Amount'];
      for (let index = 0; index < 6000; index++) lines.push(`p${index}@example.com,2024-02-01T10:00:00Z,${index}`);
      const file = copy('many.csv', `${lines.join('\n')}\n`);
      const result = await cli(file, '--event', 'webinar', '--consent');
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(/^read \d+ rows \(\d+%\): imported \d+, rejected 0, \d+ rows\/s/m);
      expect(lastLine(result.stdout)).toBe('imported 6000, rejected 0');

      const xlsx = copy('rows.xlsx');
      const spreadsheet = await cli(xlsx, '--event', 'webinar', '--map', 'Plan=ignore', '--consent');
      expect(spreadsheet.code, spreadsheet.stderr).toBe(0);
      expect(lastLine(spreadsheet.stdout)).toBe(
        `imported 3, rejected 1 (rejected rows: ${path.join(work, 'rows.errors.csv')})`,
      );
    },
  );

  it('exits non-zero when the file cannot be imported at all', { timeout: 180_000 }, async () => {
    const noConsent = await cli(copy('events.csv'), '--event', 'webinar');
    expect(noConsent.code).toBe(2);
    expect(noConsent.stderr).toMatch(/--consent is required/);

    const noEmail = await cli(
      copy('nomail.csv', 'Name,Occurred at\nAda,2024-01-01\n'),
      '--event',
      'webinar',
      '--consent',
    );
    expect(noEmail.code).toBe(1);
    expect(noEmail.stderr).toMatch(/no column is mapped to email/);
    expect(lastLine(noEmail.stdout)).toBe('imported 0, rejected 0');

    const allFuture = await cli(
      copy('future.csv', 'Email,Occurred at\na@example.com,2999-01-01\n'),
      '--event',
      'webinar',
      '--consent',
    );
    expect(allFuture.code).toBe(1);
    expect(lastLine(allFuture.stdout)).toMatch(/^imported 0, rejected 1 \(rejected rows: /);

    const broken = await cli(
      copy('broken.csv', 'Email,Occurred at\n"a@example.com,2024-01-01\n'),
      '--event',
      'webinar',
      '--consent',
    );
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/cannot be read/);
  });
});
