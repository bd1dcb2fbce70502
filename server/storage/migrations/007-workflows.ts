import type { Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Workflows: definitions, the events they watch, the outbox written with each watched completion,
 * enrolments (their step pointer and timer), history, webhook deliveries, and contact properties
 * set by workflows. Times are epoch milliseconds (bigint), like completions.
 */
export async function up(db: Kysely<unknown>, { idType }: MigrationContext): Promise<void> {
  await db.schema
    .createTable('workflows')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('enabled', 'integer', (column) => column.notNull())
    .addColumn('enabled_at', 'bigint')
    .addColumn('reenrollment', 'integer', (column) => column.notNull())
    .addColumn('triggers_json', 'text', (column) => column.notNull())
    .addColumn('steps_json', 'text', (column) => column.notNull())
    .addColumn('secret', 'text', (column) => column.notNull())
    .addColumn('version', 'integer', (column) => column.notNull())
    .addColumn('created_at', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'text', (column) => column.notNull())
    .execute();
  await db.schema.createIndex('workflows_portal').on('workflows').columns(['portal_id', 'id']).execute();

  // The event definitions an enabled workflow listens to (triggers and delay-until-event steps):
  // ingest writes an outbox row only for completions of these, so a portal without workflows pays
  // one indexed lookup per stored chunk.
  await db.schema
    .createTable('workflow_watches')
    .addColumn('workflow_id', 'integer', (column) => column.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('definition_id', 'integer', (column) =>
      column.notNull().references('event_definitions.id').onDelete('cascade'),
    )
    .addPrimaryKeyConstraint('workflow_watches_pk', ['definition_id', 'workflow_id'])
    .execute();

  await db.schema
    .createTable('workflow_outbox')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('completion_id', 'integer', (column) =>
      column.notNull().references('completions.id').onDelete('cascade'),
    )
    .execute();

  await db.schema
    .createTable('workflow_enrolments')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('workflow_id', 'integer', (column) => column.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('contact_id', 'integer', (column) => column.notNull().references('contacts.id').onDelete('cascade'))
    // The contact id while re-enrolment is off: the unique index makes "enrol once" hold even
    // when two processes decide at the same time.
    .addColumn('once_key', 'integer')
    .addColumn('completion_id', 'integer', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('step_id', 'text')
    .addColumn('next_run_at', 'bigint')
    .addColumn('claim_token', 'text')
    .addColumn('wait_json', 'text')
    .addColumn('enrolled_at', 'bigint', (column) => column.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('workflow_enrolments_once')
    .on('workflow_enrolments')
    .columns(['workflow_id', 'once_key'])
    .unique()
    .execute();
  await db.schema.createIndex('workflow_enrolments_due').on('workflow_enrolments').columns(['next_run_at']).execute();
  await db.schema
    .createIndex('workflow_enrolments_contact')
    .on('workflow_enrolments')
    .columns(['portal_id', 'contact_id', 'status'])
    .execute();
  await db.schema
    .createIndex('workflow_enrolments_workflow')
    .on('workflow_enrolments')
    .columns(['workflow_id', 'status'])
    .execute();

  await db.schema
    .createTable('workflow_history')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('enrolment_id', 'integer', (column) =>
      column.notNull().references('workflow_enrolments.id').onDelete('cascade'),
    )
    .addColumn('at', 'bigint', (column) => column.notNull())
    .addColumn('kind', 'text', (column) => column.notNull())
    .addColumn('step_id', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema
    .createIndex('workflow_history_enrolment')
    .on('workflow_history')
    .columns(['enrolment_id', 'id'])
    .execute();

  await db.schema
    .createTable('workflow_deliveries')
    .addColumn('id', idType, (column) => column.primaryKey())
    .addColumn('portal_id', 'integer', (column) => column.notNull().references('portals.id').onDelete('cascade'))
    .addColumn('workflow_id', 'integer', (column) => column.notNull().references('workflows.id').onDelete('cascade'))
    .addColumn('enrolment_id', 'integer', (column) =>
      column.notNull().references('workflow_enrolments.id').onDelete('cascade'),
    )
    .addColumn('step_id', 'text', (column) => column.notNull())
    .addColumn('url', 'text', (column) => column.notNull())
    .addColumn('idempotency_key', 'text', (column) => column.notNull().unique())
    .addColumn('payload_json', 'text', (column) => column.notNull())
    .addColumn('status', 'text', (column) => column.notNull())
    .addColumn('attempts', 'integer', (column) => column.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('latency_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('created_at', 'bigint', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addUniqueConstraint('workflow_deliveries_step', ['enrolment_id', 'step_id'])
    .execute();
  await db.schema
    .createIndex('workflow_deliveries_workflow')
    .on('workflow_deliveries')
    .columns(['workflow_id', 'id'])
    .execute();

  await db.schema
    .createTable('contact_property_values')
    .addColumn('contact_id', 'integer', (column) => column.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('name', 'text', (column) => column.notNull())
    .addColumn('value', 'text', (column) => column.notNull())
    .addColumn('updated_at', 'bigint', (column) => column.notNull())
    .addPrimaryKeyConstraint('contact_property_values_pk', ['contact_id', 'name'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'contact_property_values',
    'workflow_deliveries',
    'workflow_history',
    'workflow_enrolments',
    'workflow_outbox',
    'workflow_watches',
    'workflows',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
