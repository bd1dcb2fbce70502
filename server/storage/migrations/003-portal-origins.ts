import type { Kysely } from 'kysely';

/** The site origins whose pages may load a portal's tracker config and send it events (CORS). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('portal_origins')
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('origin', 'text', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('portal_origins_pk', ['portal_id', 'origin'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('portal_origins').execute();
}
