import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/** Portals, API keys, event definitions and their properties. */
export async function up(db: Kysely<unknown>, { idType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('portals')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('prefix', 'text', (column) => column.notNull())
    .addColumn('key_hash', 'text', (column) => column.notNull().unique())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('revoked_at', 'text')
    .execute();

  await db.schema
    .createTable('event_definitions')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('label', 'text', (column) => column.notNull())
    .addColumn('description', 'text')
    .addColumn('primary_object', 'text', (column) => column.notNull())
    .addColumn('tracking_type', 'text', (column) => column.notNull())
    .addColumn('trigger_json', 'text')
    .addColumn('archived', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('version', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addUniqueConstraint('event_definitions_portal_name', ['portal_id', 'name'])
    .execute();

  await db.schema
    .createTable('event_properties')
    .addColumn('definition_id', 'integer', (column) =>
      column.notNull().references('event_definitions.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('label', 'text', (column) => column.notNull())
    .addColumn('type', 'text', (column) => column.notNull())
    .addColumn('description', 'text')
    .addColumn('options_json', 'text', (column) => column.notNull().defaultTo(sql`'[]'`))
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('event_properties_pk', ['definition_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['event_properties', 'event_definitions', 'api_keys', 'portals']) {
    await db.schema.dropTable(table).execute();
  }
}
