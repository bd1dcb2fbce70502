import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importPreviewSchema, importStatusSchema, type ImportStatus } from '../../lib/shared';
import { scratchDatabase } from '../support/scratch-database';
import { exited, startServerProcess as startChild } from '../support/server-process';
import { DATABASE_KINDS } from '../support/test-server';

const ROWS = 30_000;

/** Every 10th row is invalid (a bad email), every 7th repeats the row before it: both are rejected. */
function csv(): { text: string; valid: number } {
  const lines = ['Email,Occurred at,Ref'];
  let valid = 0;
  for (let index = 0; index < ROWS; index++) {
    if (index % 10 === 9) {
      lines.push(`broken-${index},2024-01-01T00:00:00Z,${index}`);
    } else if (index % 7 === 6) {
      lines.push(lines[lines.length - 1]!);
    } else {
      lines.push(`user${index % 5000}@example.com,2024-01-01T00:${String(index % 60).padStart(2, '0')}:00Z,${index}`);
      valid++;
    }
  }
  return { text: `${lines.join('\n')}\n`, valid };
}

describe.each(DATABASE_KINDS)('an import interrupted by kill -9 on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('resumes on the next start and stores every valid row exactly once', { timeout: 90_000 }, async () => {
    const database = await scratchDatabase(kind);
    cleanup.push(() => database.dispose());
    const dataDir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'ct-import-'));
    const env = { ...database.env, CLICKTRAIL_DATA_DIR: database.env.CLICKTRAIL_DATA_DIR ?? dataDir };
    const first = await startChild(env);
    cleanup.push(async () => {
      first.process.kill('SIGKILL');
      await exited(first.process);
    });
    const headers = { Authorization: `Bearer ${first.key!}` };
    const { text, valid } = csv();
    const form = new FormData();
    form.append('file', new Blob([text]), 'crash.csv');
    const uploaded = await fetch(`${first.url}/imports/v1`, { method: 'POST', headers, body: form });
    expect(uploaded.status).toBe(201);
    const preview = importPreviewSchema.parse(await uploaded.json());
    const started = await fetch(`${first.url}/imports/v1/${preview.id}/start`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        event: { create: { label: 'Crash import' } },
        mapping: preview.proposedMapping,
        consent: true,
      }),
    });
    expect(started.status).toBe(202);
    const status = async (url: string): Promise<ImportStatus> =>
      importStatusSchema.parse(await (await fetch(`${url}/imports/v1/${preview.id}`, { headers })).json());

    // Kill it mid-import: some batches committed, more to come.
    let before: ImportStatus;
    do {
      before = await status(first.url);
      await new Promise((resolve) => setTimeout(resolve, 10));
    } while (before.rowsRead < 3000);
    first.process.kill('SIGKILL');
    await exited(first.process);
    expect(first.process.signalCode).toBe('SIGKILL');
    expect(before.status).toBe('RUNNING');
    expect(before.rowsRead).toBeLessThan(ROWS);

    const second = await startChild(env);
    cleanup.push(async () => {
      second.process.kill('SIGTERM');
      await exited(second.process);
    });
    let after: ImportStatus;
    const deadline = Date.now() + 60_000;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = await status(second.url);
    } while (after.status !== 'COMPLETED' && Date.now() < deadline);
    expect(after).toMatchObject({
      status: 'COMPLETED',
      rowsRead: ROWS,
      rowsImported: valid,
      rowsRejected: ROWS - valid,
    });

    const { default: pg } = await import('pg');
    const count = async (sql: string): Promise<number> => {
      if (kind === 'postgres') {
        const client = new pg.Client({ connectionString: database.env.DATABASE_URL });
        await client.connect();
        const result = await client.query<{ n: string }>(sql);
        await client.end();
        return Number(result.rows[0]!.n);
      }
      const { default: SQLite } = await import('better-sqlite3');
      const sqlite = new SQLite(path.join(env.CLICKTRAIL_DATA_DIR, 'clicktrail.sqlite'), { readonly: true });
      const row = sqlite.prepare(sql).get() as { n: number };
      sqlite.close();
      return Number(row.n);
    };
    const prefix = `import:${preview.id}:%`;
    expect(await count(`SELECT COUNT(*) AS n FROM completions WHERE uuid LIKE '${prefix}'`)).toBe(valid);
    expect(
      await count(`SELECT COUNT(DISTINCT properties_json) AS n FROM completions WHERE uuid LIKE '${prefix}'`),
    ).toBe(valid);
    // Each rejected row is reported once, even those of the batch the crash interrupted.
    expect(
      await count(`SELECT COUNT(DISTINCT row_number) AS n FROM import_errors WHERE import_id = '${preview.id}'`),
    ).toBe(ROWS - valid);
  });
});
