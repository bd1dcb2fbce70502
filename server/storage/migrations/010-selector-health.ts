import type { Kysely } from 'kysely';

/**
 * Selector health (issue 9): per click definition, UTC day and page path, how many sampled page
 * views the tracker checked and how its trigger found the element — a few rows per definition and
 * day however busy the site. And the portal's tracking settings (the sample rates).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('selector_health')
    .addColumn('definition_id', 'integer', (column) =>
      column.notNull().references('event_definitions.id').onDelete('cascade'),
    )
    .addColumn('day', 'text', (column) => column.notNull())
    .addColumn('path', 'text', (column) => column.notNull())
    .addColumn('page_views', 'bigint', (column) => column.notNull())
    .addColumn('matched', 'bigint', (column) => column.notNull())
    .addColumn('via_fallback', 'bigint', (column) => column.notNull())
    .addColumn('via_fingerprint', 'bigint', (column) => column.notNull())
    // Epoch milliseconds; NULL until the first page view of that kind.
    .addColumn('last_matched_at', 'bigint')
    .addColumn('last_missed_at', 'bigint')
    .addPrimaryKeyConstraint('selector_health_pk', ['definition_id', 'day', 'path'])
    .execute();

  await db.schema
    .createTable('portal_tracking')
    .addColumn('portal_id', 'integer', (column) => column.primaryKey().references('portals.id').onDelete('cascade'))
    .addColumn('health_sample_rate', 'real', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('portal_tracking').execute();
  await db.schema.dropTable('selector_health').execute();
}
