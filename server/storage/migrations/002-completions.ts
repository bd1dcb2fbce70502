import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Contacts, their visitor tokens (utk) and event completions. */
export async function up(db: Kysely<unknown>, { idType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('contacts')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('email', 'text')
    .addColumn('created_at', 'text', (column) => column.notNull())
    // NULL emails (anonymous visitors) never collide: both databases treat NULLs as distinct here.
    .addUniqueConstraint('contacts_portal_email', ['portal_id', 'email'])
    .execute();

  await db.schema
    .createTable('contact_utks')
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('utk', 'text', (column) => column.notNull())
    .addColumn('contact_id', 'integer', (column) => column.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('contact_utks_pk', ['portal_id', 'utk'])
    .execute();

  await db.schema
    .createTable('completions')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('definition_id', 'integer', (column) =>
      column.notNull().references('event_definitions.id').onDelete('cascade'),
    )
    .addColumn('object_type', 'text', (column) => column.notNull())
    .addColumn('object_id', 'text', (column) => column.notNull())
    // Epoch milliseconds: bigint in PostgreSQL, INTEGER affinity in SQLite; sorts and compares alike.
    .addColumn('occurred_at', 'bigint', (column) => column.notNull())
    .addColumn('uuid', 'text')
    .addColumn('properties_json', 'text', (column) => column.notNull())
    .addColumn('received_at', 'bigint', (column) => column.notNull())
    .execute();

  // Partial: completions sent without a uuid cost no entry. Inserts name the same predicate in
  // ON CONFLICT so both databases infer this index.
  await db.schema
    .createIndex('completions_portal_uuid')
    .on('completions')
    .columns(['portal_id', 'uuid'])
    .unique()
    .where('uuid', 'is not', null)
    .execute();
  // One index per read filter, each ending in (occurred_at, id): the newest-first order and the
  // paging cursor of GET /events/v3/events.
  await db.schema
    .createIndex('completions_portal_time')
    .on('completions')
    .columns(['portal_id', 'occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('completions_definition_time')
    .on('completions')
    .columns(['definition_id', 'occurred_at', 'id'])
    .execute();
  await db.schema
    .createIndex('completions_object_time')
    .on('completions')
    .columns(['portal_id', 'object_type', 'object_id', 'occurred_at', 'id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['completions', 'contact_utks', 'contacts']) {
    await db.schema.dropTable(table).execute();
  }
}
