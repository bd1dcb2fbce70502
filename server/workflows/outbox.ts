import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema';

/**
 * Called by `insertCompletions` in the transaction that stores completions: writes one outbox row
 * for each stored completion whose event an enabled workflow listens to (as a trigger or in a
 * delay until an event). The engine reads the outbox; a crash before it does loses nothing.
 * Costs one indexed lookup per chunk when no workflow listens.
 */
export async function enqueueForWorkflows(
  db: Kysely<Database>,
  stored: readonly { id: number; definition_id: number }[],
): Promise<void> {
  if (stored.length === 0) return;
  const definitionIds = [...new Set(stored.map((row) => row.definition_id))];
  const watched = await db
    .selectFrom('workflow_watches')
    .select('definition_id')
    .distinct()
    .where('definition_id', 'in', definitionIds)
    .execute();
  if (watched.length === 0) return;
  const watchedIds = new Set(watched.map((row) => row.definition_id));
  const rows = stored.filter((row) => watchedIds.has(row.definition_id)).map((row) => ({ completion_id: row.id }));
  for (let start = 0; start < rows.length; start += 1000) {
    await db
      .insertInto('workflow_outbox')
      .values(rows.slice(start, start + 1000))
      .execute();
  }
}
