import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/storage/database';
import { migrationProvider } from '../../server/storage/migrations';
import type { Database } from '../../server/storage/schema';

describe('migration 008 on a SQLite database that already has contacts', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clicktrail-migration-'));
  const file = path.join(dir, 'clicktrail.sqlite');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps every contact, visitor token and completion, and ids are no longer reused', async () => {
    // A database as the previous release left it: migrated up to 003, with data.
    const sqlite = new SQLite(file);
    sqlite.pragma('foreign_keys = ON');
    const old = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
    const migrator = new Migrator({ db: old, provider: migrationProvider({ idType: 'integer' }) });
    expect((await migrator.migrateTo('003-portal-origins')).error).toBeUndefined();
    const now = new Date().toISOString();
    await old.insertInto('portals').values({ name: 'P', created_at: now }).execute();
    await old
      .insertInto('event_definitions')
      .values({
        portal_id: 1,
        name: 'e',
        label: 'E',
        description: null,
        primary_object: 'CONTACT',
        tracking_type: 'MANUAL',
        trigger_json: null,
        archived: 0,
        version: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await old
      .insertInto('contacts')
      .values([
        { portal_id: 1, email: 'a@example.com', created_at: now },
        { portal_id: 1, email: null, created_at: now },
      ])
      .execute();
    await old.insertInto('contact_utks').values({ portal_id: 1, utk: 'u1', contact_id: 2, created_at: now }).execute();
    await old
      .insertInto('completions')
      .values({
        portal_id: 1,
        definition_id: 1,
        object_type: 'CONTACT',
        object_id: '2',
        occurred_at: 1,
        uuid: null,
        properties_json: '{}',
        received_at: 1,
      })
      .execute();
    await old.destroy();

    const { db } = await openDatabase({ kind: 'sqlite', file });
    try {
      expect(await db.selectFrom('contacts').select(['id', 'email']).orderBy('id').execute()).toEqual([
        { id: 1, email: 'a@example.com' },
        { id: 2, email: null },
      ]);
      expect(await db.selectFrom('contact_utks').select(['utk', 'contact_id']).execute()).toEqual([
        { utk: 'u1', contact_id: 2 },
      ]);
      expect(await db.selectFrom('completions').select('object_id').execute()).toEqual([{ object_id: '2' }]);
      // The unique email per portal and the cascade to visitor tokens still hold.
      await expect(
        db.insertInto('contacts').values({ portal_id: 1, email: 'a@example.com', created_at: now }).execute(),
      ).rejects.toThrow(/UNIQUE/);
      await db.deleteFrom('contacts').where('id', '=', 2).execute();
      expect(await db.selectFrom('contact_utks').selectAll().execute()).toEqual([]);
      const next = await db
        .insertInto('contacts')
        .values({ portal_id: 1, email: null, created_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(next.id).toBe(3);
    } finally {
      await db.destroy();
    }
  });
});
