import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Privacy (issue 17): per-portal privacy settings, a record of each erasure (that it happened,
 * not what was erased) and daily counts of what the collect endpoint dropped (bots).
 */
export async function up(db: Kysely<unknown>, { idType }: MigrationContext): Promise<void> {
  if (idType === 'integer') await neverReuseSqliteContactIds(db);
  await db.schema
    .createTable('portal_privacy')
    .addColumn('portal_id', 'integer', (column) => column.primaryKey().references('portals.id').onDelete('cascade'))
    .addColumn('consent_mode', 'text', (column) => column.notNull())
    .addColumn('retention_months', 'integer')
    .addColumn('respect_dnt', 'integer', (column) => column.notNull())
    .addColumn('keep_bots', 'integer', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('contact_erasures')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('requested_by', 'text', (column) => column.notNull())
    .addColumn('erased_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('contact_erasures_portal').on('contact_erasures').columns(['portal_id', 'id']).execute();

  await db.schema
    .createTable('ingest_drops')
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('day', 'text', (column) => column.notNull())
    .addColumn('reason', 'text', (column) => column.notNull())
    .addColumn('count', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('ingest_drops_pk', ['portal_id', 'day', 'reason'])
    .execute();
}

/**
 * SQLite gives a new row max(id) + 1, so after erasing the newest contact the next contact would
 * get the erased one's id, and anything that kept that id (an integration's objectId, a workflow
 * enrolment) would point at a different person. AUTOINCREMENT never reuses an id; SQLite can only
 * add it by rebuilding the table (its documented procedure: foreign keys off, copy, rename).
 * PostgreSQL's serial never reuses ids.
 */
async function neverReuseSqliteContactIds(db: Kysely<unknown>): Promise<void> {
  // Kysely runs SQLite migrations outside a transaction, so the pragma can be changed here.
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN IMMEDIATE`.execute(db);
    try {
      await sql`CREATE TABLE contacts_rebuilt (
        id integer PRIMARY KEY AUTOINCREMENT,
        portal_id integer NOT NULL REFERENCES portals (id) ON DELETE CASCADE,
        email text,
        created_at text NOT NULL,
        CONSTRAINT contacts_portal_email UNIQUE (portal_id, email)
      )`.execute(db);
      await sql`INSERT INTO contacts_rebuilt (id, portal_id, email, created_at)
        SELECT id, portal_id, email, created_at FROM contacts`.execute(db);
      await sql`DROP TABLE contacts`.execute(db);
      await sql`ALTER TABLE contacts_rebuilt RENAME TO contacts`.execute(db);
      const broken = await sql`PRAGMA foreign_key_check`.execute(db);
      if (broken.rows.length > 0) throw new Error('rebuilding contacts broke a foreign key');
      await sql`COMMIT`.execute(db);
    } catch (error) {
      await sql`ROLLBACK`.execute(db);
      throw error;
    }
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ingest_drops', 'contact_erasures', 'portal_privacy']) {
    await db.schema.dropTable(table).execute();
  }
}
