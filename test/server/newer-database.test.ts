import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/storage/database';
import { appliedMigrations, DatabaseTooNewError, knownMigrations } from '../../server/storage/schema-level';
import { CLICKTRAIL_VERSION } from '../../server/version';
import { rawConnection } from '../support/raw-connection';
import { scratchDatabase, type ScratchDatabase } from '../support/scratch-database';
import { DATABASE_KINDS } from '../support/test-server';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FUTURE = '999-from-a-newer-release';

/** A database this release migrated, then "upgraded" by a newer one (a migration row it does not know). */
async function databaseFromTheFuture(kind: 'sqlite' | 'postgres'): Promise<ScratchDatabase> {
  const database = await scratchDatabase(kind);
  const { db } = await openDatabase(database.config);
  await sql`insert into kysely_migration (name, timestamp) values (${FUTURE}, ${new Date().toISOString()})`.execute(db);
  await sql`create table from_the_future (id integer)`.execute(db);
  await db.destroy();
  return database;
}

describe.each(DATABASE_KINDS)('a database newer than the server, on %s', (kind) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('is refused with a message naming the unknown migration and this version, and left as it was', async () => {
    const database = await databaseFromTheFuture(kind);
    cleanup.push(() => database.dispose());

    const refused = await openDatabase(database.config).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(DatabaseTooNewError);
    expect((refused as Error).message).toContain(
      `migration ${FUTURE} that Clicktrail ${CLICKTRAIL_VERSION} does not know`,
    );

    // Nothing ran: reopening it without the guard shows the same migrations as before.
    const db = rawConnection(database.config);
    try {
      expect(await appliedMigrations(db)).toEqual([...(await knownMigrations()), FUTURE]);
    } finally {
      await db.destroy();
    }
  });

  it('is refused by `npm run server`, which exits 1 before listening', { timeout: 30_000 }, async () => {
    const database = await databaseFromTheFuture(kind);
    cleanup.push(() => database.dispose());
    const result = await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...database.env, PORT: '0' },
    }).then(
      () => ({ code: 0, stdout: '', stderr: '' }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('listening');
    expect(result.stderr).toContain('was upgraded by a newer Clicktrail');
    expect(result.stderr).toContain(FUTURE);
  });
});
