import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Privacy (issue 17): per-portal privacy settings, a record of each erasure (that it happened,
 * not what was erased) and daily counts of what the collect endpoint dropped (bots).
 */
export async function up(db: Kysely<unknown>, { idType }: MigrationContext): Promise<void> {
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

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['ingest_drops', 'contact_erasures', 'portal_privacy']) {
    await db.schema.dropTable(table).execute();
  }
}
