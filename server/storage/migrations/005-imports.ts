import type { Kysely } from 'kysely';

/** Spreadsheet imports (a durable job queue: every state a restart must resume from) and their rejected rows. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('imports')
    .addColumn('id', 'text', (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('file_name', 'text', (column) => column.notNull())
    .addColumn('file_type', 'text', (column) => column.notNull())
    .addColumn('file_path', 'text', (column) => column.notNull())
    // 1 when the file is the server's copy of an upload (deleted when the job ends); 0 for a CLI import.
    .addColumn('owns_file', 'integer', (column) => column.notNull())
    .addColumn('size_bytes', 'bigint', (column) => column.notNull())
    .addColumn('header_language', 'text', (column) => column.notNull())
    .addColumn('columns_json', 'text', (column) => column.notNull())
    .addColumn('event_name', 'text')
    // The resolved job: definition, column plan and date format, fixed when it starts.
    .addColumn('plan_json', 'text')
    .addColumn('rows_read', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('rows_imported', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('rows_rejected', 'integer', (column) => column.notNull().defaultTo(0))
    // The last file row whose outcome is committed: a resumed job skips rows up to here.
    .addColumn('last_row', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('progress', 'real', (column) => column.notNull().defaultTo(0))
    .addColumn('run_started_at', 'bigint')
    .addColumn('run_rows_start', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('heartbeat_at', 'bigint')
    .addColumn('rollback', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('rolled_back', 'integer', (column) => column.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('started_at', 'bigint')
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('imports_status').on('imports').columns(['status', 'heartbeat_at']).execute();
  await db.schema.createIndex('imports_portal').on('imports').columns(['portal_id', 'created_at']).execute();

  await db.schema
    .createTable('import_errors')
    .addColumn('import_id', 'text', (column) => column.notNull().references('imports.id').onDelete('cascade'))
    .addColumn('row_number', 'integer', (column) => column.notNull())
    .addColumn('seq', 'integer', (column) => column.notNull())
    .addColumn('column_name', 'text', (column) => column.notNull())
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('reason', 'text', (column) => column.notNull())
    .addPrimaryKeyConstraint('import_errors_pk', ['import_id', 'row_number', 'seq'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('import_errors').execute();
  await db.schema.dropTable('imports').execute();
}
