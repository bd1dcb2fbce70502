import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Custom JavaScript of CUSTOM_SCRIPT events (with the history of who changed it: stored code runs
 * on the customer's site), the errors it threw there, and pausing an event without archiving it.
 */
export async function up(db: Kysely<unknown>, { idType }: MigrationContext): Promise<void> {
  await db.schema.alterTable('event_definitions').addColumn('custom_code', 'text').execute();
  await db.schema
    .alterTable('event_definitions')
    .addColumn('paused', 'integer', (column) => column.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('custom_code_changes')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('definition_id', 'integer', (column) =>
      column.notNull().references('event_definitions.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (column) => column.notNull())
    // NULL when the code was removed.
    .addColumn('code', 'text')
    // The API key that made the change; NULL once that key row is gone.
    .addColumn('api_key_id', 'integer', (column) => column.references('api_keys.id').onDelete('set null'))
    .addColumn('changed_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema
    .createIndex('custom_code_changes_definition')
    .on('custom_code_changes')
    .columns(['definition_id', 'version'])
    .execute();

  // One row per event, day, page path and error name: a few rows however often a snippet throws.
  await db.schema
    .createTable('custom_code_errors')
    .addColumn('definition_id', 'integer', (column) =>
      column.notNull().references('event_definitions.id').onDelete('cascade'),
    )
    .addColumn('day', 'text', (column) => column.notNull())
    .addColumn('path', 'text', (column) => column.notNull())
    .addColumn('error_name', 'text', (column) => column.notNull())
    .addColumn('count', 'integer', (column) => column.notNull())
    .addColumn('last_message', 'text', (column) => column.notNull())
    .addColumn('last_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('custom_code_errors_pk', ['definition_id', 'day', 'path', 'error_name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('custom_code_errors').execute();
  await db.schema.dropTable('custom_code_changes').execute();
  await db.schema.alterTable('event_definitions').dropColumn('paused').execute();
  await db.schema.alterTable('event_definitions').dropColumn('custom_code').execute();
}
