import { sql, type Kysely } from 'kysely';
import type { MigrationContext } from './index';

/**
 * Analytics read one event's completions in a time range and count them and their distinct
 * contacts. The `(definition_id, occurred_at, id)` index of 002 finds those rows but not their
 * contact, so every count of distinct contacts read the table row by row. This replaces it with
 * the same index holding `object_id` as well: the same order and paging for GET /events, and
 * series, unique contacts and funnels answered from the index alone. Replacing rather than adding
 * keeps ingest at one index write per completion (bench:analytics measures both).
 */
export async function up(db: Kysely<unknown>, { idType }: MigrationContext): Promise<void> {
  await db.schema.dropIndex('completions_definition_time').execute();
  if (idType === 'serial') {
    // PostgreSQL: a payload column outside the key (the key and its order stay those of 002).
    await sql`CREATE INDEX completions_definition_time_contact ON completions (definition_id, occurred_at, id) INCLUDE (object_id)`.execute(
      db,
    );
  } else {
    // SQLite has no INCLUDE; a last key column changes neither the order nor the prefix scans.
    await db.schema
      .createIndex('completions_definition_time_contact')
      .on('completions')
      .columns(['definition_id', 'occurred_at', 'id', 'object_id'])
      .execute();
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('completions_definition_time_contact').execute();
  await db.schema
    .createIndex('completions_definition_time')
    .on('completions')
    .columns(['definition_id', 'occurred_at', 'id'])
    .execute();
}
